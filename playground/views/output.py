"""The output column's read-outs: losses, accuracy, the loss chart, the colour legend and the output's
checkboxes. The decision-boundary heatmap and the data points are drawn by the network canvas (the app
puts these read-outs above and below it).
"""

from __future__ import annotations

import math

import panel as pn

from ..domain.state import ExperimentState
from ..live.class_colors import CLASS_COLORS, class_palette
from ..live.frames import Frame
from . import palette
from .inputs import CheckInput, bind
from .live_text import LiveText
from .loss_chart import LossChart
from .network_canvas import PLOT_SIZE, NetworkCanvas

DRAW_HINT = "click to add a point, shift-click to erase"  # your own data starts empty: said on the plot
DIVERGED = "diverged"  # a loss that is no longer a number (NaN) or infinite, in a student's words


def loss_text(loss: float) -> str:
    """A loss as the page shows it: three decimals, or "diverged" once training has blown up."""
    return f"{loss:.3f}" if math.isfinite(loss) else DIVERGED


def _legend_html(classes: int) -> str:
    if classes > 2:
        swatches = "".join(f"<span class='class-swatch class-{c}'><i style='background:{CLASS_COLORS[c]}'></i>"
                           f"class {c}</span>" for c in range(classes))
        return ("<div class='legend class-legend'><span>Color: the likeliest class; lighter where the network "
                f"is unsure.</span><div class='class-swatches'>{swatches}</div></div>")
    return ("<div class='legend'><span>Colors show data, neuron and weight values.</span>"
            "<div class='legend-bar'><div class='gradient'></div>"
            "<div class='ticks'><span>-1</span><span>0</span><span>1</span></div></div></div>")


class OutputView(pn.viewable.Viewer):
    """Test and training loss (and accuracy), the loss chart, the legend, "Show test data", "Discretize"."""

    def __init__(self, state: ExperimentState, canvas: NetworkCanvas, **params):
        super().__init__(**params)
        self.state, self.canvas = state, canvas
        self._classes = 2
        self.loss_chart = LossChart()
        self.stats = LiveText(self._stats_html(None), css_classes=["output-stats"], width=180, height=66,
                              margin=(0, 6))
        self.show_test = bind(CheckInput(label="Show test data", css_classes=["show-test-data"], width=130,
                                         margin=(4, 6)), state, "show_test_data")
        self.discretize = bind(CheckInput(label="Discretize output", css_classes=["discretize-output"], width=140,
                                          margin=(4, 6)), state, "discretize")
        canvas.show(show_test=state.show_test_data)
        state.param.watch(self._show_test_changed, "show_test_data")
        width = PLOT_SIZE + 50
        self.top = pn.Column(pn.pane.HTML("<h2 class='column-title'>Output</h2>", margin=(0, 6)),
                             pn.Row(self.stats, self.loss_chart, margin=0), width=width, margin=(0, 0, 4, 0),
                             align="end", css_classes=["output-column"])
        self.legend = pn.pane.HTML(_legend_html(2), margin=(0, 6), css_classes=["legend-pane"])
        self.bottom = pn.Column(self.legend,
                                pn.Row(self.show_test, self.discretize, margin=0), width=width, margin=0,
                                css_classes=["output-footer"])

    @staticmethod
    def _stats_html(frame: Frame | None) -> str:
        if frame is None:
            test = train = "–"
            accuracy = train_exact = test_exact = ""
        elif not frame.train_count and not frame.test_count:  # your own data starts empty: nothing to measure
            test = train = "–"
            test_exact, train_exact = "", f" data-epoch='{frame.epoch}'"
            accuracy = "<div class='stat no-points'>No points yet</div>"
        else:
            test = loss_text(frame.test_loss) if frame.test_count else "–"
            train = loss_text(frame.train_loss) if frame.train_count else "–"
            accuracy = ""
            # Full precision on hover (and for tests): repr round-trips the float; data-epoch says when.
            train_exact = f" title='{float(frame.train_loss)!r}' data-epoch='{frame.epoch}'"
            test_exact = f" title='{float(frame.test_loss)!r}'" if frame.test_count else ""
            if frame.accuracy is not None:
                tr, te = frame.accuracy
                te_text = "–" if te != te else f"{te:.0%}"
                tr_text = "–" if tr != tr else f"{tr:.0%}"
                accuracy = (f"<div class='stat accuracy'>Accuracy <span class='train-accuracy'>{tr_text}</span>"
                            f" train · <span class='test-accuracy'>{te_text}</span> test</div>")
        return (f"<div class='stat'>Test loss <span class='test-loss'{test_exact}>{test}</span></div>"
                f"<div class='stat muted'>Training loss <span class='train-loss'{train_exact}>{train}</span></div>"
                f"{accuracy}")

    def _show_test_changed(self, event) -> None:
        self.canvas.show(show_test=event.new)

    def _show_classes(self, classes: int) -> None:
        """Two classes: the playground's orange-blue scale; K ≥ 3: a colour per class (class_colors)."""
        self._classes = classes
        if classes > 2:
            self.canvas.show(output_palette=class_palette(classes), point_palette=CLASS_COLORS[:classes],
                             point_range=(0.0, float(classes - 1)))
        else:
            self.canvas.show(output_palette=palette.PALETTE, point_palette=palette.PALETTE, point_range=(-1.0, 1.0))
        self.legend.object = _legend_html(classes)

    def apply_frame(self, frame: Frame) -> None:
        if frame.classes != self._classes:
            self._show_classes(frame.classes)
        if frame.train_points is not None:
            drawing = self.state.dataset == "user" and self.state.problem == "classification"
            empty = not (len(frame.train_points) or len(frame.test_points))
            self.canvas.show(hint=DRAW_HINT if drawing and empty else "", drawing=drawing)
        self.stats.text = self._stats_html(frame)
        self.loss_chart.apply_frame(frame)

    def __panel__(self):
        return pn.Column(self.top, self.bottom, margin=0)
