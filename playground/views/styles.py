"""The app's stylesheet, `assets/app.css`: read once, given to Panel globally and to the components that
need it inside their own shadow root (`app_stylesheet`).

A served page links it by URL (Panel's component-resource route, `playground.assets.AppStylesheet`): given
as text, Panel puts a copy into every component's stylesheets, ~0.9 MB of the page's first websocket
message. A notebook has no such route, so there the text is given.
"""

from __future__ import annotations

import sys
from functools import lru_cache

from ..resources import asset

APP_CSS = asset("app.css")
# relative to the page, so it works under any prefix a proxy adds
APP_CSS_URL = "components/playground.assets/AppStylesheet/_stylesheets/app.css"


@lru_cache(maxsize=1)
def app_css() -> str:
    # Read without a fallback: a copy installed without its assets must fail here, not serve an unstyled app.
    return APP_CSS.read_text(encoding="utf-8")


def in_notebook() -> bool:
    """A Jupyter kernel: no route serves the stylesheet file there, so components are given its text."""
    return "ipykernel" in sys.modules


def app_stylesheet() -> str:
    """The stylesheet as one entry of a component's `stylesheets`: its URL when served, its text in a notebook."""
    return app_css() if in_notebook() else APP_CSS_URL
