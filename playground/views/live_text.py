"""HTML text that changes on every frame (the epoch counter, the losses), as a fixed-size browser component.

A Bokeh `Div` (or Panel HTML pane) re-lays out the whole page whenever its text changes: profiled while
training, that was 30 % of the browser's main thread (`compute_layout` under the Div's `rerender`). This
component swaps its HTML in place inside a box of fixed size (its JavaScript: `assets/live_text.js`), so
a frame's new numbers cost the page a repaint of a few glyphs. The HTML is made by the server from numbers
only; it carries the app's stylesheet by URL (served) or as text (a notebook). A new text reaches the page
as a message (`live_component`), and only when it differs from the one shown.
"""

from __future__ import annotations

import param

from ..resources import asset
from .live_component import LiveComponent
from .styles import app_stylesheet


class LiveText(LiveComponent):
    html = param.String(default="", doc="The HTML shown (server-made from numbers; never user text).")

    _esm = asset("live_text.js")

    def __init__(self, html: str, css_classes: list[str], *, width: int, height: int, **layout):
        super().__init__(html=html, css_classes=css_classes, width=width, height=height,
                         stylesheets=[app_stylesheet()], **layout)

    @property
    def text(self) -> str:
        return self.live_value("html")

    @text.setter
    def text(self, html: str) -> None:
        if html != self.text:
            self.show_live({"html": html}, html=html)
