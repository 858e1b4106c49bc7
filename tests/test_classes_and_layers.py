"""Link keys beyond the real playground: numClasses=K and activations=a,b,… (per hidden layer), read, checked and written."""

import numpy as np
import pytest

import engine
from playground.commands.run import train
from playground.data.datasets import DataError
from playground.domain import state as ps
from playground.domain.experiment import Experiment
from playground.domain.links import parse_link, to_hash
from playground.domain.model_spec import model_spec
from playground.domain.network_choices import class_count, fit_activations


def test_num_classes_and_activations_are_read_and_written_back():
    values, warnings = parse_link("#dataset=spiral&numClasses=3&networkShape=4,4&activations=relu,tanh&seed=0.1")
    assert warnings == []
    assert values["num_classes"] == 3 and values["activations"] == ["relu", "tanh"]
    text = to_hash(values)
    assert "numClasses=3" in text and "activations=relu,tanh" in text
    assert parse_link(text) == (values, [])


def test_defaults_write_neither_key_so_links_stay_the_sites():
    text = to_hash(parse_link("#seed=0.1")[0])
    assert "numClasses" not in text and "activations" not in text
    assert parse_link("#numClasses=2&seed=0.1")[0] == parse_link("#seed=0.1")[0]


@pytest.mark.parametrize("link, used, words", [
    ("networkShape=4,4&activations=relu,foo", [], ["activations", "'foo'", "tanh for every layer"]),
    ("networkShape=4,4&activation=relu&activations=relu,Tanh", [], ["'Tanh'", "relu for every layer"]),
    ("networkShape=4,4&activations=relu", [], ["activations", "1 given for 2 hidden layer(s)"]),
    ("networkShape=2&activations=relu,relu,relu", [], ["3 given for 1"]),
])
def test_wrong_activations_warn_and_fall_back_to_the_global_one(link, used, words):
    values, warnings = parse_link(link)
    assert values["activations"] == used
    assert len(warnings) == 1 and all(word in warnings[0] for word in words), warnings


@pytest.mark.parametrize("link, classes, words", [
    ("dataset=spiral&numClasses=9", 5, ["numClasses", "out of range 2-5"]),
    ("dataset=circle&numClasses=3", 2, ["numClasses=3", "circle has two classes"]),
    ("problem=regression&dataset=spiral&numClasses=4", 2, ["numClasses=4", "classification only"]),
    ("dataset=gauss&numClasses=1", 2, ["out of range 2-5"]),
])
def test_impossible_class_counts_warn(link, classes, words):
    values, warnings = parse_link(link)
    assert values["num_classes"] == classes
    assert len(warnings) == 1 and all(word in warnings[0] for word in words), warnings


def test_effective_choices_follow_the_state_as_it_changes():
    state = ps.ExperimentState(network_shape=[4, 4], activations=["relu", "sigmoid"], seed="1")
    assert model_spec(state).hidden_activations == ("relu", "sigmoid")
    state.network_shape = [4, 4, 2]  # a layer added in the app without a choice for it yet
    assert model_spec(state).hidden_activations == (state.activation,) * 3
    assert fit_activations(["relu", "sigmoid"], 3, "tanh") == ["relu", "sigmoid", "tanh"]
    assert fit_activations(["relu", "sigmoid"], 1, "tanh") == ["relu"]
    assert fit_activations([], 3, "tanh") == []
    state.param.update(dataset="spiral", num_classes=4)
    assert class_count(state) == 4
    state.dataset = "xor"
    assert class_count(state) == 2


def test_per_layer_activations_reach_the_engine():
    """relu,tanh trains differently from all-relu and all-tanh, from the same seed and data."""
    base = "#networkShape=4,4&dataset=xor&seed=0.1"
    runs = {}
    for name, extra in (("mixed", "&activations=relu,tanh"), ("relu", "&activation=relu"), ("tanh", "&activation=tanh")):
        experiment = Experiment.from_link(base + extra)
        assert experiment.warnings == []
        runs[name] = experiment
    assert [layer.activation for layer in runs["mixed"].model.layers] == ["relu", "tanh", "tanh"]
    for experiment in runs.values():
        experiment.step(5)
    mixed = runs["mixed"].history[-1]["train_loss"]
    assert mixed != runs["relu"].history[-1]["train_loss"] and mixed != runs["tanh"].history[-1]["train_loss"]
    # the same initial weights in all three: only the activations differ
    np.testing.assert_array_equal(Experiment.from_link(base + "&activations=relu,tanh").model.get_weights()[0],
                                  Experiment.from_link(base).model.get_weights()[0])


def test_per_layer_activations_survive_a_link_round_trip_through_an_experiment():
    experiment = Experiment.from_link("#networkShape=3,2,2&activations=sigmoid,relu,linear&seed=abc")
    assert to_hash(experiment.state).endswith("activations=sigmoid,relu,linear")


K3_LINK = "#dataset=spiral&numClasses=3&networkShape=8,8&seed=0.1"


def test_three_class_run_agrees_on_every_engine_and_learns():
    """`playground run --url K3_LINK --epochs 30 --engine cpu|numpy|gpu --format json`, as the CLI computes it."""
    runs = {name: train(K3_LINK, 30, name) for name in engine.available_backends()}
    assert {"cpu", "numpy"} <= set(runs)
    for name, result in runs.items():
        assert result["warnings"] == [] and result["engine"] == name
    curves = {name: np.array([[e["train_loss"], e["test_loss"]] for e in r["epochs"]]) for name, r in runs.items()}
    reference = curves["numpy"]
    for name, curve in curves.items():
        assert np.abs(curve - reference).max() <= 1e-9, name
    train_loss = reference[:, 0]
    assert abs(train_loss[0] - np.log(3)) < 0.05  # an untrained softmax says about 1/3 to every class
    assert np.all(np.diff(train_loss) < 0) and train_loss[-1] < train_loss[0] - 0.02  # falling, every epoch


