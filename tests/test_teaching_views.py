"""The teaching controls without a browser: the speed menu, "Mixed" activations, the loss menu for K classes,
the classes picker's states, the lesson-link maker and the notebook download (tests/browser drives them)."""

from __future__ import annotations

import nbformat
import numpy as np
import pytest

from playground.commands.run import train
from playground.lessons.links import link_hiding, read_link
from playground.live.frame_pacing import FAST, WATCH
from tests.notebook_cells import run_cells_here


@pytest.fixture
def app():
    from playground.app import PlaygroundApp

    made = []

    def make(link: str):
        made.append(PlaygroundApp(link))
        return made[-1]

    yield make
    for one in made:
        one.session.destroy()


def test_the_activation_menu_says_mixed_and_sets_every_layer_saying_so(app):
    page = app("#dataset=xor&networkShape=4,4&activations=relu,tanh&seed=1")
    controls = page.top.controls
    assert controls.values["activation"] == "Mixed"
    assert ["Mixed", False] in next(m for m in controls.menus if m["name"] == "activation")["options"]
    controls._handle_msg({"action": "choose", "menu": "activation", "value": "Mixed"})  # not an option to pick
    assert page.state.activations == ["relu", "tanh"]
    controls._handle_msg({"action": "choose", "menu": "activation", "value": "Sigmoid"})
    assert page.state.activation == "sigmoid" and page.state.activations == []
    assert page.session.experiment.spec.hidden_activations == ("sigmoid", "sigmoid")
    assert controls.values["activation"] == "Sigmoid"
    assert "Every hidden layer now uses Sigmoid" in page.message.showing
    page.state.activations = ["relu", "relu"]  # one layer's picker, then the other: the same again
    assert controls.values["activation"] == "ReLU"
    page.message.clear()
    controls._handle_msg({"action": "choose", "menu": "activation", "value": "Tanh"})  # not mixed: no message
    assert page.state.activations == [] and page.message.showing == ""


def test_the_loss_menu_says_cross_entropy_for_three_classes(app):
    page = app("#dataset=spiral&numClasses=3&seed=1")
    assert page.top.controls.values["loss"] == "Cross-entropy" and "loss" in page.top.controls.disabled
    page.state.num_classes = 2
    assert page.top.controls.values["loss"] == "Square" and "loss" not in page.top.controls.disabled


def test_the_speed_menu_and_lessons_start_at_watch(app):
    page = app("#seed=1")
    controls = page.top.controls
    assert controls.values["speed"] == "Fast" and page.session.pacing.speed == FAST
    controls._handle_msg({"action": "choose", "menu": "speed", "value": "Watch"})
    assert page.session.pacing.speed == WATCH and controls.values["speed"] == "Watch"
    page.lesson_panel.picker.value = "01-linear-boundary"
    assert page.session.pacing.speed == WATCH
    page.lesson_panel.picker.value = ""  # back to free play: its own speed
    assert page.session.pacing.speed == FAST and controls.values["speed"] == "Fast"
    lesson = app("#lesson=03-hidden-layers")
    assert lesson.session.pacing.speed == WATCH and lesson.top.controls.values["speed"] == "Watch"


def test_the_classes_picker_only_where_it_applies(app):
    page = app("#dataset=circle&seed=1")
    data = page.data
    page.state.num_classes = 3  # kept for a dataset that can have 3 (a link or the spiral before)
    assert data.classes_box.visible and data.classes.disabled and data.classes.value == 2  # the 2 in use
    assert "Circle has two classes: 3 to 5 classes work on Spiral, Gaussian, Your own data" in data.classes_hint.object
    page.state.dataset = "spiral"
    assert not data.classes.disabled and data.classes.value == 3 and data.classes_hint.object == ""
    assert page.session.experiment.classes == 3
    data.classes.value = 4  # the student picks
    assert page.state.num_classes == 4
    page.state.problem = "regression"
    assert not data.classes_box.visible
    hidden = app("#dataset=spiral&dataset_hide=true&seed=1")
    assert not hidden.data.hideable["dataset"].visible  # hidden with the dataset thumbnails


def test_a_lesson_link_hides_what_was_ticked(app):
    page = app("#lesson=01-linear-boundary")
    maker = page.lesson_link
    assert maker.hidden == ["problem", "dataset", "numHiddenLayers"]  # the lesson's own choice first
    maker._ticked(["playButton", "dataset", "nonsense"])
    assert maker.hidden == ["playButton", "dataset"]
    lesson, values, warnings = read_link(maker.link)
    assert lesson.title == page._lesson.title and not warnings
    assert sorted(values["hidden"]) == ["dataset", "playButton"]  # problem and layers shown again
    page.state.learning_rate = 0.1  # the link follows the settings
    assert "learningRate=0.1" in maker.link
    free = app("#seed=5&networkShape=3")
    assert link_hiding(free.state, None, ["noise"]).endswith("&noise_hide=true")
    assert "lesson=" not in free.lesson_link.link


def test_download_notebook_is_the_experiment_as_it_stands(app):
    page = app("#dataset=user&batchSize=10&seed=0.3")
    points = np.array([[1, 1, 1], [-1, -1, -1], [2, 2, 1], [-2, -2, -1], [1.5, 2, 1], [-2, -1, -1]], float)
    page.session.load_csv("x,y,label\n" + "\n".join(",".join(f"{v:g}" for v in p) for p in points))
    for _ in range(6):
        page.session.step()
    text = page.take_home._notebook().getvalue()
    nb = nbformat.reads(text, as_version=4)
    expected = train("#dataset=user&batchSize=10&seed=0.3", 6, "numpy", points=points)["epochs"][-1]
    assert run_cells_here(nb) == (expected["train_loss"], expected["test_loss"])
    assert run_cells_here(nb) == (page.session.experiment.history[-1]["train_loss"],
                                  page.session.experiment.history[-1]["test_loss"])  # the page's own losses
    assert not page.take_home.button.disabled
    page.state.optimizer = "adam"
    assert page.take_home.button.disabled and "optimizer 'adam'" in page.take_home.button.description
