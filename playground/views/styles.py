"""The app's stylesheet, `assets/app.css`: read once, given to Panel globally and to the components that
need it inside their own shadow root (`app_stylesheet`).

A served page links it by URL (Panel's component-resource route, `playground.assets.AppStylesheet`): given
as text, Panel puts a copy into every component's stylesheets, ~0.9 MB of the page's first websocket
message. A notebook has no such route, so there the text is given. Panel gets it, with the app's other
settings, where the app is shown (`configure_served_page`, `configure_notebook`), never at import: a
notebook that imports the app shows Panel's loader only once.
"""

from __future__ import annotations

import sys
from functools import lru_cache

from ..resources import asset
from ..server.patches import notebook_extension

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


def configure_served_page() -> None:
    """Panel's settings for one served page, called by the app's `create_app` inside the page's session (where
    Panel keeps them for that page, as for any served Panel script), and Bokeh's notice and reconnection of a
    lost connection off (the page says it itself): the stylesheet by URL, the native design,
    no BrowserInfo (nothing reads it: without it a page skips a WebGL probe and 8 startup messages) and no
    signatures for IDEs (none runs in a server; building them is most of this call's time)."""
    import panel as pn

    pn.extension(css_files=[APP_CSS_URL], design="native", browser_info=False, apply_signatures=False)
    if pn.state.curdoc is not None:  # a lost connection is said by the page (assets/connection_lost.js)
        pn.state.curdoc.config.update(reconnect_session=False, notify_connection_status=False)


_notebook_configured = False


def configure_notebook() -> None:
    """Once per notebook kernel, by the first `PlaygroundApp` shown there: the stylesheet as text (no route
    serves its file), the native design, and Panel's notebook extension with its resources inline (it works
    offline) unless the notebook already ran `pn.extension()`: loading it again would show Panel's loader twice."""
    import panel as pn
    from panel.theme import Native

    global _notebook_configured
    if _notebook_configured:
        return
    _notebook_configured = True
    css = app_css()
    if css and css not in pn.config.raw_css:
        pn.config.raw_css.append(css)  # read when each component is rendered, so it applies after a load too
    pn.config.design = Native
    if not notebook_extension.loaded():
        pn.extension(inline=True)