def test_three_class_experiment_uses_softmax_cross_entropy_and_class_accuracy():
    experiment = Experiment.from_link(K3_LINK)
    assert experiment.classes == 3 and experiment.model.layers[-1].units == 3
    assert experiment.model.layers[-1].activation == "softmax" and experiment.trainer.loss_name == "cross_entropy"
    assert set(np.unique(experiment.y_train)) == {0.0, 1.0, 2.0}
    probabilities = experiment.predict(experiment.x_train)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    expected = np.mean(np.argmax(probabilities, axis=1) == experiment.y_train[:, 0])
    assert experiment.accuracy()[0] == expected
    train_loss = experiment.losses()[0]
    picked = probabilities[np.arange(len(probabilities)), experiment.y_train[:, 0].astype(int)]
    assert train_loss == pytest.approx(-np.mean(np.log(picked)), abs=1e-12)  # mean of −ln p[label]


def test_classes_the_dataset_cannot_have_fall_back_to_two_in_the_experiment():
    experiment = Experiment(ps.ExperimentState(dataset="spiral", num_classes=4, seed="1"))
    assert experiment.classes == 4
    experiment.apply(dataset="circle")  # the app's dataset picker: the classes setting stays, unused
    assert experiment.classes == 2 and experiment.model.layers[-1].units == 1
    assert set(np.unique(experiment.y_train)) == {-1.0, 1.0}
    experiment.apply(dataset="gauss")
    assert experiment.classes == 4 and experiment.model.layers[-1].units == 4


def test_own_points_follow_the_number_of_classes():
    experiment = Experiment(ps.ExperimentState(dataset="user", seed="1"))
    experiment.set_user_points(np.array([[1, 1, 1.0], [-1, -1, -1.0], [2, 2, 1.0]]))
    experiment.apply(num_classes=3)
    assert experiment.user_points[:, 2].tolist() == [1.0, 0.0, 1.0]
    experiment.set_user_points(np.concatenate([experiment.user_points, [[0, 3, 2.0]]]))
    experiment.step(2)
    assert experiment.model.layers[-1].units == 3 and np.isfinite(experiment.history[-1]["train_loss"])


def test_layers_added_or_removed_keep_the_per_layer_choices_and_the_global_one_resets_them():
    experiment = Experiment.from_link("#networkShape=4,4&activations=relu,sigmoid&seed=1")
    experiment.apply(network_shape=[4, 4, 2])
    assert experiment.state.activations == ["relu", "sigmoid", "tanh"]
    assert [layer.activation for layer in experiment.model.layers] == ["relu", "sigmoid", "tanh", "tanh"]
    experiment.apply(network_shape=[4])
    assert experiment.state.activations == ["relu"]
    experiment.apply(activation="linear")
    assert experiment.state.activations == [] and experiment.model.layers[0].activation == "linear"
    assert experiment.warnings == []


def test_the_class_palette_runs_from_the_background_to_each_class_colour():
    from playground.live.class_colors import CLASS_COLORS, LEVELS, NEUTRAL, class_palette

    palette = class_palette(3)
    assert len(palette) == 256 and palette[LEVELS - 1] == CLASS_COLORS[0] and palette[0] == NEUTRAL
    assert palette[2 * LEVELS + LEVELS - 1] == CLASS_COLORS[2]
    assert len(set(CLASS_COLORS)) == 5


def test_frames_for_three_classes_carry_three_softmax_output_neurons():
    from playground.live.frame_encoding import decode_frame, encode_frame
    from playground.live.frames import FrameBuilder

    experiment = Experiment.from_link(K3_LINK)
    experiment.step(20)
    frame = FrameBuilder().build(experiment)
    assert frame.classes == 3 and frame.topology.outputs == 3 and frame.topology.sizes[-1] == 3
    decoded = decode_frame(encode_frame(frame))
    assert (decoded["layers"], decoded["outputs"], decoded["output_activation"]) == ((8, 8), 3, "softmax")
    assert len(decoded["biases"]) == 8 + 8 + 3


def test_app_draws_and_loads_k_class_points_headless():
    """The drawing tool and the CSV upload speak labels 0…K−1 once K classes are picked."""
    from playground.app import PlaygroundApp

    app = PlaygroundApp("#dataset=user&numClasses=3&networkShape=4&seed=1")
    panel = app.draw  # the drawing tools beside the output plot
    assert list(panel.draw_class.options.values()) == [0.0, 1.0, 2.0] and panel.draw_class.value == 0.0
    panel.draw_class.value = 2.0
    panel.handle_plot_click(1.0, 2.0, False)
    assert app.session.experiment.user_points[:, 2].tolist() == [2.0]
    assert app.session.load_csv("x,y,label\n1,1,0\n-1,-1,1\n0,3,2\n") == 3
    with pytest.raises(DataError, match="whole number 0-2"):
        app.session.load_csv("1,1,-1\n")
    app.session.step()
    assert app.session.experiment.model.layers[-1].units == 3
    assert "loss" in app.top.controls.disabled  # K classes train on cross-entropy: the loss choice is greyed out
    app.state.num_classes = 2
    assert list(panel.draw_class.options.values()) == [1.0, -1.0]
    assert "loss" not in app.top.controls.disabled
    app.session.destroy()
