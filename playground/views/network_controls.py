"""The network's controls as two browser components (their JavaScript: `assets/network_controls.js`).

`LayerControls`, above the network: the "Features" title and hint, the add/remove layer buttons and the
layer count, and over each hidden layer's column its +/- neuron buttons, its neuron count and its
activation menu. `FeatureToggles`, left of the network: one toggle per input feature.

Built from Panel widgets these were ~60 Bokeh models (an icon button alone is a Button, a Tooltip and an
SVGIcon), each a view the browser builds when the page loads, and layouts cost more; here they are two.
The server sends what to show (counts, labels, disabled flags, where each layer's column sits) and hears
only actions back ("add a neuron to layer 2"), applied in the order they were clicked: a quick second
click is a second message to the same component, never a click on a button the server has replaced.
The browser builds the DOM from text and attributes only (no HTML from data).
"""

from __future__ import annotations

from collections.abc import Callable
from string import Template

import param

from ..domain.state import ACTIVATION_LABELS, MAX_LAYERS, MAX_NEURONS
from ..live.frames import Topology
from ..resources import asset
from . import network_layout as nl
from .esm_bundle import BundledComponent, asset_module
from .network_canvas import GAP
from .styles import app_stylesheet

LABEL_WIDTH = 64  # the feature toggles left of the canvas
GROUP_WIDTH = 76  # a hidden layer's +/- buttons, neuron count and activation menu
HEADER_HEIGHT = 52  # the title, hint (one line) and layer buttons
GROUPS_HEIGHT = 82  # the hidden layers' controls, between the header and the canvas
ACTIVATION_NAMES = {label: name for name, label in ACTIVATION_LABELS.items()}

LAYER_STYLE = Template("""
:host { display: block; }
.network-controls { position: relative; width: 100%; height: 100%; }
.layer-groups { position: absolute; left: 0; top: ${header}px; }
.features-title { position: absolute; left: 0; top: 0; width: 290px; }
.icon-button { position: absolute; top: 0; width: 26px; height: 26px; padding: 0; border: none; border-radius: 50%;
  background: #e8e8e8; color: #444; display: flex; align-items: center; justify-content: center; cursor: pointer; }
.icon-button:hover { background: #d5d5d5; }
.icon-button:disabled { color: #b0b0b0; background: transparent; cursor: default; }
.icon-button svg { width: 14px; height: 14px; fill: none; stroke: currentColor; stroke-width: 2.2;
  stroke-linecap: round; }
.add-layer { left: 303px; }
.remove-layer { left: 335px; }
.layer-count { position: absolute; left: 372px; top: 4px; white-space: nowrap; font-family: var(--pg-font);
  text-transform: uppercase; font-size: 15px; color: var(--pg-text); }
.layer-count-number { font-size: 18px; margin-right: 4px; }
.layer-group { position: absolute; top: 0; width: ${group}px; height: ${groups}px; }
.add-neuron { left: 9px; }
.remove-neuron { left: 41px; }
.neuron-count { position: absolute; top: 28px; left: 0; width: 100%; text-align: center; font-family: var(--pg-font);
  font-size: 12px; color: var(--pg-muted); line-height: 17px; }
.layer-activation { position: absolute; top: 47px; left: 3px; width: ${menu}px; }
.layer-activation select { width: 100%; height: 31px; border: none; border-bottom: 1px solid #8a8a8a; border-radius: 0;
  background: transparent; font-family: var(--pg-font); font-size: 14px; color: var(--pg-text); padding-left: 2px; }
.layer-activation select:focus { border-bottom-color: var(--pg-blue); outline: none; }
.layer-activation select:focus-visible, .icon-button:focus-visible { outline: 3px solid var(--pg-focus);
  outline-offset: 2px; }
.hide-layers .layer-buttons, .hide-layers .layer-groups { display: none; }
.hide-text .hint { display: none; }
""").substitute(header=HEADER_HEIGHT, group=GROUP_WIDTH, groups=GROUPS_HEIGHT, menu=GROUP_WIDTH - 6)

