"""Export an experiment as a Jupyter notebook a student can read and re-run.

The notebook spells out every step with the engine's public API and `playground.data.datasets`/`features`/
`seedrandom` (no `Experiment`): seed the page's generator with the link's seed, generate, shuffle and
split the data, build the network whose initial weights continue the same stream, train with the
experiment's trainer, print the final losses, and draw the decision boundary, the weights and the loss
curves with Bokeh. Its numbers are the ones `playground run` reports for the same link.
HTML comes from executing the notebook (nbclient) and converting it (nbconvert) with Bokeh's resources
inline and nbconvert's CDN scripts (require.js, MathJax, mermaid) left out, so it opens offline.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from .. import atomic_write
from ..domain import links
from ..domain.model_spec import ModelSpec, model_spec
from ..safe_text import markdown_text
from .errors import ExportError, ExportFailed
from .execution import execute_notebook
from .notebook_plots import BOUNDARY_PLOT, ENGINE_PLOT_INPUTS, LOSS_PLOT, PLOT_SETUP, WEIGHTS_PLOT

__all__ = ["ExportError", "ExportFailed", "build_notebook", "execute_notebook", "to_html", "export",
           "LOSS_CELL_TAG"]

LOSS_CELL_TAG = "final-loss"  # the cell that prints repr(train_loss), repr(test_loss)
PLOT_CELL_TAG = "plot"
SITE = "https://playground.tensorflow.org/#"
LINK_SAFE = "=&,.-_~%"  # kept as they are in the link; everything else is percent-encoded

# What each setting means, for the Markdown table (link key -> explanation).
MEANINGS = {
    "problem": "classification (labels ±1) or regression (a number per point)",
    "dataset": "the shape of the data",
    "noise": "percent of label noise: how far points may lie on the wrong side",
    "percTrainData": "percent of the points used for training; the rest are test points",
    "batchSize": "points per weight update",
    "learningRate": "step size of each update",
    "activation": "activation function of the hidden neurons",
    "regularization": "penalty on the weights' size: L1 (pushes them to exactly zero) or L2 (shrinks them)",
    "regularizationRate": "strength of that penalty",
    "networkShape": "neurons in each hidden layer",
    "features": "the inputs fed to the network",
    "seed": "seeds the random generator for the data and the initial weights",
    "initZero": "start from zero weights instead of random ones",
    "optimizer": "how gradients become updates (playground-sgd is the site's own rule)",
    "loss": "training loss; the reported loss is always the playground's 0.5·(output − label)²",
    "engine": "the compute backend of our engine",
    "epochs": "passes over the training data",
}


def _settings(url: str, engine_name: str | None, own_points: bool = False) -> tuple[dict, list[str]]:
    import engine

    values, warnings = links.parse_link(url)
    if engine_name:
        values["engine"] = engine_name
    if own_points:  # `--data`: the link's settings train on your own points
        values["dataset"] = "user"
    elif values["problem"] == "classification" and values["dataset"] == "user":
        raise ExportError("dataset 'user' (your own points) is not part of a link, so it cannot be exported")
    try:
        engine.get_backend(values["engine"], "float64")
    except ValueError as exc:  # as the experiment does: fall back to numpy and say so
        warnings.append(f"engine: {exc}; using numpy")
        values["engine"] = "numpy"
    return values, warnings


def settings_markdown(values: dict, spec: ModelSpec, epochs: int, warnings: list[str]) -> str:
    regression = values["problem"] == "regression"
    features = spec.input_features
    shown = {
        "problem": values["problem"],
        "dataset": values["reg_dataset"] if regression else values["dataset"],
        "noise": values["noise"], "percTrainData": values["perc_train_data"],
        "batchSize": values["batch_size"], "learningRate": values["learning_rate"],
        "activation": values["activation"], "regularization": values["regularization"],
        "regularizationRate": values["regularization_rate"],
        "networkShape": ", ".join(map(str, values["network_shape"])) or "(no hidden layers)",
        "features": ", ".join(features) or "(none)", "seed": values["seed"],
        "initZero": values["init_zero"], "optimizer": values["optimizer"], "loss": values["loss"],
        "engine": values["engine"], "epochs": epochs,
    }
    # Values come from the link (a seed is any string): text, never markup, one line per table row.
    rows = "\n".join(f"| `{key}` | {markdown_text(value)} | {MEANINGS[key]} |" for key, value in shown.items())
    link = SITE + quote(links.to_hash(values), safe=LINK_SAFE)  # no space, bracket or newline left in it
    notes = "".join(f"\n- {markdown_text(w)}" for w in warnings)
    return (
        "# A TensorFlow Playground experiment, step by step\n\n"
        f"This notebook rebuilds the experiment of [this playground link]({link}) and trains it for "
        f"{epochs} epochs, exactly as the playground page does, so the numbers match "
        "`playground run --url ... --format json`.\n\n"
        "| Setting | Value | What it means |\n|---|---|---|\n" + rows + "\n"
        + (f"\nNotes on reading the link:{notes}\n" if warnings else "")
    )


_WHY_OUTPUT = {"sigmoid": "sigmoid for the cross-entropy loss", "linear": "linear for regression",
               "tanh": "tanh for classification", "softmax": "softmax: one probability per class"}


def _constants(values: dict, spec: ModelSpec, epochs: int, engine_name: str) -> str:
    regression = values["problem"] == "regression"
    dataset = values["reg_dataset"] if regression else values["dataset"]
    return f"""\
