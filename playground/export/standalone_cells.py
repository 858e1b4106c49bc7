"""The code cells of the standalone notebook (`standalone_notebook.py`) that do not depend on the link; its
pictures are both notebooks' (`notebook_plots.py`).

Plain numpy, written to be read: each cell is one step of the lesson. The arithmetic is the engine's
numpy backend's, operation for operation (the same products on the same memory layouts, the same
activation expressions), so the notebook's losses equal `playground run --engine numpy` bit for bit.
"""

from engine.backends.array_kernels import ACTIVATIONS

FEATURES_CODE = """\
# How each input feature is computed from a point's x and y.
FEATURE_FUNCTIONS = {
    "x": lambda x, y: x, "y": lambda x, y: y,
    "xSquared": lambda x, y: x * x, "ySquared": lambda x, y: y * y, "xTimesY": lambda x, y: x * y,
    "sinX": lambda x, y: np.sin(x), "sinY": lambda x, y: np.sin(y),
}


def inputs(points):
    \"\"\"[features, 1]: one column per chosen feature, then a column of ones that multiplies the biases.\"\"\"
    x, y = points[:, 0], points[:, 1]
    x1 = np.empty((len(points), len(FEATURES) + 1))
    if FEATURES:
        x1[:, :-1] = np.column_stack([FEATURE_FUNCTIONS[name](x, y) for name in FEATURES])
    x1[:, -1] = 1.0
    return x1


def targets(points):
    \"\"\"What the output should be: the label as a column, or for K classes a row with a 1 at the label.\"\"\"
    if CLASSES > 2:
        return np.eye(CLASSES)[points[:, 2].astype(int)]  # "one-hot" rows
    return points[:, 2:3].copy()


X1_TRAIN, Y_TRAIN = inputs(train), targets(train)
X1_TEST, Y_TEST = inputs(test), targets(test)"""

def _activations_code() -> str:
    """The activations as numpy functions, written from the engine's one table for numpy and torch
    (`engine.backends.array_kernels.ACTIVATIONS`): the expressions the numpy backend runs, over the same
    primitives, so a new activation there reaches this notebook too."""
    elementwise = {name: act for name, act in ACTIVATIONS.items() if act.grad_times is not None}

    def branches(field: str) -> str:
        lines = []
        for name, act in elementwise.items():
            note = f"  # {act.note}" if act.note and field == "grad_times" else ""
            lines.append(f"    if name == {name!r}:\n        return {getattr(act, field)}{note}\n")
        return "".join(lines) + "    raise ValueError(f\"unknown activation {name!r}\")"

    return f"""\
# The building blocks the activations are written with (numpy's own, and two one-liners).
exp, tanh = np.exp, np.tanh


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def relu(z):
    return np.maximum(z, 0.0)


def softmax(z):
    \"\"\"K outputs -> K probabilities that add up to 1 (shifted by the row's maximum so exp cannot overflow).\"\"\"
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def activation(name, z):
    \"\"\"f(z): the activation f of a layer applied to every neuron's sum z.\"\"\"
{branches("forward")}


def slope_times(name, da, z, a):
    \"\"\"da · f'(z), the chain rule through an activation, given a = f(z).\"\"\"
{branches("grad_times")}"""


ACTIVATIONS_CODE = _activations_code()

FORWARD_CODE = """\
def forward(x1):
    \"\"\"Run points [x, 1] through the network; every layer's (input [x, 1], z, a), the output's last.\"\"\"
    layers = []
    for i, P in enumerate(PARAMS):
        z = x1 @ P  # each neuron: the weighted sum of its inputs plus its bias
        if i < len(PARAMS) - 1:  # a hidden layer: its outputs, then a column of ones for the next layer
            next_x1 = np.ones((len(z), z.shape[1] + 1))
            a = next_x1[:, :-1]
            a[...] = activation(ACTIVATIONS[i], z)
        elif OUTPUT == "softmax":
            a = softmax(z)
        else:
            a = activation(OUTPUT, z)
        layers.append((x1, z, a))
        x1 = next_x1 if i < len(PARAMS) - 1 else None
    return layers


def predict(points):
    return forward(inputs(points))[-1][2]


def loss(x1, y):
    \"\"\"The loss the playground reports: the mean over the points of ½(output − label)², or for K classes
    the mean cross-entropy −ln(probability the network gives the right class).\"\"\"
    if len(x1) == 0:
        return 0.0
    out = forward(x1)[-1][2]
    if OUTPUT == "softmax":
        return float(-(y * np.log(np.clip(out, 1e-12, 1.0))).sum()) / len(x1)
    d = out - y
    return 0.5 * float(np.dot(d.ravel(), d.ravel())) / len(x1)"""

