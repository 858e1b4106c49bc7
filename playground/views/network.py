"""The network: input features, hidden layers with +/- controls and an activation each, and the canvas that
draws the network (neuron heatmaps, links, biases) with the output heatmap beside it (`network_canvas`).

Hovering a neuron shows its heatmap in the output plot; hovering a link or bias shows its value; clicking
one opens an editor there; clicking an input turns it on or off. All of that happens in the browser; the
server hears only the result (an edit, a toggle, a drawn point).
"""

from __future__ import annotations

import panel as pn

from ..frames import Frame, Topology, topology_of
from ..model_spec import model_spec
from ..state import MAX_LAYERS, MAX_NEURONS, ExperimentState
from . import network_layout as nl
from .controls import menu_options
from .icons import MINUS, PLUS
from .network_canvas import GAP, NetworkCanvas

LABEL_WIDTH = 64  # the feature toggles left of the canvas
GROUP_WIDTH = 76  # a hidden layer's +/- buttons and neuron count


def _icon_button(name: str, icon: str, css: str, **params) -> pn.widgets.Button:
    """A round icon button; its name stays in the DOM (visually hidden) so it can be found by name."""
    return pn.widgets.Button(label=name, icon=icon, icon_size="14px", css_classes=["icon-button", css],
                             description=name, width=26, height=26, margin=(0, 3), **params)


