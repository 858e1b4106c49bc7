"""The top bar without a browser: what its component is sent, and what the clicks and choices it sends back
do to the experiment (tests/browser covers the clicks themselves)."""

from __future__ import annotations

import pytest

from playground.domain.state import LEARNING_RATES
from playground.views.controls import TopBar
from playground.views.icons import ICON_PATHS


@pytest.fixture
def app():
    from playground.app import PlaygroundApp

    app = PlaygroundApp("#learningRate=0.1&activation=relu&seed=1")
    yield app
    app.session.destroy()


def test_the_buttons_and_menus_are_sent_once_with_their_classes_labels_and_options(app):
    controls = app.top.controls
    buttons = {b["name"]: b for b in controls.buttons}
    assert [(b["css"], b["label"], b["title"]) for b in controls.buttons] == [
        ("reset-button", "Reset", "Reset the network"), ("play-button", "Play", "Play (space)"),
        ("step-button", "Step", "Step one epoch (→)")]
    assert buttons["playButton"]["playing"] == {"label": "Pause", "title": "Pause (space)",
                                                "icon": ICON_PATHS["pause"]}
    assert buttons["stepButton"]["icon"] == ICON_PATHS["step"]
    menus = {m["name"]: m for m in controls.menus}
    assert [m["css"] for m in controls.menus] == [
        "speed-select", "learning-rate-select", "activation-select", "regularization-select", "regularization-rate-select",
        "problem-select", "engine-select", "optimizer-select", "loss-select"]
    assert [label for label, _ in menus["learningRate"]["options"]][:3] == ["0.00001", "0.0001", "0.001"]
    assert len(menus["learningRate"]["options"]) == len(LEARNING_RATES)
    assert menus["activation"]["label"] == "Activation"
    # our own settings, under the Advanced toggle, closed while they are as usual
    assert [m["name"] for m in controls.menus if m["advanced"]] == ["engine", "optimizer", "loss"]
    assert not controls.advanced
    assert controls.values == {"learningRate": "0.1", "activation": "ReLU", "regularization": "None",
                               "regularizationRate": "0", "problem": "Classification", "engine": "numpy",
                               "optimizer": "Playground SGD", "loss": "Square", "speed": "Fast"}
    assert controls.epoch is app.top.epoch  # the counter is its own component, shown inside the bar


def test_a_choice_sets_the_state_and_a_state_change_moves_the_menu(app):
    controls = app.top.controls
    controls._handle_msg({"action": "choose", "menu": "learningRate", "value": "0.003"})
    assert app.state.learning_rate == 0.003 and controls.values["learningRate"] == "0.003"
    controls._handle_msg({"action": "choose", "menu": "regularization", "value": "L1"})
    assert app.state.regularization == "L1"
    app.state.param.update(activation="sigmoid", problem="regression")  # a link or a lesson
    assert (controls.values["activation"], controls.values["problem"]) == ("Sigmoid", "Regression")
    resync = controls.resync
    for bad in ({"action": "choose", "menu": "learningRate", "value": "0.5"},  # not an option
                {"action": "choose", "menu": "nope", "value": "0.1"}):
        controls._handle_msg(bad)
        assert app.state.learning_rate == 0.003
    assert controls.resync == resync + 2  # each refused choice: the browser shows the state's values again
    for ignored in ("no dict", {"action": "choose", "menu": "learningRate", "value": 0.1},
                    {"action": "click", "button": "launchButton"}):
        controls._handle_msg(ignored)
    assert app.state.learning_rate == 0.003 and controls.resync == resync + 2


def test_clicks_play_step_and_reset_and_a_quick_second_click_counts(app):
    controls = app.top.controls
    controls._handle_msg({"action": "click", "button": "stepButton"})
    controls._handle_msg({"action": "click", "button": "stepButton"})  # sent before the first was answered
    assert app.session.experiment.epoch == 2
    controls._handle_msg({"action": "click", "button": "resetButton"})
    assert app.session.experiment.epoch == 0
    controls._handle_msg({"action": "click", "button": "playButton"})
    assert app.session.playing and controls.playing  # the button shows its Pause face
    controls._handle_msg({"action": "click", "button": "playButton"})
    assert not app.session.playing and not controls.playing


