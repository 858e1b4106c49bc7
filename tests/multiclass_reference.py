"""An independent float64 reference for K-class training with the playground's rule, point by point.

Written in the style of `tests/playground_reference.py` (nn.ts's Node/Link objects and per-point loops, in
its order of operations), and sharing no code with `engine/`: a softmax output layer of K nodes trained
with cross-entropy on integer labels, per-layer hidden activations, L1/L2 with dead links, updates after
every `batch_size` points and leftovers carried into the next epoch. Per point, the output nodes' input
derivative is p_k − [k = label] (softmax and cross-entropy together); everything before the output layer is
nn.ts's backProp unchanged.

`python -m tests.multiclass_reference` writes the K = 3 recordings in `tests/fixtures/multiclass/` (in the
format of `engine/recordings.py`); `tests/test_multiclass_recordings.py` checks the files are exactly what
this module produces and that every engine reproduces them.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

ACTIVATIONS = {  # (output, derivative at the total input)
    "tanh": (math.tanh, lambda x: 1 - math.tanh(x) ** 2),
    "relu": (lambda x: max(0.0, x), lambda x: 0.0 if x <= 0 else 1.0),
    "sigmoid": (lambda x: 1 / (1 + math.exp(-x)), lambda x: (1 / (1 + math.exp(-x))) * (1 - 1 / (1 + math.exp(-x)))),
    "linear": (lambda x: x, lambda x: 1.0),
}
REG_DER = {"L1": lambda w: -1.0 if w < 0 else (1.0 if w > 0 else 0.0), "L2": lambda w: w}
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "multiclass"


class Node:
    def __init__(self, activation, bias):
        self.input_links, self.outputs = [], []
        self.bias, self.activation = bias, activation
        self.total_input = self.output = self.output_der = self.input_der = 0.0
        self.acc_input_der, self.num_acc = 0.0, 0


class Link:
    def __init__(self, source, dest, weight, regularization):
        self.source, self.dest, self.weight, self.regularization = source, dest, weight, regularization
        self.is_dead = False
        self.error_der = self.acc_error_der = 0.0
        self.num_acc = 0


def build_network(shape, hidden_activations, regularization, weights):
    """`weights`: per layer after the inputs, per node, (bias, [weight of each input link])."""
    network = [[Node(None, 0.0) for _ in range(shape[0])]]
    for layer_idx in range(1, len(shape)):
        activation = hidden_activations[layer_idx - 1] if layer_idx < len(shape) - 1 else "softmax"
        layer = []
        for bias, link_weights in weights[layer_idx - 1]:
            node = Node(activation, bias)
            for prev, w in zip(network[-1], link_weights, strict=True):
                link = Link(prev, node, w, regularization)
                prev.outputs.append(link)
                node.input_links.append(link)
            layer.append(node)
        network.append(layer)
    return network


def forward(network, inputs):
    """The class probabilities for one point."""
    for node, value in zip(network[0], inputs, strict=True):
        node.output = value
    for layer in network[1:]:
        for node in layer:
            node.total_input = node.bias + sum(link.weight * link.source.output for link in node.input_links)
            if node.activation != "softmax":
                node.output = ACTIVATIONS[node.activation][0](node.total_input)
    out = network[-1]
    top = max(node.total_input for node in out)
    exps = [math.exp(node.total_input - top) for node in out]
    total = sum(exps)
    for node, e in zip(out, exps, strict=True):
        node.output = e / total
    return [node.output for node in out]


def back_prop(network, label):
    for k, node in enumerate(network[-1]):  # d(−ln p[label]) / d(total input of output k)
        node.input_der = node.output - (1.0 if k == label else 0.0)
    for layer_idx in range(len(network) - 1, 0, -1):
        layer = network[layer_idx]
        if layer_idx < len(network) - 1:
            for node in layer:
                node.input_der = node.output_der * ACTIVATIONS[node.activation][1](node.total_input)
        for node in layer:
            node.acc_input_der += node.input_der
            node.num_acc += 1
            for link in node.input_links:
                if link.is_dead:
                    continue
                link.error_der = node.input_der * link.source.output
                link.acc_error_der += link.error_der
                link.num_acc += 1
        if layer_idx == 1:
            continue
        for node in network[layer_idx - 1]:
            node.output_der = sum(link.weight * link.dest.input_der for link in node.outputs)


def update_weights(network, learning_rate, regularization_rate):
    for layer in network[1:]:
        for node in layer:
            if node.num_acc > 0:
                node.bias -= learning_rate * node.acc_input_der / node.num_acc
                node.acc_input_der, node.num_acc = 0.0, 0
            for link in node.input_links:
                if link.is_dead:
                    continue
                regul_der = REG_DER[link.regularization](link.weight) if link.regularization else 0.0
                if link.num_acc > 0:
                    link.weight = link.weight - (learning_rate / link.num_acc) * link.acc_error_der
                    new_weight = link.weight - (learning_rate * regularization_rate) * regul_der
                    if link.regularization == "L1" and link.weight * new_weight < 0:
                        link.weight, link.is_dead = 0.0, True
                    else:
                        link.weight = new_weight
                    link.acc_error_der, link.num_acc = 0.0, 0


def get_loss(network, points):
    """Mean over the points of −ln p[label]."""
    return sum(-math.log(forward(network, (x, y))[int(label)]) for x, y, label in points) / len(points)


def neurons(network):
    """Every non-input node as a recording lists it: layer by layer, {layer, bias, weights}."""
    return [{"layer": i, "bias": node.bias, "weights": [link.weight for link in node.input_links]}
            for i, layer in enumerate(network[1:], start=1) for node in layer]


# -- the recorded runs
def cluster_points(n, classes, spread, rng):
    """`classes` Gaussian clusters (standard deviation `spread`) centred on a circle of radius 3; point i has
    label i mod classes, so the classes interleave in training order."""
    points = []
    for i in range(n):
        label = i % classes
        angle = 2 * math.pi * label / classes
        points.append([3 * math.cos(angle) + rng.normal(0, spread), 3 * math.sin(angle) + rng.normal(0, spread),
                       float(label)])
    return points


RUNS = {  # name -> (hidden, activations, regularization, rate, batch size, learning rate, epochs, spread, seed)
    "k3_relu_tanh_l1_b7": ([6, 5], ["relu", "tanh"], "L1", 0.003, 7, 0.1, 25, 1.2, 1),  # L1 kills a few links
    "k3_tanh_sigmoid_l2_b8": ([5, 4], ["tanh", "sigmoid"], "L2", 0.01, 8, 0.3, 20, 1.8, 2),
}
N_POINTS, CLASSES = 60, 3  # 60 points: batches of 7 and of 8 both leave 4 points over every epoch


def record(name):
    hidden, activations, regularization, rate, batch_size, learning_rate, epochs, spread, seed = RUNS[name]
    rng = np.random.default_rng(seed)
    points = cluster_points(N_POINTS, CLASSES, spread, rng)
    shape = [2, *hidden, CLASSES]
    weights = [[(0.1, [float(rng.uniform(-0.5, 0.5)) for _ in range(n_in)]) for _ in range(n_out)]
               for n_in, n_out in zip(shape[:-1], shape[1:], strict=True)]
    network = build_network(shape, activations, None if regularization == "none" else regularization, weights)
    initial = neurons(network)
    losses = [get_loss(network, points)]
    for _ in range(epochs):
        for i, (x, y, label) in enumerate(points):
            forward(network, (x, y))
            back_prop(network, int(label))
            if (i + 1) % batch_size == 0:
                update_weights(network, learning_rate, rate)
        losses.append(get_loss(network, points))
    config = {"name": name, "hidden": hidden, "activation": activations[0], "activations": activations,
              "output_activation": "softmax", "loss": "cross_entropy", "num_classes": CLASSES,
              "regularization": regularization, "regularization_rate": rate, "batch_size": batch_size,
              "learning_rate": learning_rate, "epochs": epochs}
    dead = sum(link.is_dead for layer in network for node in layer for link in node.input_links)
    return {"config": config, "points": points, "initial": initial, "final": neurons(network),
            "epochs": [{"epoch": i, "loss": loss} for i, loss in enumerate(losses)], "dead_links": dead}


def write_all(folder: Path = FIXTURES) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in RUNS:
        (folder / f"{name}.json").write_text(json.dumps(record(name), indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_all()