BACKWARD_CODE = """\
def gradients(x1, y, scale):
    \"\"\"scale × the sum over these points of ∂loss/∂P for every layer, by the chain rule from the output back.\"\"\"
    layers = forward(x1)
    da = layers[-1][2] - y  # ∂loss/∂output: output − label (for softmax with cross-entropy: ∂loss/∂z directly)
    if scale != 1.0:
        da *= scale  # scaling here scales every layer's gradient
    name = "linear" if OUTPUT == "softmax" else OUTPUT
    grads = [None] * len(PARAMS)
    for i in range(len(PARAMS) - 1, -1, -1):
        x, z, a = layers[i]
        dz = slope_times(name, da, z, a)  # through the activation
        grads[i] = x.T @ dz  # ∂loss/∂P = inputsᵀ · dz (its last row, from the ones column: the biases')
        if i:
            da = dz @ PARAMS[i][:-1].T  # back to the previous layer's outputs (the bias row feeds nothing back)
            name = ACTIVATIONS[i - 1]
    return grads"""

UPDATE_CODE = """\
DEAD = [np.zeros((P.shape[0] - 1, P.shape[1]), bool) for P in PARAMS]  # links L1 has cut (weight stuck at 0)


def update(sums, step):
    \"\"\"The playground's rule for every layer: P ← P − step · sums, then each weight (not the biases) is
    pulled toward 0 by the regularization, with its slope taken at the weight before this update:
    L2 subtracts LEARNING_RATE · REGULARIZATION_RATE · w, L1 that rate · sign(w) and cuts a link whose
    weight would cross 0.\"\"\"
    decay = LEARNING_RATE * REGULARIZATION_RATE
    for i, (P, S) in enumerate(zip(PARAMS, sums)):
        new = P - step * S
        if REGULARIZATION != "none":
            w, stepped = P[:-1], new[:-1]
            regularized = stepped - decay * (np.sign(w) if REGULARIZATION == "L1" else w)
            if REGULARIZATION == "L1":
                crossed = stepped * regularized < 0
                regularized[crossed] = 0.0
                DEAD[i] |= crossed
            new[:-1] = regularized
        new[:-1][DEAD[i]] = 0.0
        PARAMS[i] = new"""

TRAINING_CODE = """\
# The playground walks the training points in order, adding up their gradients, and updates the weights
# after every BATCH_SIZE points (step = LEARNING_RATE / points summed). Points left over at the end of an
# epoch are not wasted: their sums wait and join the first update of the next epoch.
pending, pending_points = None, 0
history = {"epoch": [0], "train": [loss(X1_TRAIN, Y_TRAIN)], "test": [loss(X1_TEST, Y_TEST)]}
for epoch in range(1, EPOCHS + 1):
    start = 0
    while start < len(X1_TRAIN):
        stop = min(len(X1_TRAIN), (start // BATCH_SIZE + 1) * BATCH_SIZE)  # up to the next batch boundary
        x1, y, n = X1_TRAIN[start:stop], Y_TRAIN[start:stop], stop - start
        ends_batch = stop % BATCH_SIZE == 0
        if ends_batch and pending is None:  # a whole batch: scale by LEARNING_RATE / n once, up front
            update(gradients(x1, y, LEARNING_RATE / n), 1.0)
        else:  # leftovers: keep summing, update when a batch is complete
            grads = gradients(x1, y, 1.0)
            pending = grads if pending is None else [p + g for p, g in zip(pending, grads)]
            pending_points += n
            if ends_batch:
                update(pending, LEARNING_RATE / pending_points)
                pending, pending_points = None, 0
        start = stop
    history["epoch"].append(epoch)
    history["train"].append(loss(X1_TRAIN, Y_TRAIN))
    history["test"].append(loss(X1_TEST, Y_TEST))"""