# The experiment's settings, read from the link.
SEED = {values['seed']!r}  # a string: the page seeds Math.random with it
PROBLEM = {values['problem']!r}
DATASET = {dataset!r}
NOISE = {values['noise']!r}  # percent
PERC_TRAIN_DATA = {values['perc_train_data']!r}  # percent of the points used for training
FEATURES = {list(spec.input_features)!r}  # inputs, in the playground's order
NETWORK_SHAPE = {list(spec.hidden_sizes)!r}  # neurons per hidden layer
ACTIVATIONS = {list(spec.hidden_activations)!r}  # one per hidden layer
OUTPUT_UNITS = {spec.output_units!r}
OUTPUT_ACTIVATION = {spec.output_activation!r}  # {_WHY_OUTPUT[spec.output_activation]}
TRAINING_LOSS = {spec.loss!r}  # what the trainer minimises
LEARNING_RATE = {values['learning_rate']!r}
REGULARIZATION = {values['regularization']!r}
REGULARIZATION_RATE = {values['regularization_rate']!r}
BATCH_SIZE = {values['batch_size']!r}
INIT_ZERO = {values['init_zero']!r}
OPTIMIZER = {values['optimizer']!r}
LOSS = {values['loss']!r}
ENGINE = {engine_name!r}  # compute backend
EPOCHS = {epochs!r}"""


IMPORTS = """\
import numpy as np

import engine
from engine import Dense, MinibatchTrainer, PlaygroundTrainer, Sequential
from playground.data import datasets
from playground.domain.features import feature_matrix
from playground.data.seedrandom import SeedRandom"""


def _data_code(dataset: str, regression: bool) -> str:
    count = "datasets.N_REGRESS  # 1200 points" if regression else "datasets.N_CLASSIFY  # 500 points"
    return f"""\
rand = SeedRandom(SEED)  # seedrandom's ARC4 stream, bit for bit the page's Math.random

n_points = {count}
points = datasets.{dataset.replace('-', '_')}(n_points, NOISE / 100, rand.random)  # columns: x, y, label
points = datasets.shuffle(points, rand.random)  # Fisher-Yates with the same stream
train, test = datasets.split(points, PERC_TRAIN_DATA)  # the first floor(n * perc / 100) points train

x_train = feature_matrix(train[:, :2], FEATURES)  # one column per input feature
y_train = train[:, 2:3]  # labels as a column
x_test = feature_matrix(test[:, :2], FEATURES)
y_test = test[:, 2:3]
print(len(train), "training points,", len(test), "test points; the first:", train[0])"""


def _own_data_code(points, classes: int) -> str:
    from ..data.datasets import to_csv

    return f"""\
# Your own points (drawn or uploaded), in the order they were made, as the CSV the page downloads.
POINTS_CSV = \"\"\"\\
{to_csv(points)}\"\"\"
points = datasets.parse_csv(POINTS_CSV, "classification", {classes!r})  # columns: x, y, label
train, test = datasets.split_user_points(points, PERC_TRAIN_DATA)  # PERC_TRAIN_DATA% train, in order
if 0 < len(train) < BATCH_SIZE:  # a batch that could never fill would never update: all of them, once an epoch
    BATCH_SIZE = len(train)
rand = SeedRandom(SEED)  # the initial weights' random stream (seedrandom's ARC4, as the page's)

