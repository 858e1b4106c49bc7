"""`playground export --standalone`: a notebook that needs only numpy and bokeh, readable as a lesson.

The experiment's points (made by the page's seeded generator, shuffled and split) and the network's
initial weights are written into the notebook as numbers; everything after that is plain numpy in the
open: the input features, the forward pass, the loss, the backward pass (the chain rule, layer by layer)
and the playground's update rule (sum the derivatives, update after every `batchSize` points, carry the
points left over at the end of an epoch into the next one, L1/L2 after the step). Every operation is
the one the engine's numpy backend performs, in the same order, so the printed losses equal
`playground run --engine numpy` to the last bit. The pictures are the exported notebook's: the decision
boundary with the points, every layer's weights, the loss curves. Covers K classes (softmax and
cross-entropy) and a different activation per hidden layer.
"""

from __future__ import annotations

import nbformat
import numpy as np
from nbformat.v4 import new_code_cell, new_markdown_cell

from ..domain import links
from ..domain.features import FEATURES, STATE_PARAM
from .notebook import (
    FINAL_LOSS,
    LOSS_CELL_TAG,
    PLOT_CELL_TAG,
    ExportError,
    new_experiment_notebook,
    settings_markdown,
    write_notebook,
)
from .notebook_plots import BOUNDARY_PLOT, LOSS_PLOT, PLOT_SETUP, WEIGHTS_PLOT
from .page_download import standalone_refusal
from .standalone_cells import (
    ACTIVATIONS_CODE,
    BACKWARD_CODE,
    FEATURES_CODE,
    FORWARD_CODE,
    TRAINING_CODE,
    UPDATE_CODE,
)

__all__ = ["build_standalone_notebook", "export_standalone"]


def _numbers(array: np.ndarray, indent: str = "    ") -> str:
    """A 2-D array as np.array source whose numbers read back to the same doubles (repr)."""
    rows = ",\n".join(f"{indent}[{', '.join(repr(float(v)) for v in row)}]" for row in np.asarray(array))
    return f"np.array([\n{rows},\n])" if len(array) else f"np.empty((0, {np.asarray(array).shape[1]}))"


def _experiment(url: str, points=None):
    from ..domain.experiment import Experiment
    from ..domain.state import ExperimentState

    values, warnings = links.parse_link(url)
    if points is not None:  # your own points (drawn, uploaded, or `--data`): the link's settings train on them
        values["dataset"] = "user"
    elif values["problem"] == "classification" and values["dataset"] == "user":
        raise ExportError("dataset 'user' (your own points) is not part of a link, so it cannot be exported")
    experiment = Experiment(ExperimentState(**{**values, "engine": "numpy"}), user_points=points)
    experiment.warnings[:0] = warnings
    refused = standalone_refusal(values)
    if refused:
        raise ExportError(f"{refused} (export without --standalone)")
    return experiment, values, [w for w in experiment.warnings if not w.startswith("engine:")]


def _settings_code(experiment, epochs: int) -> str:
    st = experiment.state
    classes = experiment.classes
    output = "softmax" if classes > 2 else ("linear" if experiment.is_regression else "tanh")
    why = {"softmax": f"one probability per class (K = {classes}), trained on cross-entropy",
           "linear": "regression: the output is the predicted number",
           "tanh": "two classes: labels -1 (orange) and +1 (blue)"}[output]
    return f"""\
# The experiment's settings, read from the link.
FEATURES = {[name for name in FEATURES if getattr(st, STATE_PARAM[name])]!r}  # the network's inputs, in the playground's order
NETWORK_SHAPE = {list(st.network_shape)!r}  # neurons per hidden layer
ACTIVATIONS = {list(experiment.spec.hidden_activations)!r}  # one activation per hidden layer
OUTPUT = {output!r}  # {why}
CLASSES = {classes!r}
LEARNING_RATE = {st.learning_rate!r}
REGULARIZATION = {st.regularization!r}  # 'none', 'L1' or 'L2'
REGULARIZATION_RATE = {st.regularization_rate!r}
BATCH_SIZE = {experiment.batch_size!r}  # points per weight update{_batch_comment(experiment)}
EPOCHS = {epochs!r}"""


def _batch_comment(experiment) -> str:
    n = len(experiment.train)
    if experiment.batch_size == experiment.state.batch_size:
        return ""
    return f" (the setting is {experiment.state.batch_size}; with {n} training points each epoch is one batch)"


def _data_code(experiment) -> str:
    st = experiment.state
    dataset = st.reg_dataset if experiment.is_regression else st.dataset
    labels = ("labels 0 … K−1" if experiment.classes > 2 else
              "the value to predict" if experiment.is_regression else "labels -1 or +1")
    points = np.concatenate([experiment.train, experiment.test])
    if dataset == "user":
        origin = (f"your own points (drawn or uploaded), split in the order they were made, {st.perc_train_data}%\n"
                  "# of them training points; the training points come first here: the first N_TRAIN points train.")
    else:
        origin = (f"dataset {dataset!r}, noise {st.noise}%, made by the page's\n# random generator seeded with "
                  f"{st.seed!r}, shuffled, then split: the first N_TRAIN points train.")
    return f"""\
# Every point as x, y, label ({labels}): {origin}
POINTS = {_numbers(points)}
N_TRAIN = {len(experiment.train)}
train, test = POINTS[:N_TRAIN], POINTS[N_TRAIN:]
print(len(train), "training points,", len(test), "test points; the first:", train[0])"""


