"""Drawing your own data, beside the output plot it is drawn on: the class a click adds, the eraser, Clear.

Shown only while the dataset is your own (classification); the app puts it under the output plot, so the
class to draw is chosen where the points go. A click on the plot comes here (`handle_plot_click`).
"""

from __future__ import annotations

from collections.abc import Callable

import panel as pn

from ..domain.network_choices import class_count
from ..domain.state import ExperimentState
from ..live.class_colors import CLASS_NAMES
from .icons import ERASER
from .network_canvas import PLOT_SIZE

DRAW_CLASSES = {"Blue (+1)": 1.0, "Orange (−1)": -1.0}
NOT_DRAWING = "To draw points, choose “Your own data” (the last thumbnail)."


def draw_classes(classes: int) -> dict[str, float]:
    """The drawing tool's labels: ±1 for two classes, 0…K−1 for more (named by their colour)."""
    if classes == 2:
        return DRAW_CLASSES
    return {f"{k} {CLASS_NAMES[k]}": float(k) for k in range(classes)}


class DrawTools(pn.viewable.Viewer):
    """`session`: where points go (add_point, remove_point, clear_points); `say(text, kind)`: a one-line
    message for a click that draws nothing."""

    def __init__(self, state: ExperimentState, session, say: Callable[[str, str], None], **params):
        super().__init__(**params)
        self.state, self.session, self.say = state, session, say
        self.draw_class = pn.widgets.RadioButtonGroup(label="Class to draw", options=DRAW_CLASSES, value=1.0,
                                                      css_classes=["draw-class"], margin=(2, 4))
        self.eraser = pn.widgets.Toggle(label="Eraser", icon=ERASER, css_classes=["eraser-toggle"], width=82,
                                        margin=(2, 4))
        self.clear = pn.widgets.Button(label="Clear", css_classes=["clear-points"], width=70, margin=(2, 4),
                                       description="Remove all your points")
        self.clear.on_click(lambda _: session.clear_points())
        self._layout = pn.Column(
            pn.pane.HTML("<p class='hint'>Your own data starts empty: click the plot to add a point of this "
                         "class (shift-click or the eraser erases).</p>", width=PLOT_SIZE + 30, margin=(0, 6)),
            pn.Row(self.draw_class, margin=0), pn.Row(self.eraser, self.clear, margin=0),
            margin=(0, 0, 6, 0), css_classes=["draw-tools"])
        state.param.watch(self._show, ["dataset", "problem", "num_classes"])
        self._show()

    @property
    def drawing(self) -> bool:
        return self.state.problem == "classification" and self.state.dataset == "user"

    def _show(self, *_events) -> None:
        self._layout.visible = self.drawing
        options = draw_classes(class_count(self.state))
        if self.draw_class.options != options:
            self.draw_class.param.update(options=options, value=list(options.values())[0])

    def handle_plot_click(self, x: float, y: float, shift: bool) -> None:
        """A click on the output plot: add (or, with shift / the eraser, remove) a point of your own data."""
        if not self.drawing:
            if self.state.problem == "classification":
                self.say(NOT_DRAWING, "info")
            return
        if shift or self.eraser.value:
            self.session.remove_point(x, y)
        else:
            self.session.add_point(x, y, self.draw_class.value)

    def __panel__(self):
        return self._layout
