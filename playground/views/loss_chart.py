"""The small train/test loss chart above the output plot (test black, training grey, as the playground).

Drawn by a few lines of JavaScript on a canvas (`assets/loss_chart.js`) rather than as a Bokeh figure: a
figure's every layout pass re-reads its styles from the page (getComputedStyle per line colour, width ...),
which made each layout of the page ~100 ms slower while a link's settings were applied. A frame's new
points reach the page as a message (`live_component`) with the count of points there should be: a view that
finds it missed some asks for the whole history again (`{"resync": true}`).
"""

from __future__ import annotations

import param
from param.parameterized import discard_events

from ..live.frames import Frame
from ..resources import asset
from ..server.patches import component_events
from .live_component import LiveComponent

STYLE = """
:host { display: block; }
.loss-chart-box { position: relative; }
.loss-chart-tooltip { position: absolute; top: 0; display: none; pointer-events: none; z-index: 10;
  white-space: pre; background: #ffffff; border: 1px solid #cccccc; border-radius: 3px; padding: 3px 5px;
  font-size: 11px; color: #333333; box-shadow: 0 1px 3px rgba(0, 0, 0, 0.15); }
"""


class LossChart(LiveComponent):
    """Loss over epochs. The whole history after a reset or a thinning, else one frame's new points."""

    history = param.List(default=[], doc="[epoch, train loss, test loss] per point")
    ymax = param.Number(default=0.6, doc="the top of the y axis")

    _esm = asset("loss_chart.js")
    _stylesheets = [STYLE]

    def __init__(self, width: int = 150, height: int = 56, **params):
        super().__init__(width=width, height=height, margin=0, css_classes=["loss-chart"], **params)
        self._points: list[list] = []  # every point so far: a view built later starts from them

    def apply_frame(self, frame: Frame) -> None:
        if frame.chart_replace is not None:
            self._points = [list(point) for point in frame.chart_replace + frame.chart_append]
            self.param.update(history=list(self._points), ymax=frame.chart_ymax)
        elif frame.chart_append:
            new = [list(point) for point in frame.chart_append]
            self._points += new
            if not self.listening:  # the first document: the points so far (a handful)
                self.param.update(history=list(self._points), ymax=frame.chart_ymax)
            else:
                self.show_live({"append": new, "total": len(self._points), "ymax": frame.chart_ymax},
                               ymax=frame.chart_ymax)

    def _handle_live_msg(self, msg) -> None:
        if isinstance(msg, dict) and msg.get("resync") is True:  # a view missed points: all of them again
            self._on_page(self._send_history)

    def _send_history(self) -> None:
        with discard_events(self):
            self.history = []  # so that param sees a change, whatever it held
        self.history = list(self._points)

    def start_views_from_every_point(self) -> None:
        """Before a new view is built: if points were appended since, it starts from all of them."""
        if len(self.history) != len(self._points):
            self.history = list(self._points)


component_events.before_new_view(LossChart, LossChart.start_views_from_every_point)
