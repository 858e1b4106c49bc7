"""The app's stylesheet, `assets/app.css`: read once, given to Panel globally and to bare Bokeh models."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

APP_CSS = Path(__file__).resolve().parents[2] / "assets" / "app.css"


@lru_cache(maxsize=1)
def app_css() -> str:
    return APP_CSS.read_text(encoding="utf-8") if APP_CSS.exists() else ""
