"""Every control of the playground as a ``param`` parameter, with its allowed values.

Names are snake_case versions of the playground's link keys (``links.py`` maps
them). Parameters only: what a change does is described by the constant sets
at the bottom, which follow the real playground's event handlers.
"""

from __future__ import annotations

import random

import param

import engine

from ..data.seedrandom import js_to_fixed

__all__ = [
    "ExperimentState", "LEARNING_RATES", "REGULARIZATION_RATES", "ACTIVATIONS", "REGULARIZATIONS",
    "PROBLEMS", "DATASETS", "REG_DATASETS", "ENGINES", "AUTO_ENGINE", "OPTIMIZERS", "LOSSES", "LABELS",
    "ACTIVATION_LABELS", "REGULARIZATION_LABELS", "PROBLEM_LABELS", "DATASET_LABELS", "REG_DATASET_LABELS",
    "OPTIMIZER_LABELS", "LOSS_LABELS", "FEATURE_PARAMS",
    "HIDABLE_CONTROLS", "MAX_LAYERS", "MAX_NEURONS", "NOISE_MAX", "NOISE_LINK_MAX", "MAX_CLASSES",
    "MULTICLASS_DATASETS",
    "REBUILD_PARAMS", "LIVE_PARAMS", "REGENERATE_PARAMS", "fresh_seed",
]

# The playground's dropdown lists (playground.ts), as floats so link values compare equal.
LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
REGULARIZATION_RATES = [0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]

# Each choice's value (as links spell it) -> the label the app shows for it, in menu order. The value lists
# below are these tables' keys, so a new choice is one line here (the views build their menus from LABELS).
ACTIVATION_LABELS = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", "linear": "Linear"}
REGULARIZATION_LABELS = {"none": "None", "L1": "L1", "L2": "L2"}
PROBLEM_LABELS = {"classification": "Classification", "regression": "Regression"}
DATASET_LABELS = {"circle": "Circle", "xor": "Exclusive or", "gauss": "Gaussian", "spiral": "Spiral",
                  "moons": "Moons", "checkerboard": "Checkerboard", "sine": "Above or below y = 3 sin x",
                  "cubic": "Above or below y = (x³ − 15x)/10", "abs": "Above or below y = 2|x| − 5",
                  "user": "Your own data (draw or upload)"}
REG_DATASET_LABELS = {"reg-plane": "Plane", "reg-gauss": "Multi Gaussian"}
OPTIMIZER_LABELS = {"playground-sgd": "Playground SGD", "momentum": "Momentum", "adam": "Adam"}
LOSS_LABELS = {"square": "Square", "cross-entropy": "Cross-entropy"}
LABELS = {"activation": ACTIVATION_LABELS, "regularization": REGULARIZATION_LABELS, "problem": PROBLEM_LABELS,
          "dataset": DATASET_LABELS, "reg_dataset": REG_DATASET_LABELS, "optimizer": OPTIMIZER_LABELS,
          "loss": LOSS_LABELS}

ACTIVATIONS = list(ACTIVATION_LABELS)
REGULARIZATIONS = list(REGULARIZATION_LABELS)
PROBLEMS = list(PROBLEM_LABELS)
DATASETS = list(DATASET_LABELS)
# The datasets that can have more than two classes (numClasses=3..5); the others are always two.
MULTICLASS_DATASETS = ["spiral", "gauss", "user"]
REG_DATASETS = list(REG_DATASET_LABELS)
OPTIMIZERS = list(OPTIMIZER_LABELS)
LOSSES = list(LOSS_LABELS)
# The engine's registered backends, then "auto" (the engine picks by model size): the one list the app's
# menu, links and the CLI's --engine options use.
AUTO_ENGINE = "auto"
ENGINES = [*engine.backend_names(), AUTO_ENGINE]

MAX_LAYERS = 6
MAX_NEURONS = 8
NOISE_MAX = 50  # the slider's usual maximum
NOISE_LINK_MAX = 80  # a link may raise it this far
MAX_CLASSES = 5

# Input-feature booleans, in the network's input order, then the two link-only ones.
FEATURE_PARAMS = ["x", "y", "x_squared", "y_squared", "x_times_y", "sin_x", "sin_y"]
LINK_ONLY_FEATURE_PARAMS = ["cos_x", "cos_y"]

# Controls the real playground can hide with `<control>_hide=true` (playground.ts).
HIDABLE_CONTROLS = [
    "showTestData", "discretize", "playButton", "stepButton", "resetButton", "learningRate",
    "activation", "regularization", "regularizationRate", "problem", "dataset",
    "percTrainData", "noise", "batchSize", "numHiddenLayers",
]