x_train = feature_matrix(train[:, :2], FEATURES)  # one column per input feature
y_train = train[:, 2:3]  # labels as a column
x_test = feature_matrix(test[:, :2], FEATURES)
y_test = test[:, 2:3]
print(len(train), "training points,", len(test), "test points")"""


def _network_code(init_zero: bool) -> str:
    kernel, bias = ("'zeros'", "0.0") if init_zero else ("'playground_uniform'", "0.1")
    why = ("zero weights (one number per link is still drawn, so the stream advances as on the page)"
           if init_zero else "weights uniform in [-0.5, 0.5), biases 0.1")
    return f"""\
# One Dense layer per hidden layer, then the output layer; {why}.
layers = []
n_in = len(FEATURES)
for units, activation in zip(NETWORK_SHAPE, ACTIVATIONS):
    layers.append(Dense(units, activation=activation, input_dim=n_in,
                        kernel_initializer={kernel}, bias_initializer={bias}))
    n_in = units
layers.append(Dense(OUTPUT_UNITS, activation=OUTPUT_ACTIVATION, input_dim=n_in,
                    kernel_initializer={kernel}, bias_initializer={bias}))

# The initial weights continue the same random stream, neuron by neuron, link by link.
model = Sequential(layers, backend=ENGINE).build(rand=rand.random)
for i, weights in enumerate(model.get_weights()[::2]):
    print(f"layer {{i + 1}}: {{weights.shape[0]}} inputs -> {{weights.shape[1]}} neuron(s)")"""


PLAYGROUND_TRAINER = """\
# The playground's own rule: walk the points in order, sum the derivatives, and update after every
# BATCH_SIZE points (points left over at the end of an epoch join the next epoch's first update).
trainer = PlaygroundTrainer(model, learning_rate=LEARNING_RATE, regularization=REGULARIZATION,
                            regularization_rate=REGULARIZATION_RATE, batch_size=BATCH_SIZE, loss=TRAINING_LOSS)"""

MINIBATCH_TRAINER = """\
# Ordinary mini-batch training: one {optimizer} step on the mean gradient of each BATCH_SIZE points, in order.
{note}trainer = MinibatchTrainer(model, {optimizer!r}, learning_rate=LEARNING_RATE, batch_size=BATCH_SIZE,
                           loss=TRAINING_LOSS)"""

TRAINER_LOSS = """\
t_train = y_train  # the labels, as the trainer learns them

def playground_loss(x, y):
    \"\"\"The mean loss over the points ({what}).\"\"\"
    return trainer.loss(x, y)"""

SIGMOID_LOSS = """\
t_train = (y_train + 1) / 2  # the sigmoid output learns targets 0 and 1

def playground_loss(x, y):
    \"\"\"The playground's 0.5 * (output - label)**2, with the sigmoid output mapped to [-1, 1].\"\"\"
    out = 2.0 * model.predict(x) - 1.0
    return float(0.5 * np.sum((out - y) ** 2) / len(x)) if len(x) else 0.0"""

TRAINING_LOOP = """
history = {"epoch": [0], "train": [playground_loss(x_train, y_train)], "test": [playground_loss(x_test, y_test)]}
for epoch in range(1, EPOCHS + 1):
    trainer.train_epoch(x_train, t_train)
    history["epoch"].append(epoch)
    history["train"].append(playground_loss(x_train, y_train))
    history["test"].append(playground_loss(x_test, y_test))"""


def _training_code(spec: ModelSpec, regularized: bool) -> str:
    if spec.trainer == "playground":
        trainer = PLAYGROUND_TRAINER
    else:
        note = ("# REGULARIZATION is not applied on this path (the app's mini-batch trainer ignores it too).\n"
                if regularized else "")
        trainer = MINIBATCH_TRAINER.format(optimizer=spec.optimizer, note=note)
    if spec.reports_trainer_loss:
        what = ("-log of the probability given to the right class" if spec.loss == "cross_entropy"
                else "0.5 * (output - label)**2, as the playground reports it")
        loss = TRAINER_LOSS.format(what=what)
    else:
        loss = SIGMOID_LOSS
    return trainer + "\n\n" + loss + "\n" + TRAINING_LOOP


FINAL_LOSS = """\
train_loss, test_loss = history["train"][-1], history["test"][-1]
print(repr(train_loss), repr(test_loss))  # full precision"""