class NetworkView(pn.viewable.Viewer):
    def __init__(self, state: ExperimentState, session, **params):
        super().__init__(**params)
        self.state, self.session = state, session
        self._topology: Topology | None = None
        self.canvas = NetworkCanvas()
        self.canvas.on_edit = self._edit
        self.canvas.on_toggle_feature = self._toggle_feature
        self.feature_toggles = pn.Column(*self._feature_toggles(), width=LABEL_WIDTH, margin=(nl.TOP, 0, 0, 0),
                                         css_classes=["feature-toggles"])
        self.add_layer = _icon_button("Add layer", PLUS, "add-layer")
        self.remove_layer = _icon_button("Remove layer", MINUS, "remove-layer")
        self.add_layer.on_click(lambda _: self._change_layers(+1))
        self.remove_layer.on_click(lambda _: self._change_layers(-1))
        self.layer_count = pn.pane.HTML("", css_classes=["layer-count"], margin=(4, 8))
        self.layer_controls = pn.Row(margin=(0, 0, 0, LABEL_WIDTH), height=88, css_classes=["layer-controls"])
        self._layer_groups: list[tuple] = []  # per hidden layer: (add, remove, count, activation, column)
        self._rebuild(topology_of(state))
        header = pn.Row(
            pn.pane.HTML("<h2 class='column-title'>Features</h2><p class='hint'>Which properties do you want "
                         "to feed in?</p>", width=170, margin=(0, 0)),
            pn.Spacer(width=130), self.add_layer, self.remove_layer, self.layer_count, margin=0,
            css_classes=["network-header"])
        # Above the canvas (the network's header and layer controls), and the canvas row itself: the app puts
        # the output's read-outs beside `top`, over the output heatmap the canvas draws on its right.
        self.top = pn.Column(header, self.layer_controls, width=LABEL_WIDTH + nl.WIDTH + GAP, margin=0,
                             css_classes=["network-column"])
        self.picture = pn.Row(self.feature_toggles, self.canvas, margin=0)
        state.param.watch(self._features_changed, nl.FEATURE_NAMES_PARAMS)

    def _feature_toggles(self) -> list:
        toggles = []
        for name, param_name in zip(nl.FEATURE_NAMES, nl.FEATURE_NAMES_PARAMS, strict=True):
            toggle = pn.widgets.Toggle.from_param(
                self.state.param[param_name], label=nl.FEATURE_LABELS[name], width=LABEL_WIDTH - 8,
                height=nl.NODE, margin=((nl.ROW - nl.NODE) // 2, 4),
                css_classes=["feature-toggle", f"feature-{name}"])
            toggles.append(toggle)
        return toggles

    # ---------------------------------------------------------------- user actions
    def _change_layers(self, delta: int) -> None:
        shape = list(self.state.network_shape)
        if delta > 0 and len(shape) < MAX_LAYERS:
            shape.append(2)  # the playground adds a layer of two neurons
        elif delta < 0 and shape:
            shape.pop()
        self.state.network_shape = shape

    def _change_activation(self, layer: int, name: str) -> None:
        """One hidden layer's activation picked in its header; the others keep theirs."""
        per_layer = list(model_spec(self.state).hidden_activations)
        if layer < len(per_layer) and per_layer[layer] != name:
            per_layer[layer] = name
            self.state.activations = per_layer

    def _change_neurons(self, layer: int, delta: int) -> None:
        shape = list(self.state.network_shape)
        if layer < len(shape) and 1 <= shape[layer] + delta <= MAX_NEURONS:
            shape[layer] += delta
            self.state.network_shape = shape

    def _edit(self, kind: str, key: tuple, value: float) -> None:
        if kind == "weight":
            self.session.set_weight(*key, value)
        else:
            self.session.set_bias(*key, value)

    def _toggle_feature(self, name: str) -> None:
        param_name = nl.FEATURE_NAMES_PARAMS[nl.FEATURE_NAMES.index(name)]
        setattr(self.state, param_name, not getattr(self.state, param_name))

    def _features_changed(self, *_events) -> None:
        self.canvas.show(enabled={name for name, p in zip(nl.FEATURE_NAMES, nl.FEATURE_NAMES_PARAMS, strict=True)
                                  if getattr(self.state, p)})

    # ---------------------------------------------------------------- frames
    def _rebuild(self, topology: Topology) -> None:
        self.canvas.show(topology=topology, enabled=set(topology.features))
        self._rebuild_layer_controls(topology, nl.build_geometry(topology).layer_x)
        self._topology = topology

    def _rebuild_layer_controls(self, topology: Topology, layer_x: list[float]) -> None:
        n = len(topology.layers)
        self.layer_count.object = f"<span class='layer-count-number'>{n}</span> hidden layer{'s' * (n != 1)}"
        self.add_layer.disabled, self.remove_layer.disabled = n >= MAX_LAYERS, n == 0
        groups, left = [], 0.0
        for layer, (units, x) in enumerate(zip(topology.layers, layer_x, strict=True)):
            add, remove, count, activation, group = self._layer_group(layer)
            add.disabled, remove.disabled = units >= MAX_NEURONS, units <= 1
            count.object = f"{units} neuron{'s' * (units != 1)}"
            if layer < len(topology.activations) and activation.value != topology.activations[layer]:
                activation.value = topology.activations[layer]
            start = x - GROUP_WIDTH / 2
            group.margin = (0, 0, 0, int(round(start - left)))
            groups.append(group)
            left = start + GROUP_WIDTH
        if self.layer_controls.objects != groups:
            self.layer_controls.objects = groups

    def _layer_group(self, layer: int) -> tuple:
        """The +/- buttons, count and column of hidden layer `layer`, made once and then reused: a button
        replaced on every change would drop a quick second click that reaches the server after the first."""
        while len(self._layer_groups) <= layer:
            k = len(self._layer_groups)
            add = _icon_button(f"Add neuron to layer {k + 1}", PLUS, "add-neuron")
            remove = _icon_button(f"Remove neuron from layer {k + 1}", MINUS, "remove-neuron")
            add.on_click(lambda _e, k=k: self._change_neurons(k, +1))
            remove.on_click(lambda _e, k=k: self._change_neurons(k, -1))
            count = pn.pane.HTML("", css_classes=["neuron-count"], margin=(2, 0), align="center")
            activation = pn.widgets.Select(options=menu_options("activation"), value=self.state.activation,
                                           width=GROUP_WIDTH - 6, margin=(0, 3), align="center",
                                           description=f"Activation of layer {k + 1}",
                                           css_classes=["layer-activation", f"layer-{k + 1}-activation"])
            activation.param.watch(lambda event, k=k: self._change_activation(k, event.new), "value")
            group = pn.Column(pn.Row(add, remove, align="center", margin=0), count, activation, width=GROUP_WIDTH,
                              css_classes=[f"layer-{k + 1}-controls"])
            self._layer_groups.append((add, remove, count, activation, group))
        return self._layer_groups[layer]

    def apply_frame(self, frame: Frame) -> None:
        if frame.topology != self._topology:
            self._rebuild(frame.topology)
        self.canvas.apply_frame(frame)
        if frame.train_points is not None:
            self.canvas.set_points(frame.train_points, frame.test_points)

    def __panel__(self):
        return pn.Column(self.top, self.picture, margin=(0, 10))