def fresh_seed() -> str:
    """A new page seed the way the site makes one: ``Math.random().toFixed(5)``."""
    return js_to_fixed(random.random(), 5)


class ExperimentState(param.Parameterized):
    """The whole experiment as the playground's link describes it, plus our own controls."""

    learning_rate = param.Selector(objects=LEARNING_RATES, default=0.03, doc="Step size; applies on the fly.")
    activation = param.Selector(objects=ACTIVATIONS, default="tanh", doc="Hidden-layer activation.")
    activations = param.List(
        default=[], item_type=str,
        doc="One activation per hidden layer (overrides `activation`); empty: `activation` for every layer.",
    )
    regularization = param.Selector(objects=REGULARIZATIONS, default="none")
    regularization_rate = param.Selector(objects=REGULARIZATION_RATES, default=0.0)
    problem = param.Selector(objects=PROBLEMS, default="classification")
    dataset = param.Selector(objects=DATASETS, default="circle", doc="Classification dataset.")
    reg_dataset = param.Selector(objects=REG_DATASETS, default="reg-plane", doc="Regression dataset.")
    noise = param.Integer(
        default=0, bounds=(0, NOISE_LINK_MAX), softbounds=(0, NOISE_MAX), step=5,
        doc="Noise percent; the slider stops at 50 unless a link asked for up to 80.",
    )
    perc_train_data = param.Integer(default=50, bounds=(10, 90), step=10, doc="Percent of points used for training.")
    batch_size = param.Integer(default=10, bounds=(1, 30))
    network_shape = param.List(
        default=[4, 2], item_type=int, bounds=(0, MAX_LAYERS),
        doc=f"Neurons per hidden layer (1-{MAX_NEURONS} each).",
    )

    x = param.Boolean(default=True, doc="Input X₁.")
    y = param.Boolean(default=True, doc="Input X₂.")
    x_squared = param.Boolean(default=False, doc="Input X₁².")
    y_squared = param.Boolean(default=False, doc="Input X₂².")
    x_times_y = param.Boolean(default=False, doc="Input X₁X₂.")
    sin_x = param.Boolean(default=False, doc="Input sin(X₁).")
    sin_y = param.Boolean(default=False, doc="Input sin(X₂).")
    cos_x = param.Boolean(default=False, doc="Kept in links only; not a network input.")
    cos_y = param.Boolean(default=False, doc="Kept in links only; not a network input.")

    show_test_data = param.Boolean(default=False)
    discretize = param.Boolean(default=False)
    init_zero = param.Boolean(default=False, doc="Start with zero weights and biases.")
    hide_text = param.Boolean(default=False)
    collect_stats = param.Boolean(default=False)
    seed = param.String(default_factory=fresh_seed, doc="Seeds data and initial weights (a string).")
    tutorial = param.String(default="")
    hidden = param.List(default=[], item_type=str, doc="Controls hidden with `<control>_hide=true`.")

    # Ours, not in the real playground.
    engine = param.Selector(objects=ENGINES, default="numpy", doc="Compute backend; switching keeps weights.")
    optimizer = param.Selector(objects=OPTIMIZERS, default="playground-sgd")
    loss = param.Selector(objects=LOSSES, default="square")
    num_classes = param.Integer(
        default=2, bounds=(2, MAX_CLASSES),
        doc="Classes; 3-5 give softmax outputs and cross-entropy (spiral, gauss and your own data only).",
    )


# Changing any of these resets the network (new initial weights from the current stream).
REBUILD_PARAMS = frozenset(
    ["activation", "activations", "regularization", "regularization_rate", "network_shape", *FEATURE_PARAMS,
     "batch_size", "problem", "dataset", "reg_dataset", "noise", "perc_train_data", "init_zero",
     "optimizer", "loss", "num_classes"]
)
# These apply to the running network without a reset.
LIVE_PARAMS = frozenset(["learning_rate", "show_test_data", "discretize", "engine"])
# These make new data (with a seed drawn from the current stream) and then reset.
REGENERATE_PARAMS = frozenset(["dataset", "reg_dataset", "noise", "perc_train_data", "problem", "num_classes"])

STATE_NAMES = [name for name in ExperimentState.param if name != "name"]  # every setting, in declaration order


def copy_state(state: ExperimentState) -> ExperimentState:
    """An independent copy (its lists are new lists)."""
    values = {name: getattr(state, name) for name in STATE_NAMES}
    return ExperimentState(**{k: list(v) if isinstance(v, list) else v for k, v in values.items()})
