"""The output column: losses, the loss chart, the decision-boundary heatmap with the data points."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import panel as pn
from bokeh.events import DoubleTap, MouseLeave, Tap
from bokeh.models import (
    CDSView,
    ColumnDataSource,
    CustomJS,
    FixedTicker,
    IndexFilter,
    Label,
    LinearColorMapper,
    Range1d,
)
from bokeh.plotting import figure

from ..class_colors import CLASS_COLORS, class_palette
from ..frames import Frame
from ..state import ExperimentState
from . import palette
from .live_text import LiveText
from .loss_chart import LossChart

EXTENT = 6.0
PLOT_SIZE = 300
DRAW_HINT = "click to add a point, shift-click to erase"


def _color_mapper() -> LinearColorMapper:
    return LinearColorMapper(palette=palette.PALETTE, low=0, high=255)


def _points(points: np.ndarray) -> dict:
    return {"x": points[:, 0].astype(np.float32), "y": points[:, 1].astype(np.float32),
            "label": points[:, 2].astype(np.float32)}


def _legend_html(classes: int) -> str:
    if classes > 2:
        swatches = "".join(f"<span class='class-swatch class-{c}'><i style='background:{CLASS_COLORS[c]}'></i>"
                           f"class {c}</span>" for c in range(classes))
        return ("<div class='legend class-legend'><span>Colour: the likeliest class; lighter where the network "
                f"is unsure.</span><div class='class-swatches'>{swatches}</div></div>")
    return ("<div class='legend'><span>Colours show data, neuron and weight values.</span>"
            "<div class='legend-bar'><div class='gradient'></div>"
            "<div class='ticks'><span>-1</span><span>0</span><span>1</span></div></div></div>")


class OutputView(pn.viewable.Viewer):
    """Heatmap of the network's output over [-6, 6]², training points (white rim) and test points (black rim).

    `on_click(x, y, shift)` is called when the plot is clicked (the app wires it to drawing data).
    """

    def __init__(self, state: ExperimentState, neuron_source: ColumnDataSource, input_source: ColumnDataSource,
                 **params):
        super().__init__(**params)
        self.state = state
        self.on_click: Callable[[float, float, bool], None] | None = None
        self.image_source = ColumnDataSource({"image": [np.full((100, 100), 127, np.uint8)]})
        self.train_source = ColumnDataSource(_points(np.empty((0, 3))))
        self.test_source = ColumnDataSource(_points(np.empty((0, 3))))
        fig = figure(width=PLOT_SIZE + 34, height=PLOT_SIZE + 26, frame_width=PLOT_SIZE, frame_height=PLOT_SIZE,
                     x_range=Range1d(-EXTENT, EXTENT), y_range=Range1d(-EXTENT, EXTENT), toolbar_location=None,
                     min_border=0, x_axis_location="below", y_axis_location="right", outline_line_color="#cccccc",
                     css_classes=["output-plot"])
        mapper = _color_mapper()
        self._classes = 2
        self._output_mapper = _color_mapper()  # switched to the class palette for K ≥ 3 classes
        fig.image("image", x=-EXTENT, y=-EXTENT, dw=2 * EXTENT, dh=2 * EXTENT, source=self.image_source,
                  color_mapper=self._output_mapper, global_alpha=0.7)
        # A hovered neuron's own heatmap is drawn over the output, straight from the network's image sources.
        self.overlays = []
        for source in (neuron_source, input_source):
            view = CDSView(filter=IndexFilter(indices=[0]))
            renderer = fig.image("image", x=-EXTENT, y=-EXTENT, dw=2 * EXTENT, dh=2 * EXTENT, source=source,
                                 view=view, color_mapper=mapper, global_alpha=0.9, visible=False)
            self.overlays.append(renderer)
        self._point_mapper = LinearColorMapper(palette=palette.PALETTE, low=-1, high=1)
        point_color = {"field": "label", "transform": self._point_mapper}
        self.test_renderer = fig.scatter("x", "y", source=self.test_source, size=5.5, fill_color=point_color,
                                         line_color=palette.TEST_OUTLINE, line_width=1, visible=False)
        fig.scatter("x", "y", source=self.train_source, size=5.5, fill_color=point_color,
                    line_color=palette.TRAIN_OUTLINE, line_width=1)
        ticks = FixedTicker(ticks=list(range(-6, 7, 2)))  # every 2: labels with room between them
        for axis in fig.axis:
            axis.ticker = ticks
            axis.major_label_text_font_size = "10px"
            axis.major_label_text_color = palette.MUTED
            axis.axis_line_color = axis.major_tick_line_color = "#cccccc"
            axis.minor_tick_line_color = None
        fig.grid.visible = False
        # Your own data starts empty: say on the plot itself how to fill it.
        self.draw_hint = Label(x=0, y=0, text=DRAW_HINT, text_align="center", text_baseline="middle",
                               text_font_size="14px", text_color=palette.MUTED, background_fill_color="white",
                               background_fill_alpha=0.8, visible=False)
        fig.add_layout(self.draw_hint)
        # Bokeh reports a click within 300 ms of the previous one (anywhere) as a double tap, not a tap: both
        # are clicks here, or quick drawing would lose every second point.
        fig.on_event(Tap, self._clicked)
        fig.on_event(DoubleTap, self._clicked)
        hide = CustomJS(args={"overlays": self.overlays}, code="for (const r of overlays) r.visible = false")
        fig.js_on_event(MouseLeave, hide)
        self.figure = fig
        self.loss_chart = LossChart()
        self.stats = LiveText(self._stats_html(None), css_classes=["output-stats"], margin=(0, 6))
        self.show_test = pn.widgets.Checkbox.from_param(state.param.show_test_data, label="Show test data",
                                                        css_classes=["show-test-data"])
        self.discretize = pn.widgets.Checkbox.from_param(state.param.discretize, label="Discretize output",
                                                         css_classes=["discretize-output"])
        self.test_renderer.visible = state.show_test_data
        state.param.watch(self._show_test_changed, "show_test_data")
        self.legend = pn.pane.HTML(_legend_html(2), margin=(0, 6), css_classes=["legend-pane"])
        self._layout = pn.Column(
            pn.pane.HTML("<h2 class='column-title'>Output</h2>", margin=(0, 6)),
            pn.Row(self.stats, self.loss_chart, margin=0),
            pn.pane.Bokeh(fig, margin=(4, 0)),
            self.legend,
            pn.Row(self.show_test, self.discretize, margin=0),
            css_classes=["output-column"], width=PLOT_SIZE + 50, margin=(0, 10),
        )

    @staticmethod
    def _stats_html(frame: Frame | None) -> str:
        if frame is None:
            test = train = "–"
            accuracy = train_exact = test_exact = ""
        else:
            test = f"{frame.test_loss:.3f}" if frame.test_count else "–"
            train = f"{frame.train_loss:.3f}"
            accuracy = ""
            # Full precision on hover (and for tests): repr round-trips the float; data-epoch says when.
            train_exact = f" title='{float(frame.train_loss)!r}' data-epoch='{frame.epoch}'"
            test_exact = f" title='{float(frame.test_loss)!r}'" if frame.test_count else ""
            if frame.accuracy is not None:
                tr, te = frame.accuracy
                te_text = "–" if te != te else f"{te:.0%}"
                tr_text = "–" if tr != tr else f"{tr:.0%}"  # no points yet (your own data starts empty)
                accuracy = (f"<div class='stat accuracy'>Accuracy <span class='train-accuracy'>{tr_text}</span>"
                            f" train · <span class='test-accuracy'>{te_text}</span> test</div>")
        return (f"<div class='stat'>Test loss <span class='test-loss'{test_exact}>{test}</span></div>"
                f"<div class='stat muted'>Training loss <span class='train-loss'{train_exact}>{train}</span></div>"
                f"{accuracy}")

    def _show_test_changed(self, event) -> None:
        self.test_renderer.visible = event.new

    def _clicked(self, event) -> None:
        if self.on_click is not None and event.x is not None:
            shift = bool((event.modifiers or {}).get("shift"))
            self.on_click(float(event.x), float(event.y), shift)

    def _show_classes(self, classes: int) -> None:
        """Two classes: the playground's orange-blue scale; K ≥ 3: a colour per class (class_colors)."""
        self._classes = classes
        if classes > 2:
            self._output_mapper.palette = class_palette(classes)
            self._point_mapper.update(palette=CLASS_COLORS[:classes], low=-0.5, high=classes - 0.5)
        else:
            self._output_mapper.palette = palette.PALETTE
            self._point_mapper.update(palette=palette.PALETTE, low=-1, high=1)
        self.legend.object = _legend_html(classes)

    def apply_frame(self, frame: Frame) -> None:
        if frame.classes != self._classes:
            self._show_classes(frame.classes)
        self.image_source.data.update(image=[frame.output_image])
        if frame.train_points is not None:
            self.train_source.data = _points(frame.train_points)
            self.test_source.data = _points(frame.test_points)
            drawing = self.state.dataset == "user" and self.state.problem == "classification"
            empty = not (len(frame.train_points) or len(frame.test_points))
            if self.draw_hint.visible != (drawing and empty):
                self.draw_hint.visible = drawing and empty
        self.stats.text = self._stats_html(frame)
        self.loss_chart.apply_frame(frame)

    def __panel__(self):
        return self._layout