def test_hidden_controls_are_sent_by_name_and_keys_respect_them():
    from playground.app import PlaygroundApp

    app = PlaygroundApp("#playButton_hide=true&stepButton_hide=true&problem_hide=true&seed=1")
    try:
        assert app.top.controls.hidden == ["playButton", "stepButton", "problem"]
        assert not app.top.shown("playButton") and app.top.shown("resetButton")
        app._key("step")
        app._key("toggle")
        assert app.session.experiment.epoch == 0 and not app.session.playing  # no shortcut for a hidden button
        app.state.hidden = []
        assert app.top.controls.hidden == []
        app._key("step")
        assert app.session.experiment.epoch == 1
    finally:
        app.session.destroy()


def test_the_loss_menu_is_disabled_with_a_reason_for_three_classes_and_ignores_choices():
    from playground.app import PlaygroundApp

    app = PlaygroundApp("#dataset=spiral&numClasses=3&seed=1")
    try:
        controls = app.top.controls
        assert controls.disabled == {"loss": "With 3 or more classes the network always learns with cross-entropy"}
        controls._handle_msg({"action": "choose", "menu": "loss", "value": "Cross-entropy"})
        assert app.state.loss == "square"
        app.state.num_classes = 2
        assert controls.disabled == {}
        controls._handle_msg({"action": "choose", "menu": "loss", "value": "Cross-entropy"})
        assert app.state.loss == "cross-entropy" and controls.values["loss"] == "Cross-entropy"
    finally:
        app.session.destroy()


class _Session:
    def __init__(self, state):
        self.state, self.asked = state, []

    def set_engine(self, name: str) -> None:
        self.asked.append(name)
        self.state.engine = name


def test_an_unavailable_engine_is_shown_with_its_reason_and_refused():
    from playground.domain.state import ExperimentState

    state = ExperimentState(seed="1")
    session = _Session(state)
    reason = "<b>no CUDA</b> & no torch"  # from an exception: shown as text by the browser, never as HTML
    bar = TopBar(state, session, engines=[("cpu", True, ""), ("numpy", True, ""), ("gpu", False, reason)])
    menu = next(m for m in bar.controls.menus if m["name"] == "engine")
    # the menu says it in a student's words; the reason is in its tooltip (the browser shows it as text)
    assert menu["options"] == [["cpu", True], ["numpy", True], ["gpu (not on this computer)", False]]
    assert menu["title"] == f"How the network is computed; switching keeps the weights\ngpu: {reason}"
    bar.controls._handle_msg({"action": "choose", "menu": "engine", "value": "cpu"})
    assert state.engine == "cpu" and bar.controls.values["engine"] == "cpu" and session.asked == ["cpu"]
    resync = bar.controls.resync
    bar.controls._handle_msg({"action": "choose", "menu": "engine", "value": "gpu (not on this computer)"})
    assert session.asked == ["cpu", "gpu"]  # the session refuses it with a message (test_session.py)
    assert bar.controls.values["engine"] == "cpu" and bar.controls.resync == resync + 1  # the menu shows cpu again



def test_a_link_or_lesson_that_sets_the_engine_optimizer_or_loss_opens_the_advanced_settings():
    from playground.app import PlaygroundApp

    for link, opened in (("#seed=1", False), ("#optimizer=adam&seed=1", True), ("#engine=cpu&seed=1", True),
                         ("#loss=cross-entropy&seed=1", True)):
        app = PlaygroundApp(link)
        try:
            assert app.top.controls.advanced is opened, link
        finally:
            app.session.destroy()
    app = PlaygroundApp("#seed=1")
    try:
        app.state.optimizer = "momentum"  # a lesson's settings, loaded into the open page
        assert app.top.controls.advanced
    finally:
        app.session.destroy()


def test_hide_text_takes_the_engine_note_and_the_banner_away():
    from playground.app import PlaygroundApp

    app = PlaygroundApp("#seed=1")
    try:
        assert app.top.controls.note and app.header.visible
        app.state.hide_text = True
        assert app.top.controls.note == [] and not app.header.visible
        app.state.hide_text = False
        assert app.top.controls.note and app.header.visible
    finally:
        app.session.destroy()
