"""The network: input features, hidden layers with +/- controls and an activation each, and the canvas that
draws the network (neuron heatmaps, links, biases) with the output heatmap beside it (`network_canvas`);
the feature toggles and the layer controls are browser components too (`network_controls`).

Hovering a neuron shows its heatmap in the output plot; hovering a link or bias shows its value; clicking
one opens an editor there; clicking an input turns it on or off. All of that happens in the browser; the
server hears only the result (an edit, a toggle, a drawn point).
"""

from __future__ import annotations

import panel as pn

from ..domain.model_spec import model_spec
from ..domain.state import MAX_LAYERS, MAX_NEURONS, ExperimentState
from ..live.frames import Frame, Topology, topology_of
from . import network_layout as nl
from .network_canvas import NetworkCanvas
from .network_controls import FeatureToggles, LayerControls, layer_spec


class NetworkView(pn.viewable.Viewer):
    def __init__(self, state: ExperimentState, session, **params):
        super().__init__(**params)
        self.state, self.session = state, session
        self._topology: Topology | None = None
        self._show_layers, self._show_hints = True, True
        self.canvas = NetworkCanvas()
        self.canvas.on_edit = self._edit
        self.canvas.on_toggle_feature = self._toggle_feature
        self.feature_toggles = FeatureToggles(on_toggle=self._toggle_feature)
        # Above the canvas: the network's header and layer controls; the app puts the output's read-outs
        # beside `top`, over the output heatmap the canvas draws on its right.
        self.top = LayerControls(on_layers=self._change_layers, on_neurons=self._change_neurons,
                                 on_activation=self._change_activation)
        self._rebuild(topology_of(state))
        self._features_changed()
        self.picture = pn.Row(self.feature_toggles, self.canvas, margin=0)
        state.param.watch(self._features_changed, nl.FEATURE_NAMES_PARAMS)

    def show_controls(self, layers: bool, hints: bool) -> None:
        """Show or hide the layer controls (the link's `numHiddenLayers_hide`) and the hint (`hideText`)."""
        self._show_layers, self._show_hints = layers, hints
        if self._topology is not None:
            self._show_layer_controls(self._topology)

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
        enabled = {name for name, p in zip(nl.FEATURE_NAMES, nl.FEATURE_NAMES_PARAMS, strict=True)
                   if getattr(self.state, p)}
        self.feature_toggles.show(enabled)
        self.canvas.show(enabled=enabled)

    # ---------------------------------------------------------------- frames
    def _rebuild(self, topology: Topology) -> None:
        self.canvas.show(topology=topology, enabled=set(topology.features))
        self._show_layer_controls(topology)
        self._topology = topology

    def _show_layer_controls(self, topology: Topology) -> None:
        self.top.show(layer_spec(topology, show_layers=self._show_layers, show_hints=self._show_hints))

    def apply_frame(self, frame: Frame) -> None:
        if frame.topology != self._topology:
            self._rebuild(frame.topology)
        self.canvas.apply_frame(frame)
        if frame.train_points is not None:
            self.canvas.set_points(frame.train_points, frame.test_points)

    def __panel__(self):
        return pn.Column(self.top, self.picture, margin=(0, 10))
