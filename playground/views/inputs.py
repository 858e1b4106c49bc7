"""Form controls every student can operate, as small browser components: a labelled slider, a labelled
checkbox and a row of choice buttons (their JavaScript: `assets/range_input.js`, `check_input.js`,
`choice_buttons.js`).

Bokeh's own are not: its slider handle (noUiSlider) and its checkbox have no accessible name, and its
button group does not say which button is chosen. These are native elements (a range input, a checkbox
inside its label, buttons with `aria-pressed`), so a screen reader names them and the keyboard works as
everywhere else. `bind` keeps one in step with an `ExperimentState` parameter both ways.
"""

from __future__ import annotations

from typing import ClassVar

import param

from ..resources import asset
from .esm_bundle import BundledComponent
from .styles import app_stylesheet

RANGE_STYLE = """
.range-input { display: flex; flex-direction: column; font-family: var(--pg-font); }
.range-input label { color: var(--pg-muted); font-size: 13px; line-height: 1.35; }
.range-value { color: var(--pg-text); font-weight: 600; }
.range-input input { width: 100%; margin: 4px 0 0; accent-color: var(--pg-dark); }
.range-input input:focus-visible { outline: 3px solid var(--pg-focus); outline-offset: 2px; }
"""
CHECK_STYLE = """
.check-input { display: flex; align-items: center; gap: 6px; font: 13px var(--pg-font); color: var(--pg-text);
  white-space: nowrap; cursor: pointer; }
.check-input input { width: 16px; height: 16px; margin: 0; accent-color: var(--pg-dark); }
.check-input input:focus-visible { outline: 3px solid var(--pg-focus); outline-offset: 2px; }
"""
CHOICE_STYLE = """
.choice-label { font: 13px var(--pg-font); color: var(--pg-muted); margin-bottom: 4px; }
.choice-group { display: flex; }
.choice-group button { flex: 1; min-height: 30px; border: 1px solid #8a8a8a; margin-left: -1px; background: #fff;
  color: var(--pg-text); font: 14px var(--pg-font); cursor: pointer; }
.choice-group button:first-child { margin-left: 0; border-radius: 4px 0 0 4px; }
.choice-group button:last-child { border-radius: 0 4px 4px 0; }
.choice-group button:hover { background: #f0f0f0; }
.choice-group button[aria-pressed="true"] { background: var(--pg-dark); border-color: var(--pg-dark); color: #fff;
  font-weight: 600; }
.choice-group button:focus-visible { position: relative; outline: 3px solid var(--pg-focus); outline-offset: 2px; }
.choice-group button:disabled { cursor: not-allowed; background: #f4f4f4; color: #595959; }
.choice-group button[aria-pressed="true"]:disabled { background: #6b6b6b; border-color: #6b6b6b; color: #fff; }
"""


class RangeInput(BundledComponent):
    """A slider named by its label, which shows its value; `value` changes when the slider is let go of."""

    label = param.String(default="")
    value = param.Number(default=0)
    start = param.Number(default=0)
    end = param.Number(default=1)
    step = param.Number(default=1)
    unit = param.String(default="", doc="Written after the value (\"%\").")

    _esm = asset("range_input.js")
    _priority_changes: ClassVar[list[str]] = ["value"]
    _stylesheets = [RANGE_STYLE]

    def __init__(self, **params):
        super().__init__(stylesheets=[app_stylesheet()], **params)


class CheckInput(BundledComponent):
    """A checkbox named by its label."""

    label = param.String(default="")
    value = param.Boolean(default=False)

    _esm = asset("check_input.js")
    _priority_changes: ClassVar[list[str]] = ["value"]
    _stylesheets = [CHECK_STYLE]

    def __init__(self, **params):
        super().__init__(stylesheets=[app_stylesheet()], **params)


class ChoiceButtons(BundledComponent):
    """One value out of `options`, [[button text, value], …], shown as a group of buttons named `label`."""

    label = param.String(default="")
    options = param.List(default=[])
    value = param.Parameter(default=None)
    disabled = param.Boolean(default=False, doc="Shown, not pickable (say why beside it).")

    _esm = asset("choice_buttons.js")
    _priority_changes: ClassVar[list[str]] = ["value"]
    _stylesheets = [CHOICE_STYLE]

    def __init__(self, **params):
        super().__init__(stylesheets=[app_stylesheet()], **params)


def bind(control: BundledComponent, state: param.Parameterized, name: str) -> BundledComponent:
    """Keep `control.value` and `state.<name>` equal: the state is the truth; a value the state refuses (out of
    its bounds, a tampered page) puts the control back."""
    control.value = getattr(state, name)

    def from_state(event) -> None:
        if control.value != event.new:
            control.value = event.new

    def from_control(event) -> None:
        try:
            setattr(state, name, event.new)
        except ValueError:
            pass
        if control.value != getattr(state, name):
            control.value = getattr(state, name)

    state.param.watch(from_state, name)
    control.param.watch(from_control, "value")
    return control