def build_notebook(url: str, epochs: int = 100, engine_name: str | None = None,
                   points=None) -> nbformat.NotebookNode:
    """The notebook for a playground link (URL, #hash or bare hash) trained for `epochs` epochs; `points`:
    your own (n, 3) points to train on instead of the link's dataset (written into the notebook)."""
    values, warnings = _settings(url, engine_name, points is not None)
    if epochs < 0:
        raise ExportError(f"epochs must be >= 0, got {epochs}")
    spec = model_spec(values)  # the network and trainer, decided as the experiment decides them
    warnings += [w for w in spec.warnings if w not in warnings]
    regression = values["problem"] == "regression"
    dataset = values["reg_dataset"] if regression else values["dataset"]
    training = _training_code(spec, values["regularization"] != "none" and values["regularization_rate"] > 0)

    def code(source, tag=None):
        return new_code_cell(source, metadata={"tags": [tag]} if tag else {})

    cells = [
        new_markdown_cell(settings_markdown(values, spec, epochs, warnings)),
        code(IMPORTS), code(_constants(values, spec, epochs, values["engine"])),
        new_markdown_cell("## 1. The data\nThe page seeds its random generator with the link's `seed`, "
                          "generates the points, shuffles them and splits them into training and test sets."),
        code(_data_code(dataset, regression) if points is None else _own_data_code(points, max(2, spec.output_units))),
        new_markdown_cell("## 2. The network\nA stack of fully connected layers. Its initial weights are "
                          "drawn from the *same* random stream, right after the data, as on the page."),
        code(_network_code(values["init_zero"])),
        new_markdown_cell(f"## 3. Training\n{epochs} epochs; after each one we record the loss on the "
                          "training and the test points."),
        code(training),
        code(FINAL_LOSS, LOSS_CELL_TAG),
        new_markdown_cell("## 4. Pictures\nThe decision boundary with the points, the weights of every "
                          "layer, and the loss curves."),
        code(ENGINE_PLOT_INPUTS, PLOT_CELL_TAG), code(PLOT_SETUP, PLOT_CELL_TAG), code(BOUNDARY_PLOT, PLOT_CELL_TAG),
        code(WEIGHTS_PLOT, PLOT_CELL_TAG), code(LOSS_PLOT, PLOT_CELL_TAG),
    ]
    return new_experiment_notebook(cells, "TensorFlow Playground experiment",
                                   {"link": links.to_hash(values), "epochs": epochs, "warnings": warnings})


def new_experiment_notebook(cells: list, title: str, playground: dict) -> nbformat.NotebookNode:
    """A Python 3 notebook of `cells`, with the experiment it reproduces in its metadata."""
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["title"] = title
    nb.metadata["playground"] = playground
    return nb


# nbconvert's lab template, minus the scripts it would load from CDNs (the notebook needs none of them).
_OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""


def to_html(nb: nbformat.NotebookNode) -> str:
    """An executed notebook as one self-contained HTML page."""
    import jinja2
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(extra_loaders=[jinja2.DictLoader({"offline.html.j2": _OFFLINE_TEMPLATE})],
                            template_file="offline.html.j2")
    body, _resources = exporter.from_notebook_node(nb)
    return body


def export(url: str, out, epochs: int = 100, engine_name: str | None = None, html=None,
           timeout: int = 600, points=None) -> nbformat.NotebookNode:
    """Write the (unexecuted) notebook to `out`; with `html`, also run it and write the HTML page.

    The link's reading warnings are in `nb.metadata["playground"]["warnings"]`.
    """
    return write_notebook(build_notebook(url, epochs, engine_name, points), out, html, timeout)


def write_notebook(nb: nbformat.NotebookNode, out, html=None, timeout: int = 600,
                   status: Callable[[str], None] | None = None) -> nbformat.NotebookNode:
    """Write `nb` (unexecuted) to `out`; with `html`, also run a copy and write its HTML page.

    Each file is written whole or not at all: the page only once the notebook has run to the end."""
    say = status or (lambda _doing: None)
    out = Path(out)
    say(f"writing {out}")
    write_file(out, nbformat.writes(nb))
    if html is not None:
        executed = execute_notebook(nbformat.from_dict(nb), cwd=out.parent, timeout=timeout, status=say)
        say(f"writing {html}")
        write_file(Path(html), to_html(executed))
    return nb


def write_file(path: Path, text: str) -> None:
    """Write a file atomically; an OS error names the file (a failed write's own error often does not)."""
    try:
        atomic_write.write_text(path, text)
    except OSError as exc:
        raise ExportFailed(f"cannot write {path}: {exc.strerror or exc}") from None
