"""Make a lesson link: a teacher ticks the controls students should not see and copies a link that opens
the experiment as it stands (and the open lesson) with exactly those controls hidden, as the real
playground's "hide" checkboxes under its article do.

One browser component (its JavaScript: `assets/lesson_link.js`): a checkbox per hidable control, the link
in a read-only text box and a "Copy link" button. Ticking changes nothing on this page; the server writes
the link (`lessons.links.link_hiding`, `<control>_hide=true` keys) and the browser shows it after the
page's own address and copies it.
"""

from __future__ import annotations

from collections.abc import Callable

import param

from ..domain.state import HIDABLE_CONTROLS, ExperimentState
from ..lessons.links import link_hiding
from ..resources import asset
from .esm_bundle import BundledComponent
from .styles import app_stylesheet

# The real playground's words for its hidable controls, a little plainer (HIDABLE_CONTROLS' order).
CONTROL_LABELS = {
    "showTestData": "Show test data", "discretize": "Discretize output", "playButton": "Play button",
    "stepButton": "Step button", "resetButton": "Reset button", "learningRate": "Learning rate",
    "activation": "Activation", "regularization": "Regularization", "regularizationRate": "Regularization rate",
    "problem": "Problem type", "dataset": "Which dataset", "percTrainData": "Ratio of training to test data",
    "noise": "Noise level", "batchSize": "Batch size", "numHiddenLayers": "Number of hidden layers",
}

STYLE = """
.lesson-link { font-family: var(--pg-font); color: var(--pg-text); font-size: 14px; max-width: 900px; }
.lesson-link fieldset { border: 1px solid #ddd; border-radius: 3px; margin: 6px 0 10px; padding: 6px 10px; }
.lesson-link legend { color: var(--pg-muted); font-size: 13px; padding: 0 4px; }
.hide-choices { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 2px 12px; }
.hide-choices label { display: flex; align-items: center; gap: 6px; cursor: pointer; line-height: 26px; }
.link-row { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.link-row input { flex: 1; min-width: 260px; font: 12px monospace; padding: 5px 6px; border: 1px solid #bbb;
  border-radius: 3px; color: var(--pg-text); background: #fafafa; }
.link-row button { padding: 6px 14px; border: none; border-radius: 3px; background: #0877bd; color: #fff;
  font: 14px var(--pg-font); cursor: pointer; }
.link-row button:focus-visible, .hide-choices input:focus-visible { outline: 2px solid #0877bd; outline-offset: 2px; }
.copy-status { color: #2e7d32; font-size: 13px; min-height: 18px; }
"""


class LessonLinkMaker(BundledComponent):
    """`lesson()`: the lesson open now, or None (the link names it, as the page's own link does)."""

    controls = param.List(default=[], doc="[name, label] per control that can be hidden, sent once")
    hidden = param.List(default=[], doc="The controls ticked: hidden by the link")
    link = param.String(default="", doc="The link's hash (without '#'): the page adds its own address")

    _esm = asset("lesson_link.js")
    _stylesheets = [STYLE]

    def __init__(self, state: ExperimentState, lesson: Callable[[], object], **params):
        super().__init__(controls=[[name, CONTROL_LABELS[name]] for name in HIDABLE_CONTROLS],
                         hidden=list(state.hidden), stylesheets=[app_stylesheet()],
                         css_classes=["lesson-link-maker"], sizing_mode="stretch_width", margin=(10, 24, 24, 24), **params)
        self.state, self.lesson = state, lesson
        state.param.watch(self._state_changed, [name for name in state.param if name != "name"])
        self._write()

    def _state_changed(self, *events) -> None:
        if any(event.name == "hidden" for event in events):  # a lesson opened or closed: start from its choice
            self.hidden = [control for control in HIDABLE_CONTROLS if control in self.state.hidden]
        self._write()

    def _write(self) -> None:
        link = link_hiding(self.state, self.lesson(), self.hidden)
        if link != self.link:
            self.link = link

    def _handle_msg(self, msg) -> None:
        if isinstance(msg, dict) and isinstance(msg.get("hide"), list):
            self._on_page(self._ticked, [name for name in msg["hide"] if name in HIDABLE_CONTROLS])

    def _ticked(self, hidden: list[str]) -> None:
        self.hidden = [control for control in HIDABLE_CONTROLS if control in hidden]
        self._write()
