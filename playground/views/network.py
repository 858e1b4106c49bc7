"""The network: input features, hidden layers with +/- controls, live neuron heatmaps, links and biases.

One Bokeh figure with fixed pixel ranges. Per frame only four columns change: the neuron images, the link
colours and widths, and the bias colours. Hovering a neuron shows its heatmap in the output plot (in the
browser, no round trip); hovering a link or bias shows its value; clicking one opens an editor.
"""

from __future__ import annotations

import numpy as np
import panel as pn
from bokeh.models import ColumnDataSource, CustomJS, HoverTool, LinearColorMapper, Range1d, TapTool
from bokeh.plotting import figure
from bokeh.transform import linear_cmap

from ..frames import Frame, Topology, feature_images, topology_of
from ..model_spec import model_spec
from ..safe_text import html_text
from ..state import MAX_LAYERS, MAX_NEURONS, ExperimentState
from . import network_layout as nl
from . import palette
from .controls import menu_options
from .icons import MINUS, PLUS

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
        images = feature_images()
        self.input_source = ColumnDataSource({"image": [images[n] for n in nl.FEATURE_NAMES]})
        self.neuron_source = ColumnDataSource({"image": []})
        self.link_source = ColumnDataSource({"xs": [], "ys": []})
        self.bias_source = ColumnDataSource({"x": [], "y": []})
        self.figure = self._make_figure()
        self.feature_toggles = pn.Column(*self._feature_toggles(), width=LABEL_WIDTH, margin=(nl.TOP, 0, 0, 0),
                                         css_classes=["feature-toggles"])
        self.add_layer = _icon_button("Add layer", PLUS, "add-layer")
        self.remove_layer = _icon_button("Remove layer", MINUS, "remove-layer")
        self.add_layer.on_click(lambda _: self._change_layers(+1))
        self.remove_layer.on_click(lambda _: self._change_layers(-1))
        self.layer_count = pn.pane.HTML("", css_classes=["layer-count"], margin=(4, 8))
        self.layer_controls = pn.Row(margin=(0, 0, 0, LABEL_WIDTH), height=88, css_classes=["layer-controls"])
        self._layer_groups: list[tuple] = []  # per hidden layer: (add, remove, count, activation, column)
        self._make_editor()
        self._rebuild(topology_of(state))
        header = pn.Row(
            pn.pane.HTML("<h2 class='column-title'>Features</h2><p class='hint'>Which properties do you want "
                         "to feed in?</p>", width=170, margin=(0, 0)),
            pn.Spacer(width=130), self.add_layer, self.remove_layer, self.layer_count, margin=0,
            css_classes=["network-header"])
        self._layout = pn.Column(
            header, self.layer_controls,
            pn.Row(self.feature_toggles, pn.pane.Bokeh(self.figure, margin=0),
                   margin=0),
            self.editor, css_classes=["network-column"], margin=(0, 10))
        state.param.watch(self._features_changed, nl.FEATURE_NAMES_PARAMS)

    # ---------------------------------------------------------------- construction
    def _make_figure(self):
        fig = figure(width=nl.WIDTH, height=nl.HEIGHT, frame_width=nl.WIDTH, frame_height=nl.HEIGHT,
                     x_range=Range1d(0, nl.WIDTH), y_range=Range1d(0, nl.HEIGHT), toolbar_location=None,
                     min_border=0, outline_line_color=None, background_fill_alpha=0, border_fill_alpha=0,
                     css_classes=["network-plot"])
        fig.axis.visible = False
        fig.grid.visible = False
        images = LinearColorMapper(palette=palette.PALETTE, low=0, high=255)
        shade = linear_cmap("shade", palette.PALETTE, -1, 1, nan_color=palette.DEAD_LINK)
        links = fig.multi_line("xs", "ys", source=self.link_source, line_color=shade, line_width="width",
                               line_dash="dash", line_alpha=0.85)
        link_hits = fig.multi_line("xs", "ys", source=self.link_source, line_width=8, line_alpha=0)
        for renderer in (links, link_hits):
            renderer.nonselection_glyph = renderer.selection_glyph = None
            renderer.hover_glyph = None
        fig.image("image", x="x", y="y", dw=nl.NODE, dh=nl.NODE, source=self.input_source, color_mapper=images,
                  global_alpha="alpha")
        input_boxes = fig.rect("cx", "cy", nl.NODE, nl.NODE, source=self.input_source, fill_alpha=0,
                               line_color="#000000", line_alpha="alpha", line_width=1)
        fig.image("image", x="x", y="y", dw=nl.NODE, dh=nl.NODE, source=self.neuron_source, color_mapper=images)
        neuron_boxes = fig.rect("cx", "cy", nl.NODE, nl.NODE, source=self.neuron_source, fill_alpha=0,
                                line_color="#000000", line_width=1)
        bias_color = linear_cmap("value", palette.PALETTE, -1, 1, nan_color=palette.DEAD_LINK)
        biases = fig.rect("x", "y", nl.BIAS, nl.BIAS, source=self.bias_source, fill_color=bias_color,
                          line_color="#777777", line_width=0.5)
        for renderer in (input_boxes, neuron_boxes, biases):
            renderer.nonselection_glyph = renderer.selection_glyph = None
        fig.add_tools(
            HoverTool(renderers=[link_hits], tooltips="<b>Weight</b> @value{0.000} (click to edit)<br>@label",
                      attachment="above", line_policy="interp"),
            HoverTool(renderers=[biases], tooltips="<b>Bias</b> @value{0.000} (click to edit)<br>@label",
                      attachment="above"),
            HoverTool(renderers=[input_boxes], tooltips="@label — click to turn on or off", attachment="below"),
            TapTool(renderers=[link_hits, biases, input_boxes]),
        )
        self._hover_nodes = HoverTool(renderers=[neuron_boxes, input_boxes], tooltips=None)
        fig.add_tools(self._hover_nodes)
        self._node_renderers = (neuron_boxes, input_boxes)
        fig.toolbar.active_inspect = fig.select(HoverTool)
        self.link_source.selected.on_change("indices", self._link_tapped)
        self.bias_source.selected.on_change("indices", self._bias_tapped)
        self.input_source.selected.on_change("indices", self._input_tapped)
        return fig

    def show_hovered_in(self, overlays) -> None:
        """Hovering a neuron (or input) draws its heatmap over the output plot: `overlays` = (neurons, inputs)."""
        self._hover_nodes.callback = CustomJS(args={"nodes": self._node_renderers, "overlays": overlays}, code="""
            const k = cb_data.renderer === nodes[0] ? 0 : 1;
            const overlay = overlays[k];
            const hit = cb_data.index.indices;
            if (hit.length) {
              const i = hit[hit.length - 1];
              if (overlay.view.filter.indices[0] !== i) overlay.view.filter.indices = [i];
              if (!overlay.visible) overlay.visible = true;
            } else if (overlay.visible) {
              overlay.visible = false;
            }""")

    def _feature_toggles(self) -> list:
        toggles = []
        for name, param_name in zip(nl.FEATURE_NAMES, nl.FEATURE_NAMES_PARAMS, strict=True):
            toggle = pn.widgets.Toggle.from_param(
                self.state.param[param_name], label=nl.FEATURE_LABELS[name], width=LABEL_WIDTH - 8,
                height=nl.NODE, margin=((nl.ROW - nl.NODE) // 2, 4),
                css_classes=["feature-toggle", f"feature-{name}"])
            toggles.append(toggle)
        return toggles

    def _make_editor(self) -> None:
        self.editor_label = pn.pane.HTML("", margin=(8, 6), css_classes=["editor-label"])
        self.editor_value = pn.widgets.FloatInput(label="", value=0.0, step=0.1, width=110,
                                                  css_classes=["edit-value"], margin=(4, 4))
        apply = pn.widgets.Button(label="Apply", color="primary", width=70, css_classes=["edit-apply"],
                                  margin=(4, 4))
        cancel = pn.widgets.Button(label="Cancel", width=70, css_classes=["edit-cancel"], margin=(4, 4))
        apply.on_click(self._apply_edit)
        cancel.on_click(lambda _: setattr(self.editor, "visible", False))
        self._editing: tuple | None = None
        self.editor = pn.Row(self.editor_label, self.editor_value, apply, cancel, visible=False,
                             css_classes=["weight-editor"], margin=(0, 0, 0, LABEL_WIDTH))

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

    def _open_editor(self, kind: str, key: tuple, label: str, value: float) -> None:
        self._editing = (kind, *key)
        self.editor_label.object = f"<b>{html_text(kind.title())}</b> {html_text(label)}"
        self.editor_value.value = round(float(value), 4) if np.isfinite(value) else 0.0
        self.editor.visible = True

    def _apply_edit(self, _event=None) -> None:
        if self._editing is None or self.editor_value.value is None:
            return
        kind, *key = self._editing
        if kind == "weight":
            self.session.set_weight(*key, self.editor_value.value)
        else:
            self.session.set_bias(*key, self.editor_value.value)
        self.editor.visible = False

    def _link_tapped(self, _attr, _old, new) -> None:
        if new:
            d, i = self.link_source.data, new[0]
            self._open_editor("weight", (d["layer"][i], d["source"][i], d["dest"][i]), d["label"][i], d["value"][i])
            self.link_source.selected.indices = []

    def _bias_tapped(self, _attr, _old, new) -> None:
        if new:
            d, i = self.bias_source.data, new[0]
            self._open_editor("bias", (d["layer"][i], d["neuron"][i]), d["label"][i][len("Bias "):], d["value"][i])
            self.bias_source.selected.indices = []

    def _input_tapped(self, _attr, _old, new) -> None:
        if new:
            param_name = nl.FEATURE_NAMES_PARAMS[new[0]]
            setattr(self.state, param_name, not getattr(self.state, param_name))
            self.input_source.selected.indices = []

    def _features_changed(self, *_events) -> None:
        self.input_source.data.update(alpha=[1.0 if getattr(self.state, p) else 0.25
                                             for p in nl.FEATURE_NAMES_PARAMS])

    # ---------------------------------------------------------------- frames
    def _rebuild(self, topology: Topology) -> None:
        geometry = nl.build_geometry(topology)
        self.input_source.data.update(**geometry.inputs)
        n_links, n_neurons = len(geometry.links["xs"]), len(geometry.neurons["cx"])
        self.link_source.data = {**geometry.links, "value": np.zeros(n_links, np.float32),
                                 "shade": np.zeros(n_links, np.float32), "width": np.ones(n_links, np.float32),
                                 "dash": ["solid"] * n_links}
        blank = np.full((nl.NODE, nl.NODE), 127, np.uint8)
        self.neuron_source.data = {**geometry.neurons, "image": [blank] * n_neurons}
        self.bias_source.data = {**geometry.biases, "value": np.zeros(n_neurons, np.float32)}
        self._rebuild_layer_controls(topology, geometry.layer_x)
        self.editor.visible = False
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
        self.neuron_source.data.update(image=frame.neuron_images)
        links = {"value": frame.weights, "shade": frame.shades, "width": frame.widths}
        if frame.dead is not None:
            links["dash"] = ["dashed" if dead else "solid" for dead in frame.dead]
        self.link_source.data.update(**links)
        self.bias_source.data.update(value=frame.biases)

    def __panel__(self):
        return self._layout