def _network_code(experiment) -> str:
    params = [np.vstack([w, b[None, :]]) for w, b in zip(*[iter(experiment.model.get_weights())] * 2, strict=True)]
    layers = ",\n".join(f"    {_numbers(p, '        ')}" for p in params)
    init = ("zero weights (the page still draws one number per link)" if experiment.state.init_zero
            else "weights uniform in [-0.5, 0.5), biases 0.1")
    return f"""\
# The initial weights, as the page drew them from the same random stream right after the data ({init}).
# Each layer is one matrix P = [W; b]: W has a row per input and a column per neuron, and the neurons'
# biases b are one more row at the bottom. With a column of ones after a layer's inputs, [x, 1] @ P is
# x @ W + b in a single product, and the same trick gives the bias gradients for free.
PARAMS = [
{layers},
]
for i, P in enumerate(PARAMS):
    print(f"layer {{i + 1}}: {{P.shape[0] - 1}} inputs -> {{P.shape[1]}} neuron(s)")"""


def build_standalone_notebook(url: str, epochs: int = 100, points=None) -> nbformat.NotebookNode:
    """The standalone notebook for a playground link trained for `epochs` epochs; `points`: your own (n, 3)
    points to train on instead of the link's dataset (they are written into the notebook)."""
    if epochs < 0:
        raise ExportError(f"epochs must be >= 0, got {epochs}")
    experiment, values, warnings = _experiment(url, points)
    values = {**values, "engine": "numpy", "num_classes": experiment.classes}

    def code(source, tag=None):
        return new_code_cell(source, metadata={"tags": [tag]} if tag else {})

    intro = settings_markdown(values, experiment.spec, epochs, warnings).replace(
        "so the numbers match `playground run --url ... --format json`.",
        "and needs nothing but numpy (and bokeh for the pictures): every step is written out below, and the "
        "final losses match `playground run --url ... --engine numpy` to the last digit.")
    per_layer = ", ".join(experiment.spec.hidden_activations) or "(no hidden layers)"
    intro += (f"\nHidden layers' activations, first to last: {per_layer}. "
              + (f"Classes: {experiment.classes} (softmax outputs, cross-entropy loss).\n"
                 if experiment.classes > 2 else "\n"))
    cells = [
        new_markdown_cell(intro),
        code("import numpy as np"), code(_settings_code(experiment, epochs)),
        new_markdown_cell("## 1. The data\nThe page seeds its random generator with the link's `seed`, "
                          "generates the points, shuffles them and splits them into training and test points. "
                          "Here they are as numbers, so this notebook needs no playground code."),
        code(_data_code(experiment)),
        new_markdown_cell("## 2. The inputs\nThe network sees the features chosen in the link, computed from "
                          "each point's x and y, plus a column of ones for the biases."),
        code(FEATURES_CODE),
        new_markdown_cell("## 3. The network\nA stack of fully connected layers: every neuron adds up its "
                          "weighted inputs and its bias (`z`) and passes the sum through its layer's "
                          "activation function (`a = f(z)`)."),
        code(_network_code(experiment)), code(ACTIVATIONS_CODE), code(FORWARD_CODE),
        new_markdown_cell("## 4. Learning\nThe loss says how wrong the network is; the backward pass (the "
                          "chain rule, from the output back to the inputs) says how each weight changes it; "
                          "the update rule moves every weight a little against its gradient."),
        code(BACKWARD_CODE), code(UPDATE_CODE),
        new_markdown_cell(f"## 5. Training\n{epochs} epochs; after each one we record the loss on the "
                          "training and the test points."),
        code(TRAINING_CODE), code(FINAL_LOSS, LOSS_CELL_TAG),
        new_markdown_cell("## 6. Pictures\nThe decision boundary with the points, the weights of every "
                          "layer, and the loss curves."),
        code(PLOT_SETUP, PLOT_CELL_TAG), code(BOUNDARY_PLOT, PLOT_CELL_TAG),
        code(WEIGHTS_PLOT, PLOT_CELL_TAG), code(LOSS_PLOT, PLOT_CELL_TAG),
    ]
    return new_experiment_notebook(cells, "TensorFlow Playground experiment (numpy only)",
                                   {"link": links.to_hash(values), "epochs": epochs, "warnings": warnings,
                                    "standalone": True})


def export_standalone(url: str, out, epochs: int = 100, html=None, timeout: int = 600,
                      points=None) -> nbformat.NotebookNode:
    """Write the standalone notebook to `out`; with `html`, also run it and write the HTML page."""
    return write_notebook(build_standalone_notebook(url, epochs, points), out, html, timeout)
