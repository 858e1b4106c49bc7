"""An independent, literal port of the playground's nn.ts + playground.ts training, point by point.

Used only by tests as an oracle: it shares no code with `engine/` (it has its own Node/Link objects and
per-point loops, in the playground's order of operations). Data generation is taken from
`playground.data.datasets` (itself checked against recordings).
"""

from __future__ import annotations

import math

ACTIVATIONS = {
    "tanh": (math.tanh, lambda x: 1 - math.tanh(x) ** 2),
    "relu": (lambda x: max(0.0, x), lambda x: 0.0 if x <= 0 else 1.0),
    "sigmoid": (lambda x: 1 / (1 + math.exp(-x)),
                lambda x: (1 / (1 + math.exp(-x))) * (1 - 1 / (1 + math.exp(-x)))),
    "linear": (lambda x: x, lambda x: 1.0),
}
REG_DER = {"L1": lambda w: -1.0 if w < 0 else (1.0 if w > 0 else 0.0), "L2": lambda w: w}
INPUTS = {
    "x": lambda x, y: x, "y": lambda x, y: y, "xSquared": lambda x, y: x * x, "ySquared": lambda x, y: y * y,
    "xTimesY": lambda x, y: x * y, "sinX": lambda x, y: math.sin(x), "sinY": lambda x, y: math.sin(y),
}


class Node:
    def __init__(self, activation, init_zero):
        self.input_links, self.outputs = [], []
        self.bias = 0.0 if init_zero else 0.1
        self.total_input = self.output = self.output_der = self.input_der = 0.0
        self.acc_input_der, self.num_acc = 0.0, 0
        self.activation = activation


class Link:
    def __init__(self, source, dest, regularization, init_zero, rand):
        self.source, self.dest, self.regularization = source, dest, regularization
        self.weight = rand() - 0.5  # drawn even with initZero (a field initializer in nn.ts)
        if init_zero:
            self.weight = 0.0
        self.is_dead = False
        self.error_der = self.acc_error_der = 0.0
        self.num_acc = 0


def build_network(shape, activation, output_activation, regularization, init_zero, rand):
    network = []
    for layer_idx, n in enumerate(shape):
        is_output = layer_idx == len(shape) - 1
        layer = []
        network.append(layer)
        for _ in range(n):
            node = Node(output_activation if is_output else activation, init_zero)
            layer.append(node)
            if layer_idx >= 1:
                for prev in network[layer_idx - 1]:
                    link = Link(prev, node, regularization, init_zero, rand)
                    prev.outputs.append(link)
                    node.input_links.append(link)
    return network


def forward(network, inputs):
    for node, value in zip(network[0], inputs, strict=True):
        node.output = value
    for layer in network[1:]:
        for node in layer:
            total = node.bias
            for link in node.input_links:
                total += link.weight * link.source.output
            node.total_input = total
            node.output = ACTIVATIONS[node.activation][0](total)
    return network[-1][0].output


def back_prop(network, target):
    out = network[-1][0]
    out.output_der = out.output - target
    for layer_idx in range(len(network) - 1, 0, -1):
        layer = network[layer_idx]
        for node in layer:
            node.input_der = node.output_der * ACTIVATIONS[node.activation][1](node.total_input)
            node.acc_input_der += node.input_der
            node.num_acc += 1
        for node in layer:
            for link in node.input_links:
                if link.is_dead:
                    continue
                link.error_der = node.input_der * link.source.output
                link.acc_error_der += link.error_der
                link.num_acc += 1
        if layer_idx == 1:
            continue
        for node in network[layer_idx - 1]:
            node.output_der = 0.0
            for link in node.outputs:
                node.output_der += link.weight * link.dest.input_der


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


def get_loss(network, points, features):
    loss = 0.0
    for x, y, label in points:
        out = forward(network, [INPUTS[f](x, y) for f in features])
        loss += 0.5 * (out - label) ** 2
    return loss / len(points) if len(points) else 0.0


def run_playground(train, test, features, hidden, activation, problem, regularization, reg_rate,
                   learning_rate, batch_size, init_zero, rand, epochs):
    """Build the network from `rand` (continuing the data's stream) and train; losses per epoch from 0."""
    shape = [len(features)] + list(hidden) + [1]
    output_activation = "linear" if problem == "regression" else "tanh"
    reg = None if regularization == "none" else regularization
    network = build_network(shape, activation, output_activation, reg, init_zero, rand)
    history = [(get_loss(network, train, features), get_loss(network, test, features))]
    for _ in range(epochs):
        for i, (x, y, label) in enumerate(train):
            forward(network, [INPUTS[f](x, y) for f in features])
            back_prop(network, label)
            if (i + 1) % batch_size == 0:
                update_weights(network, learning_rate, reg_rate)
        history.append((get_loss(network, train, features), get_loss(network, test, features)))
    return network, history
