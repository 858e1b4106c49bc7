"""The network picture and the output heatmap as one browser component drawn on fixed-size canvases.

Its JavaScript (`assets/frame_record.js` reads frames, `assets/network_pictures.js` computes every node's
picture from the weights, as the playground does, `assets/network_hit.js` finds what the pointer is on,
`assets/network_keys.js` where a key moves; `assets/network_draw.js`, `assets/network_editor.js` and
`assets/network_tips.js` help `assets/network_canvas.js`) draws inputs, neurons with their heatmaps (as the
playground does: rounded frames, an arrow where each output leaves), links (width and colour by weight, dashed,
the dashes flowing while training), biases, the output heatmap and the data points; it shows tooltips on hover
(following the live values), a neuron's heatmap in the output while the neuron is hovered, and a weight/bias
editor where a link or bias is clicked. The keyboard reaches all of it: the network canvas is one tab stop,
arrows move between inputs, neurons and links, Enter toggles or edits, Escape leaves; a polite live region says
what the tooltip says (docs/accessibility.md). Per update it gets one compact string
(`frame_encoding.encode_frame`), as a message once its view has acknowledged a frame (`live_component`); the
scene (where things sit, their names, the colour scales) only when the network's shape changes, the points only
when the data changes. Nothing it draws changes the page's layout, so a frame costs the browser no relayout.

Test hooks on the root `.network-picture` (Panel names the component's container `.network-canvas`):
`data-neurons`, `data-links`, `data-train-points`, `data-test-points`, `data-frame` (id of the last frame
drawn); `.network-plot` is the network's canvas
(layout coordinates of `network_layout` map onto it with y flipped), `.output-plot` the output's box (its
heatmap is the top-left PLOT_SIZE square), `.network-tooltip` the tooltip, `.weight-editor` the editor.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import param

from ..live.class_colors import CLASS_COLORS, CLASS_NAMES, class_ramp, class_text_colour
from ..live.frame_encoding import encode_frame, encode_points
from ..live.frames import Frame, Topology
from ..server.patches import component_events, frame_acks
from ..server.patches.frame_acks import ACK
from . import network_layout as nl
from . import palette
from .esm_bundle import asset_module
from .live_component import LiveComponent

PLOT_SIZE = 300  # the output heatmap, px (the playground's)
EXTENT = 6.0  # the output shows [-EXTENT, EXTENT]²
GRID_DENSITY = 100  # the pictures: every node's value at density × density points of the output (the playground's)
THUMBNAIL_SIZE = 10  # a node's picture in the network: the grid averaged down to 10 × 10, as the playground's
AXIS_RIGHT, AXIS_BELOW = 34, 26  # room for the tick labels right of and below the heatmap
GAP = 20  # between the network and the output
OUTPUT_LEFT = nl.WIDTH + GAP
WIDTH = OUTPUT_LEFT + PLOT_SIZE + AXIS_RIGHT
HEIGHT = max(nl.HEIGHT, PLOT_SIZE + AXIS_BELOW)
ROOM_BELOW_OUTPUT = HEIGHT - (PLOT_SIZE + AXIS_BELOW)  # the canvas's free height under the output's axes

STYLE = """
:host { display: block; }
.network-picture { position: relative; font-family: inherit; }
.network-plot, .output-plot { position: absolute; left: 0; top: 0; }
.network-plot:focus { outline: none; } /* the focused item has its own ring, drawn on the canvas */
.output-canvas { display: block; cursor: crosshair; }
.network-tooltip { position: absolute; display: none; pointer-events: none; z-index: 10; white-space: nowrap;
  background: #ffffff; border: 1px solid #cccccc; border-radius: 3px; padding: 4px 6px; font-size: 12px;
  color: #333333; box-shadow: 0 1px 3px rgba(0, 0, 0, 0.15); }
.weight-editor { position: absolute; display: none; align-items: center; gap: 4px; z-index: 11;
  background: #ffffff; border: 1px solid #cccccc; border-radius: 4px; padding: 4px 6px;
  box-shadow: 0 2px 6px rgba(0, 0, 0, 0.2); font-size: 12px; color: #333333; }
.weight-editor input { width: 80px; }
.edit-apply button { background: #0877bd; color: #ffffff; border: none; border-radius: 3px; padding: 3px 8px; }
.edit-cancel button { border: 1px solid #767676; border-radius: 3px; padding: 3px 8px; background: #ffffff;
  color: #333333; }
.weight-editor :focus-visible { outline: 3px solid #0877bd; outline-offset: 2px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
"""


def _y(y: float) -> float:
    """network_layout's y (up) as a canvas y (down)."""
    return round(nl.HEIGHT - float(y), 2)


def class_outputs(topology: Topology) -> list[dict]:
    """K ≥ 3: each output neuron's class, drawn in its colour and labelled; its picture (that class's
    probability) in a ramp of that one colour. Two classes: none (one output on the orange-blue scale)."""
    if topology.outputs < 3:
        return []
    return [{"colour": CLASS_COLORS[k], "text_colour": class_text_colour(k), "label": f"class {k}",
             "number": str(k), "name": CLASS_NAMES[k], "ramp": class_ramp(k)} for k in range(topology.outputs)]


def build_scene(topology: Topology, enabled: set[str], output_palette: list[str], point_palette: list[str],
                point_range: tuple[float, float], show_test: bool, hint: str, drawing: bool = False) -> dict:
    """Everything the canvas draws that does not change per frame, in canvas pixels (y down). `drawing`:
    your own data is being drawn, so test points show (hollow) even while test data is not shown."""
    g = nl.build_geometry(topology)
    half = nl.NODE / 2
    return {**_scene_graph(topology, g),
        "width": WIDTH, "height": HEIGHT, "net_width": nl.WIDTH, "net_height": nl.HEIGHT,
        "node": nl.NODE, "bias": nl.BIAS, "thumb_size": THUMBNAIL_SIZE, "density": GRID_DENSITY,
        "output": {"left": OUTPUT_LEFT, "top": 0, "size": PLOT_SIZE, "extent": EXTENT,
                   "width": PLOT_SIZE + AXIS_RIGHT, "height": PLOT_SIZE + AXIS_BELOW,
                   "ticks": list(range(-6, 7, 2))},
        "inputs": [{"name": name, "label": label, "x": round(float(cx) - half, 2), "y": round(_y(cy) - half, 2),
                    "enabled": name in enabled}
                   for name, label, cx, cy in zip(g.inputs["name"], g.inputs["label"], g.inputs["cx"],
                                                  g.inputs["cy"], strict=True)],
        "neurons": [{"x": round(float(cx) - half, 2), "y": round(_y(cy) - half, 2), "label": label}
                    for cx, cy, label in zip(g.neurons["cx"], g.neurons["cy"], g.neurons["label"], strict=True)],
        "links": [[round(float(xs[0]), 2), _y(ys[0]), round(float(xs[-1]), 2), _y(ys[-1])]
                  for xs, ys in zip(g.links["xs"], g.links["ys"], strict=True)],
        "link_labels": list(g.links["label"]),
        "biases": [[round(float(x), 2), _y(y), label]
                   for x, y, label in zip(g.biases["x"], g.biases["y"], g.biases["label"], strict=True)],
        "palette": palette.PALETTE, "output_palette": output_palette, "point_palette": point_palette,
        "point_low": point_range[0], "point_high": point_range[1], "dead_colour": palette.DEAD_LINK,
        "show_test": show_test, "hint": hint, "drawing": drawing, "class_outputs": class_outputs(topology),
    }


def _scene_graph(topology: Topology, g: nl.NetworkGeometry) -> dict:
    """Which node each link joins, for moving along the links with the keyboard (`network_keys.js`):
    `link_nodes` [from an input (1) or a neuron (0), its index, the neuron it feeds] per link, and
    `neuron_columns` the neurons' indices per layer, the output last."""
    layers = [int(layer) for layer in g.neurons["layer"]]
    columns = [[i for i, layer in enumerate(layers) if layer == column]
               for column in range(1, len(topology.layers) + 2)]
    rows = {name: row for row, name in enumerate(nl.FEATURE_NAMES)}
    link_nodes = []
    for layer, source, dest in zip(g.links["layer"], g.links["source"], g.links["dest"], strict=True):
        if layer == 0:
            link_nodes.append([1, rows[topology.features[source]], columns[0][dest]])
        else:
            link_nodes.append([0, columns[layer - 1][source], columns[layer][dest]])
    return {"link_nodes": link_nodes, "neuron_columns": columns}


class NetworkCanvas(LiveComponent):
    """The component; `NetworkView` owns it and feeds it. Callbacks: `on_edit(kind, key, value)` with key
    (layer, source, dest) for a weight or (layer, neuron) for a bias, `on_toggle_feature(name)`,
    `on_draw(x, y, shift)` for a click on the output, `on_ack(frame_id)` once a frame is drawn,
    `on_visibility(shown)` when the page is shown or hidden (a background tab, a closing one)."""

    scene = param.Dict(default={}, doc="Layout, names and colour scales (see build_scene).")
    frame = param.String(default="", doc="The latest frame (frame_encoding.encode_frame).")
    points = param.String(default="", doc="Data points (frame_encoding.encode_points).")
    playing = param.Boolean(default=False, doc="Training: the links' dashes flow, as the playground's do.")

    # one module from ten files: DOM helpers, reading frames, drawing pictures from the weights, finding what the pointer is on, moving
    # with the keyboard, drawing helpers, the editor, the tooltip, the notice of a lost connection, the component
    _esm = asset_module("dom.js", "frame_record.js", "network_pictures.js", "network_hit.js", "network_keys.js",
                        "network_draw.js", "network_editor.js", "network_tips.js", "connection_lost.js",
                        "network_canvas.js")
    _stylesheets = [STYLE]

    def __init__(self, **params):
        super().__init__(width=WIDTH, height=HEIGHT, margin=0, **params)
        self.on_edit: Callable[[str, tuple, float], None] | None = None
        self.on_toggle_feature: Callable[[str], None] | None = None
        self.on_draw: Callable[[float, float, bool], None] | None = None
        self.on_ack: Callable[[int], None] | None = None
        self.on_visibility: Callable[[bool], None] | None = None
        self._links: dict = {}
        self._biases: dict = {}
        self._topology: Topology | None = None
        self._enabled: set[str] = set()
        self._output_palette, self._point_palette = palette.PALETTE, palette.PALETTE
        self._point_range = (-1.0, 1.0)
        self._show_test, self._hint, self._drawing = False, "", False

    # ---------------------------------------------------------------- what the scene holds
    def show(self, topology: Topology | None = None, enabled: set[str] | None = None,
             output_palette: list[str] | None = None, point_palette: list[str] | None = None,
             point_range: tuple[float, float] | None = None, show_test: bool | None = None,
             hint: str | None = None, drawing: bool | None = None) -> None:
        """Change what the scene shows; it is sent again only if something changed."""
        before = (self._topology, set(self._enabled), self._output_palette, self._point_palette,
                  self._point_range, self._show_test, self._hint, self._drawing)
        self._topology = topology if topology is not None else self._topology
        self._enabled = set(enabled) if enabled is not None else self._enabled
        self._output_palette = output_palette if output_palette is not None else self._output_palette
        self._point_palette = point_palette if point_palette is not None else self._point_palette
        self._point_range = point_range if point_range is not None else self._point_range
        self._show_test = show_test if show_test is not None else self._show_test
        self._hint = hint if hint is not None else self._hint
        self._drawing = drawing if drawing is not None else self._drawing
        after = (self._topology, self._enabled, self._output_palette, self._point_palette, self._point_range,
                 self._show_test, self._hint, self._drawing)
        if after == before or self._topology is None:
            return
        geometry = nl.build_geometry(self._topology)
        self._links, self._biases = geometry.links, geometry.biases
        self.scene = build_scene(self._topology, self._enabled, self._output_palette, self._point_palette,
                                 self._point_range, self._show_test, self._hint, self._drawing)

    @property
    def topology(self) -> Topology | None:
        return self._topology

    def apply_frame(self, frame: Frame) -> None:
        text = encode_frame(frame)
        self.show_live({"frame": text}, frame=text)
        if frame.playing != self.playing:
            self.playing = frame.playing

    def set_points(self, train: np.ndarray, test: np.ndarray) -> None:
        self.points = encode_points(train, test)

    # ---------------------------------------------------------------- the browser's messages
    def _handle_msg(self, msg) -> None:
        if not isinstance(msg, dict):
            return
        if isinstance(msg.get(ACK), int):
            self.ack_received(msg[ACK])
        elif isinstance(msg.get("visible"), bool) and self.on_visibility is not None:
            self.on_visibility(msg["visible"])  # a flag for the training thread: no document change
        elif msg.get("edit") in ("link", "bias"):
            self._edit(msg)
        elif isinstance(msg.get("toggle_feature"), str) and self.on_toggle_feature is not None:
            if msg["toggle_feature"] in nl.FEATURE_NAMES:
                self._on_page(self.on_toggle_feature, msg["toggle_feature"])
        elif isinstance(msg.get("draw"), list) and len(msg["draw"]) == 3 and self.on_draw is not None:
            x, y, shift = (*map(finite_number, msg["draw"][:2]), msg["draw"][2])
            if x is not None and y is not None:  # its bounds are the data's (`datasets.add_point`)
                self._on_page(self.on_draw, x, y, bool(shift))

    def _edit(self, msg: dict) -> None:
        index, value = msg.get("index"), finite_number(msg.get("value"))
        if not isinstance(index, int) or value is None:
            return
        if self.on_edit is None:
            return
        if msg["edit"] == "link" and 0 <= index < len(self._links.get("layer", [])):
            key = (self._links["layer"][index], self._links["source"][index], self._links["dest"][index])
            self._on_page(self.on_edit, "weight", key, float(value))
        elif msg["edit"] == "bias" and 0 <= index < len(self._biases.get("layer", [])):
            key = (self._biases["layer"][index], self._biases["neuron"][index])
            self._on_page(self.on_edit, "bias", key, float(value))

    def ack_received(self, frame_id: int) -> None:
        """A view drew frame `frame_id` (`frame_acks` hands it over directly, or `_take_ack` does)."""
        self.listening = True  # a view drew a frame: it reads frames sent as messages (`live_component`)
        if self.on_ack is not None:
            self.on_ack(frame_id)


def finite_number(value: object) -> float | None:
    """A number from the page as a finite float, or None (a tampered page can send 1e999 or a 400-digit int)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if np.isfinite(number) else None


def _take_ack(canvas: NetworkCanvas, data: object) -> bool:
    """An ack arrives with every frame and changes no model: it is handed over at once, skipping Panel's
    per-message scheduling (`component_events`). The first says the view listens for frame messages."""
    if not (isinstance(data, dict) and len(data) == 1 and isinstance(data.get(ACK), int)):
        return False
    canvas.ack_received(data[ACK])
    return True


component_events.intercept_data_events(NetworkCanvas, _take_ack)
component_events.after_new_view(NetworkCanvas, lambda canvas, model: frame_acks.receive_acks(model.id, canvas))
