"""The top bar's buttons, menus, "Advanced" settings and engine note as one browser component (its
JavaScript: `assets/top_controls.js`).

Built from Panel widgets, the bar's three icon buttons (each a Button, a Tooltip and an SVGIcon), eight
Selects, the note's HTML pane and the Rows and Column holding them were ~30 Bokeh models, each a view the
browser builds and lays out when the page loads; here they are one (the epoch counter, a component of its
own, is shown inside it). The server sends what to show: the buttons and menus once (labels,
classes, sizes, icon paths, option labels), then only what changes (the option shown per menu, disabled
menus, hidden controls, playing or not, Advanced open or not). The browser sends back actions ("toggle", "step", "reset") and
choices (menu name and option label), handled in the order they were made: a quick second click is a
second message, never lost. The caller (`TopBar`) keeps the experiment's state as the single truth.
The browser builds the DOM from text and attributes only (no HTML from data): engine reasons come from
exceptions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

import param
from panel.viewable import Child, Children

from .esm_bundle import BundledComponent, asset_module
from .styles import app_stylesheet

# Rules for this component only, so they travel with it (app.css holds what the whole page shares).
STYLE = """
:host { display: block; background: #fff; border-bottom: 1px solid #ddd; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.08); }
.top-bar { display: flex; flex-wrap: wrap; align-items: flex-start; padding: 4px 12px 6px;
  max-width: var(--pg-page-width); margin: 0 auto; box-sizing: border-box; }
[hidden] { display: none !important; }
.skip-link { position: absolute; left: 8px; top: 8px; z-index: 100; padding: 6px 12px; border: none;
  border-radius: 4px; background: var(--pg-dark); color: #fff; font: 14px var(--pg-font); cursor: pointer; }
.skip-link:not(:focus) { width: 1px; height: 1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
.skip-link:focus { outline: 3px solid var(--pg-focus); outline-offset: 2px; }
.top-bar-box { position: relative; }
.control-button button { display: flex; align-items: center; justify-content: center; padding: 0; border: none;
  border-radius: 50%; background: #f3f3f3; color: var(--pg-text); cursor: pointer; }
.control-button button:hover { background: #e6e6e6; }
.control-button svg { fill: none; stroke: currentColor; stroke-width: 2.2; stroke-linecap: round;
  stroke-linejoin: round; }
.play-button button { box-shadow: 0 2px 6px rgba(0, 0, 0, 0.25); }
.button-label { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
.menu { display: flex; flex-direction: column; margin: 6px; }
.menu-title { display: flex; align-items: center; gap: 6px; margin-bottom: 2px; }
.menu label { font-family: var(--pg-font); color: var(--pg-muted); font-size: 13px; line-height: 17px;
  white-space: nowrap; }
.menu-help { display: none; width: 14px; height: 14px; border: 1px solid var(--pg-muted); border-radius: 50%;
  color: var(--pg-muted); font: 11px/14px var(--pg-font); text-align: center; cursor: help; }
.menu-help.shown { display: inline-block; }
.menu select { width: 100%; min-height: 31px; border: none; border-bottom: 1px solid #8a8a8a; border-radius: 0;
  background-color: transparent; font-family: var(--pg-font); font-size: 14px; color: var(--pg-text);
  appearance: none; -webkit-appearance: none; padding: 0 18px 0 2px; background-repeat: no-repeat;
  background-image: url('data:image/svg+xml;utf8,<svg viewBox="0 0 25 20" xmlns="http://www.w3.org/2000/svg"><path d="M 0,0 25,0 12.5,20 Z" fill="black" /></svg>');
  background-position: right 0.5em center; background-size: 8px 6px; }
.menu select:focus { border-bottom-color: var(--pg-blue); outline: none; }
.menu select:focus-visible, .control-button button:focus-visible, .advanced-toggle:focus-visible {
  outline: 3px solid var(--pg-focus); outline-offset: 2px; }
.menu select:disabled { background-color: #eee; color: #595959; cursor: not-allowed; }
.advanced-toggle-box { display: flex; align-items: flex-end; align-self: stretch; margin: 6px 6px 8px; }
.advanced-toggle { display: flex; align-items: center; gap: 4px; padding: 4px 8px; border: 1px solid #bbb;
  border-radius: 14px; background: #fff; color: var(--pg-text); font: 13px var(--pg-font); cursor: pointer; }
.advanced-toggle:hover { background: #f3f3f3; }
.advanced-toggle svg { fill: none; stroke: currentColor; stroke-width: 2.4; stroke-linecap: round;
  transition: transform 0.15s; }
.advanced-toggle[aria-expanded="true"] svg { transform: rotate(90deg); }
.top-bar-end { display: flex; align-items: flex-start; margin-left: auto; }
.advanced-settings { border-top: 1px solid #eee; background: #fafafa; }
.advanced-row { display: flex; flex-wrap: wrap; align-items: flex-start; max-width: var(--pg-page-width);
  margin: 0 auto; padding: 0 16px 4px; box-sizing: border-box; }
.engine-note { flex: 1 1 300px; margin: 8px 6px; font-size: 12px; line-height: 1.4; text-align: left; }
/* a window narrower than the page (a tablet): the bar wraps within the window, every control in view */
@media (max-width: 1281px) { .top-bar, .advanced-row { max-width: 100vw; margin: 0; } }
"""



class TopControls(BundledComponent):
    """Callbacks: `on_button(name)` for a click on a button, `on_choice(menu, label)` for an option picked;
    each runs holding its document's lock. `epoch`, a component of its own, sits after the buttons."""

    buttons = param.List(default=[], doc="[{name, css, label, title, icon, size, icon_size, playing?}], sent once; "
                                         "`playing` is the face shown while training (label, title, icon).")
    menus = param.List(default=[], doc="[{name, label, css, width, title, options: [[label, enabled], …], "
                                       "advanced?}], sent once; `advanced`: shown under the Advanced toggle.")
    values = param.Dict(default={}, doc="{menu name: the label of the option shown}")
    disabled = param.Dict(default={}, doc="{menu name: why it cannot be changed now}")
    hidden = param.List(default=[], doc="Names of the buttons and menus not shown.")
    playing = param.Boolean(default=False, doc="Training: the play button shows its `playing` face.")
    resync = param.Integer(default=0, doc="Bumped when a choice was not taken: the browser shows `values` again.")
    advanced = param.Boolean(default=False, doc="The Advanced settings are shown (the toggle or the server).")
    note = param.List(default=[], doc="The engine note in the Advanced settings: [[bold words, plain text], …].")
    epoch = Child(doc="The epoch counter, shown after the buttons.")
    extras = Children(doc="Other views' controls at the bar's end (the lesson picker).")

    _esm = asset_module("dom.js", "top_controls.js")
    _priority_changes: ClassVar[list[str]] = ["advanced"]
    _stylesheets = [STYLE]

    def __init__(self, on_button: Callable[[str], None], on_choice: Callable[[str, str], None], **params):
        super().__init__(sizing_mode="stretch_width", margin=0, stylesheets=[app_stylesheet()],
                         css_classes=["top-controls-pane"], **params)
        self._on_button, self._on_choice = on_button, on_choice

    def _handle_msg(self, msg) -> None:
        if not isinstance(msg, dict):
            return
        action = msg.get("action")
        if action == "click" and msg.get("button") in {b["name"] for b in self.buttons}:
            self._on_page(self._on_button, msg["button"])
        elif action == "choose" and isinstance(msg.get("menu"), str) and isinstance(msg.get("value"), str):
            self._on_page(self._on_choice, msg["menu"], msg["value"])
