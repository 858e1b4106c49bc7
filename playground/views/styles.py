"""The app's stylesheet, `assets/app.css`: read once, given to Panel globally and to bare Bokeh models."""

from __future__ import annotations

from functools import lru_cache

from ..resources import asset

APP_CSS = asset("app.css")


@lru_cache(maxsize=1)
def app_css() -> str:
    # Read without a fallback: a copy installed without its assets must fail here, not serve an unstyled app.
    return APP_CSS.read_text(encoding="utf-8")
