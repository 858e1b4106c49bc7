"""The network's controls without a browser: what the components are sent per network, and what the
actions they send back do to the experiment (tests/browser covers the clicks themselves)."""

from __future__ import annotations

import pytest

from playground.domain.state import MAX_LAYERS, MAX_NEURONS
from playground.live.frames import Topology
from playground.views import network_layout as nl
from playground.views.network_controls import GROUP_WIDTH, HEADER_HEIGHT, LABEL_WIDTH, layer_spec


@pytest.fixture
def app():
    from playground.app import PlaygroundApp

    app = PlaygroundApp("#networkShape=4,2&activation=tanh&x=true&y=true&xSquared=false&seed=1")
    yield app
    app.session.destroy()


def test_each_layers_controls_sit_over_its_column_with_its_count_and_activation():
    spec = layer_spec(Topology(("x", "y"), (4, 1), 1, ("tanh", "relu")))
    assert (spec["count"], spec["count_text"], spec["can_add"], spec["can_remove"]) == (2, "hidden layers", True, True)
    lefts = [layer["left"] for layer in spec["layers"]]
    centres = [nl.column_x(1, 2), nl.column_x(2, 2)]
    assert lefts == pytest.approx([LABEL_WIDTH + x - GROUP_WIDTH / 2 for x in centres], abs=0.01)
    assert [(layer["neurons"], layer["activation"]) for layer in spec["layers"]] == [("4 neurons", "Tanh"),
                                                                                    ("1 neuron", "ReLU")]
    assert spec["activations"] == ["ReLU", "Tanh", "Sigmoid", "Linear"]  # the menu's options are the labels
    assert spec["show_layers"] and spec["show_hints"]


@pytest.mark.parametrize("layers, can_add, can_remove", [((), True, False), ((2,), True, True),
                                                         ((2,) * MAX_LAYERS, False, True)])
def test_the_layer_buttons_are_disabled_at_the_limits(layers, can_add, can_remove):
    spec = layer_spec(Topology(("x",), layers, 1, ("tanh",) * len(layers)))
    assert (spec["can_add"], spec["can_remove"], spec["count"]) == (can_add, can_remove, len(layers))
    assert spec["count_text"] == ("hidden layer" if len(layers) == 1 else "hidden layers")


def test_the_neuron_buttons_are_disabled_at_the_limits():
    spec = layer_spec(Topology(("x",), (1, 4, MAX_NEURONS), 1, ("tanh",) * 3))
    assert [(layer["can_add"], layer["can_remove"]) for layer in spec["layers"]] == [(True, False), (True, True),
                                                                                      (False, True)]


def test_actions_change_the_network_and_a_quick_second_click_counts(app):
    controls = app.network.top
    assert [layer["neurons"] for layer in controls.spec["layers"]] == ["4 neurons", "2 neurons"]
    controls._handle_msg({"action": "add_neuron", "layer": 0})
    assert app.state.network_shape == [5, 2]
    assert controls.spec["layers"][0]["neurons"] == "5 neurons"  # the new network's frame updated the controls
    # two clicks sent before the server answered the first: both count
    controls._handle_msg({"action": "remove_neuron", "layer": 0})
    controls._handle_msg({"action": "remove_neuron", "layer": 0})
    assert app.state.network_shape == [3, 2]
    controls._handle_msg({"action": "add_layer"})
    assert app.state.network_shape == [3, 2, 2] and controls.spec["count"] == 3  # a new layer has two neurons
    controls._handle_msg({"action": "remove_layer"})
    controls._handle_msg({"action": "remove_layer"})
    assert app.state.network_shape == [3] and len(controls.spec["layers"]) == 1
    controls._handle_msg({"action": "activation", "layer": 0, "value": "ReLU"})
    assert app.state.activations == ["relu"] and controls.spec["layers"][0]["activation"] == "ReLU"


def test_actions_past_the_limits_or_malformed_change_nothing(app):
    controls = app.network.top
    for _ in range(MAX_NEURONS):
        controls._handle_msg({"action": "add_neuron", "layer": 1})
    assert app.state.network_shape == [4, MAX_NEURONS]
    for _ in range(3):
        controls._handle_msg({"action": "remove_neuron", "layer": 1})
    for _ in range(MAX_NEURONS):
        controls._handle_msg({"action": "remove_neuron", "layer": 0})
    assert app.state.network_shape == [1, MAX_NEURONS - 3]  # never fewer than one neuron
    before = list(app.state.network_shape)
    for msg in ({"action": "add_neuron", "layer": 2}, {"action": "add_neuron", "layer": -1},
                {"action": "add_neuron", "layer": True}, {"action": "add_neuron", "layer": "0"},
                {"action": "activation", "layer": 0, "value": "relu"},  # a name, not a label
                {"action": "activation", "layer": 0, "value": "<b>ReLU</b>"}, {"action": "explode"}, ["add_layer"]):
        controls._handle_msg(msg)
    assert app.state.network_shape == before and app.state.activations == []
    for _ in range(MAX_LAYERS + 1):
        controls._handle_msg({"action": "add_layer"})
    assert len(app.state.network_shape) == MAX_LAYERS
    for _ in range(MAX_LAYERS + 1):
        controls._handle_msg({"action": "remove_layer"})
    assert app.state.network_shape == [] and not app.network.top.spec["can_remove"]


def test_a_feature_toggle_flips_its_input_and_shows_its_state(app):
    toggles = app.network.feature_toggles
    shown = {name: on for name, _label, on, _top in toggles.features}
    assert shown == {"x": True, "y": True, "xSquared": False, "ySquared": False, "xTimesY": False, "sinX": False,
                     "sinY": False}
    assert [label for _name, label, _on, _top in toggles.features][:2] == ["X₁", "X₂"]
    tops = [top for *_rest, top in toggles.features]
    assert tops == [nl.TOP + (nl.ROW - nl.NODE) // 2 + row * nl.ROW for row in range(len(nl.FEATURE_NAMES))]
    toggles._handle_msg({"action": "toggle_feature", "feature": "xSquared"})
    assert app.state.x_squared
    assert dict((name, on) for name, _label, on, _top in toggles.features)["xSquared"]
    assert app.network.canvas.scene["inputs"][2]["enabled"]  # the canvas draws it fed in too
    toggles._handle_msg({"action": "toggle_feature", "feature": "xSquared"})
    toggles._handle_msg({"action": "toggle_feature", "feature": "constructor"})
    assert not app.state.x_squared and app.state.x


def test_hidden_layer_count_and_hide_text_reach_the_controls(app):
    assert app.network.top.spec["show_layers"] and app.network.top.spec["show_hints"]
    full_height = app.network.top.height
    app.state.hidden = ["numHiddenLayers"]
    assert not app.network.top.spec["show_layers"] and app.network.top.spec["show_hints"]
    assert app.network.top.height == HEADER_HEIGHT < full_height  # the canvas moves up into their room
    app.state.hide_text = True
    assert not app.network.top.spec["show_hints"]
    app.state.hidden, app.state.hide_text = [], False
    assert app.network.top.spec["show_layers"] and app.network.top.spec["show_hints"]
    assert app.network.top.height == full_height
