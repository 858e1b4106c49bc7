"""The one decision of which network and trainer a setting means (playground/domain/model_spec.py), and that the
experiment and the notebook exporter both follow it."""

from __future__ import annotations

import numpy as np
import pytest

from engine import MinibatchTrainer, PlaygroundTrainer
from playground.domain.experiment import Experiment
from playground.domain.links import parse_link
from playground.domain.model_spec import model_spec
from playground.domain.state import ExperimentState
from playground.export.notebook import build_notebook

# link -> (hidden activations, output units, output activation, trainer loss, trainer, optimizer)
DECISIONS = {
    "#networkShape=4,2&seed=1": (("tanh", "tanh"), 1, "tanh", "square", "playground", "sgd"),
    "#problem=regression&activation=relu&networkShape=3&seed=1": (("relu",), 1, "linear", "square", "playground", "sgd"),
    "#loss=cross-entropy&networkShape=3&seed=1": (("tanh",), 1, "sigmoid", "binary_crossentropy", "minibatch", "sgd"),
    "#optimizer=adam&networkShape=&seed=1": ((), 1, "tanh", "square", "minibatch", "adam"),
    "#problem=regression&loss=cross-entropy&optimizer=momentum&networkShape=2&seed=1":
        (("tanh",), 1, "linear", "square", "minibatch", "momentum"),
}


@pytest.mark.parametrize("link", DECISIONS)
def test_the_decision_for_each_kind_of_setting(link):
    values, _ = parse_link(link)
    spec = model_spec(values)
    want = DECISIONS[link]
    assert (spec.hidden_activations, spec.output_units, spec.output_activation, spec.loss, spec.trainer,
            spec.optimizer) == want
    assert spec == model_spec(ExperimentState(**values))  # a state and a parsed link decide alike
    assert spec.layer_sizes == [len(spec.input_features), *values["network_shape"], spec.output_units]
    assert bool(spec.warnings) == ("regression&loss=cross-entropy" in link)


def test_two_class_datasets_keep_one_output_whatever_num_classes_says():
    values, _ = parse_link("#networkShape=4&seed=1&dataset=circle")
    spec = model_spec({**values, "num_classes": 3})
    assert (spec.output_units, spec.output_activation, spec.loss) == (1, "tanh", "square")


def test_k_classes_and_per_layer_activations():
    values, _ = parse_link("#networkShape=4,3&activation=tanh&seed=1&dataset=spiral")  # a dataset with K classes
    spec = model_spec({**values, "num_classes": 3, "activations": ["relu", "sigmoid"]})
    assert (spec.output_units, spec.output_activation, spec.loss, spec.trainer) == (3, "softmax", "cross_entropy",
                                                                                   "playground")
    assert spec.activations == ["relu", "sigmoid", "softmax"] and not spec.warnings
    model = spec.build("numpy", np.random.default_rng(0).random)
    assert model.activation_names == ("relu", "sigmoid", "softmax") and model.layer_sizes() == [2, 4, 3, 3]
    trainer = spec.make_trainer(model, 0.03, "L2", 0.001, 10)
    assert isinstance(trainer, PlaygroundTrainer) and trainer.loss_name == "cross_entropy"
    adam = model_spec({**values, "num_classes": 3, "optimizer": "adam"})
    assert isinstance(adam.make_trainer(adam.build("numpy", np.random.default_rng(0).random), 0.01, "none", 0, 10),
                      MinibatchTrainer)


@pytest.mark.parametrize("activations", [["relu"], ["relu", "swish"]])
def test_per_layer_activations_that_do_not_fit_fall_back_with_a_warning(activations):
    values, _ = parse_link("#networkShape=4,3&activation=sigmoid&seed=1")
    spec = model_spec({**values, "activations": activations})
    assert spec.hidden_activations == ("sigmoid", "sigmoid")
    assert len(spec.warnings) == 1 and "activations" in spec.warnings[0] and "sigmoid" in spec.warnings[0]


@pytest.mark.parametrize("link", DECISIONS)
def test_experiment_and_notebook_follow_the_decision(link):
    values, _ = parse_link(link)
    spec = model_spec(values)
    experiment = Experiment.from_link(link)
    assert experiment.spec == spec
    assert experiment.model.activation_names == tuple(spec.activations)
    assert isinstance(experiment.trainer, PlaygroundTrainer if spec.trainer == "playground" else MinibatchTrainer)
    code = "\n".join(c.source for c in build_notebook(link, 1).cells if c.cell_type == "code")
    assert f"ACTIVATIONS = {list(spec.hidden_activations)!r}" in code
    assert f"OUTPUT_ACTIVATION = {spec.output_activation!r}" in code
    assert f"TRAINING_LOSS = {spec.loss!r}" in code
    assert ("PlaygroundTrainer(model" if spec.trainer == "playground" else "MinibatchTrainer(model") in code


def test_frames_follow_a_new_activation_of_the_same_shape():
    """The page draws the pictures with the activations the frame names: a new one, same shape, is sent."""
    from playground.live.frame_encoding import decode_frame, encode_frame
    from playground.live.frames import FrameBuilder

    experiment = Experiment.from_link("#networkShape=3&activation=tanh&seed=2")
    builder = FrameBuilder()
    assert decode_frame(encode_frame(builder.build(experiment)))["activations"] == ("tanh",)
    experiment.apply(activation="relu")
    assert decode_frame(encode_frame(builder.build(experiment)))["activations"] == ("relu",)
