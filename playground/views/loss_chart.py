"""The small train/test loss chart above the output plot (test black, training grey, as the playground)."""

from __future__ import annotations

import numpy as np
import panel as pn
from bokeh.models import ColumnDataSource, HoverTool, Range1d
from bokeh.plotting import figure

from ..frames import Frame


class LossChart(pn.viewable.Viewer):
    """Loss over epochs. Fixed ranges (moved only as the run grows); points streamed one per frame."""

    def __init__(self, width: int = 150, height: int = 56, **params):
        super().__init__(**params)
        self.source = ColumnDataSource({"epoch": np.zeros(0, np.int64), "train": np.zeros(0), "test": np.zeros(0)})
        self.x_range, self.y_range = Range1d(0, 1), Range1d(0, 0.6)
        fig = figure(width=width, height=height, x_range=self.x_range, y_range=self.y_range,
                     toolbar_location=None, min_border=2, outline_line_color=None,
                     background_fill_alpha=0, border_fill_alpha=0, css_classes=["loss-chart"])
        fig.axis.visible = False
        fig.grid.visible = False
        fig.line("epoch", "train", source=self.source, line_color="#999999", line_width=1.5)
        test = fig.line("epoch", "test", source=self.source, line_color="#000000", line_width=1.5)
        fig.add_tools(HoverTool(renderers=[test], mode="vline", tooltips=[
            ("Epoch", "@epoch"), ("Test loss", "@test{0.000}"), ("Training loss", "@train{0.000}")]))
        fig.toolbar.active_inspect = fig.select_one(HoverTool)
        self.figure = fig
        self._pane = pn.pane.Bokeh(fig, margin=0)

    def apply_frame(self, frame: Frame) -> None:
        if frame.chart_replace is not None:
            points = frame.chart_replace + frame.chart_append
            epochs, train, test = (zip(*points, strict=True) if points else ((), (), ()))
            self.source.data = {"epoch": np.asarray(epochs, np.int64), "train": np.asarray(train, np.float32),
                                "test": np.asarray(test, np.float32)}
        elif frame.chart_append:
            epochs, train, test = zip(*frame.chart_append, strict=True)
            self.source.stream({"epoch": list(epochs), "train": list(train), "test": list(test)})
        else:
            return
        last = frame.chart_append[-1][0] if frame.chart_append else (frame.chart_replace or [(0,)])[-1][0]
        self.x_range.end = max(last, 1)
        if self.y_range.end != frame.chart_ymax:
            self.y_range.end = frame.chart_ymax

    def __panel__(self):
        return self._pane