TOGGLE_STYLE = Template("""
:host { display: block; }
.feature-toggles { position: relative; width: 100%; height: 100%; }
.feature-toggle { position: absolute; left: 4px; width: ${width}px; height: ${node}px; padding: 0 6px; border: none;
  background: transparent; text-align: right; font-family: var(--pg-font); font-size: 14px; color: var(--pg-muted);
  cursor: pointer; }
.feature-toggle[aria-pressed="true"] { color: #111; font-weight: 700; }
.feature-toggle:focus-visible { outline: 3px solid var(--pg-focus); outline-offset: -2px; }
.feature-toggle:hover { color: var(--pg-blue); }
""").substitute(width=LABEL_WIDTH - 8, node=nl.NODE)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def layer_spec(topology: Topology, *, show_layers: bool = True, show_hints: bool = True) -> dict:
    """What `LayerControls` shows for `topology`: per hidden layer its left edge (px, over its column on the
    canvas), neuron count, activation label and which of its buttons work."""
    n = len(topology.layers)
    layers = []
    for layer, units in enumerate(topology.layers):
        activation = topology.activations[layer] if layer < len(topology.activations) else ""
        layers.append({"left": round(LABEL_WIDTH + nl.column_x(layer + 1, n) - GROUP_WIDTH / 2, 2),
                       "neurons": _plural(units, "neuron"), "activation": ACTIVATION_LABELS.get(activation, ""),
                       "can_add": units < MAX_NEURONS, "can_remove": units > 1})
    return {"count": n, "count_text": "hidden layer" + "s" * (n != 1), "can_add": n < MAX_LAYERS,
            "can_remove": n > 0, "layers": layers, "activations": list(ACTIVATION_LABELS.values()),
            "show_layers": show_layers, "show_hints": show_hints}


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class LayerControls(BundledComponent):
    """Callbacks: `on_layers(delta)`, `on_neurons(layer, delta)` (layer 0-based), `on_activation(layer, name)`;
    each runs holding the document's lock."""

    spec = param.Dict(default={}, doc="What is shown (layer_spec).")

    _esm = asset_module("dom.js", "network_controls.js")
    _stylesheets = [LAYER_STYLE]

    def __init__(self, on_layers: Callable[[int], None], on_neurons: Callable[[int, int], None],
                 on_activation: Callable[[int, str], None], **params):
        super().__init__(width=LABEL_WIDTH + nl.WIDTH + GAP, height=HEADER_HEIGHT + GROUPS_HEIGHT, margin=0,
                         stylesheets=[app_stylesheet()], css_classes=["network-column"], **params)
        self._on_layers, self._on_neurons, self._on_activation = on_layers, on_neurons, on_activation

    def show(self, spec: dict) -> None:
        if spec != self.spec:
            self.spec = spec
        # hidden layer controls give their room back, as hidden Panel widgets did: the canvas moves up
        height = HEADER_HEIGHT + (GROUPS_HEIGHT if spec["show_layers"] else 0)
        if height != self.height:
            self.height = height

    def _handle_msg(self, msg) -> None:
        if not isinstance(msg, dict):
            return
        action, layer = msg.get("action"), msg.get("layer")
        if action in ("add_layer", "remove_layer"):
            self._on_page(self._on_layers, +1 if action == "add_layer" else -1)
        elif action in ("add_neuron", "remove_neuron") and _is_int(layer) and layer >= 0:
            delta = +1 if action == "add_neuron" else -1
            self._on_page(self._on_neurons, layer, delta)
        elif action == "activation" and _is_int(layer) and layer >= 0 and msg.get("value") in ACTIVATION_NAMES:
            name = ACTIVATION_NAMES[msg["value"]]
            self._on_page(self._on_activation, layer, name)



class FeatureToggles(BundledComponent):
    """One toggle per input feature, level with its row on the canvas. Callback: `on_toggle(name)`."""

    features = param.List(default=[], doc="[name, label, on, top (px)] per input feature.")

    _esm = asset("feature_toggles.js")
    _stylesheets = [TOGGLE_STYLE]

    def __init__(self, on_toggle: Callable[[str], None], **params):
        super().__init__(width=LABEL_WIDTH, height=nl.HEIGHT, margin=0, stylesheets=[app_stylesheet()],
                         css_classes=["feature-toggles"], **params)
        self._on_toggle = on_toggle

    def show(self, enabled: set[str]) -> None:
        features = [[name, nl.FEATURE_LABELS[name], name in enabled, nl.TOP + (nl.ROW - nl.NODE) // 2 + row * nl.ROW]
                    for row, name in enumerate(nl.FEATURE_NAMES)]
        if features != self.features:
            self.features = features

    def _handle_msg(self, msg) -> None:
        if isinstance(msg, dict) and msg.get("action") == "toggle_feature" and msg.get("feature") in nl.FEATURE_NAMES:
            self._on_page(self._on_toggle, msg["feature"])
