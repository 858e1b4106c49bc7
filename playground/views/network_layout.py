"""Where the network's nodes, links and bias squares go on the canvas, in pixels (y up, Bokeh's way).

Only geometry for drawing: which neuron sits where and the curve of each link. Link order matches
`Frame.weights`: layer by layer, then source neuron, then destination (a Keras kernel's `ravel()`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..domain.features import FEATURES, STATE_PARAM
from ..live.frames import Topology

NODE = 34  # node square, px
ROW = 46  # vertical pitch of nodes
TOP = 8  # space above the first row
WIDTH = 600
ROWS = 8  # node rows on the canvas
HEIGHT = TOP + ROWS * ROW
X_INPUT = NODE // 2 + 6
X_OUTPUT = WIDTH - NODE // 2 - 6
BIAS = 7  # bias square, px
CURVE_SAMPLES = 14

FEATURE_NAMES = list(FEATURES)  # every input feature has a row, enabled or not
FEATURE_LABELS = {name: label for name, (_fn, label) in FEATURES.items()}


def row_y(row: float) -> float:
    """Centre y of node row `row` (0 = top)."""
    return HEIGHT - TOP - NODE / 2 - row * ROW


def column_x(column: int, hidden_layers: int) -> float:
    """Centre x of column 0 (inputs) .. hidden_layers + 1 (output), evenly spread."""
    if column == hidden_layers + 1:
        return X_OUTPUT
    return X_INPUT + column * (X_OUTPUT - X_INPUT) / (hidden_layers + 1)


def neuron_name(layer: int, index: int, hidden_layers: int, outputs: int = 1) -> str:
    """`layer` 1-based over hidden layers; hidden_layers + 1 is the output (one neuron per class for K ≥ 3)."""
    if layer == hidden_layers + 1:
        return "the output" if outputs == 1 else f"the output for class {index}"
    return f"neuron {index + 1} of layer {layer}"


def _curve(x0: float, y0: float, x1: float, y1: float) -> tuple[np.ndarray, np.ndarray]:
    """A smooth S from (x0, y0) to (x1, y1): a cubic Bézier with horizontal tangents (d3's diagonal)."""
    t = np.linspace(0.0, 1.0, CURVE_SAMPLES)
    xm = (x0 + x1) / 2
    a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t ** 2, t ** 3
    return a * x0 + b * xm + c * xm + d * x1, a * y0 + b * y0 + c * y1 + d * y1


@dataclass
class NetworkGeometry:
    inputs: dict  # columns for the input-node source (all features)
    neurons: dict  # hidden neurons then the output neuron
    links: dict
    biases: dict
    layer_x: list[float]  # centre x of each hidden layer


def build_geometry(topology: Topology) -> NetworkGeometry:
    hidden = len(topology.layers)
    enabled = set(topology.features)
    # inputs: one row per feature, in FEATURES order
    in_rows = {name: i for i, name in enumerate(FEATURE_NAMES)}
    inputs = {"cx": [], "cy": [], "x": [], "y": [], "name": [], "label": [], "alpha": []}
    for name, row in in_rows.items():
        cx, cy = X_INPUT, row_y(row)
        inputs["cx"].append(cx)
        inputs["cy"].append(cy)
        inputs["x"].append(cx - NODE / 2)
        inputs["y"].append(cy - NODE / 2)
        inputs["name"].append(name)
        inputs["label"].append(FEATURE_LABELS[name])
        inputs["alpha"].append(1.0 if name in enabled else 0.25)
    # centres of every column's nodes: enabled inputs, hidden layers, the output
    columns = [[(X_INPUT, row_y(in_rows[name])) for name in topology.features]]
    for layer, units in enumerate(topology.layers, start=1):
        columns.append([(column_x(layer, hidden), row_y(i)) for i in range(units)])
    # The output sits level with the middle of the column feeding it (the last hidden layer, or the inputs);
    # K class outputs stack around that level, kept on the canvas.
    last = columns[-1] or [(X_INPUT, row_y(0))]
    middle, outputs = (min(y for _x, y in last) + max(y for _x, y in last)) / 2, topology.outputs
    lowest_top = row_y(ROWS - 1) + (outputs - 1) * ROW  # the last output still on the canvas's last row
    top = min(max(middle + (outputs - 1) / 2 * ROW, lowest_top), row_y(0))
    columns.append([(X_OUTPUT, top - i * ROW) for i in range(outputs)])
    neurons = {"cx": [], "cy": [], "x": [], "y": [], "label": [], "layer": [], "index": []}
    biases = {"x": [], "y": [], "label": [], "layer": [], "neuron": []}
    for layer, column in enumerate(columns[1:], start=1):
        for index, (cx, cy) in enumerate(column):
            name = neuron_name(layer, index, hidden, outputs)
            neurons["cx"].append(cx)
            neurons["cy"].append(cy)
            neurons["x"].append(cx - NODE / 2)
            neurons["y"].append(cy - NODE / 2)
            neurons["label"].append(name[0].upper() + name[1:])
            neurons["layer"].append(layer)
            neurons["index"].append(index)
            biases["x"].append(cx - NODE / 2 - BIAS / 2 - 2)
            biases["y"].append(cy - NODE / 2 + BIAS / 2)
            biases["label"].append(f"Bias of {name}")
            biases["layer"].append(layer - 1)  # Experiment.set_bias counts from the first hidden layer
            biases["neuron"].append(index)
    links = {"xs": [], "ys": [], "label": [], "layer": [], "source": [], "dest": []}
    for layer, (sources, dests) in enumerate(zip(columns, columns[1:], strict=False)):
        for s, (sx, sy) in enumerate(sources):
            source_name = (FEATURE_LABELS[topology.features[s]] if layer == 0
                           else neuron_name(layer, s, hidden, outputs))
            for d, (dx, dy) in enumerate(dests):
                xs, ys = _curve(sx + NODE / 2, sy, dx - NODE / 2, dy)
                links["xs"].append(xs)
                links["ys"].append(ys)
                links["label"].append(f"from {source_name} to {neuron_name(layer + 1, d, hidden, outputs)}")
                links["layer"].append(layer)
                links["source"].append(s)
                links["dest"].append(d)
    for key in ("cx", "cy", "x", "y"):
        neurons[key] = np.asarray(neurons[key], np.float32)
        inputs[key] = np.asarray(inputs[key], np.float32)
    layer_x = [column_x(layer, hidden) for layer in range(1, hidden + 1)]
    return NetworkGeometry(inputs, neurons, links, biases, layer_x)

FEATURE_NAMES_PARAMS = [STATE_PARAM[name] for name in FEATURE_NAMES]  # the ExperimentState boolean per feature
