"""The page's accessible controls, lesson text, dataset thumbnails and read-outs without a browser
(tests/browser/test_screens.py drives them in one)."""

from __future__ import annotations

import math

import pytest

from playground.data.function_datasets import CURVES, curve_points
from playground.domain.state import ExperimentState
from playground.live.frames import Topology
from playground.views import network_layout as nl
from playground.views.dataset_picker import preview_picture
from playground.views.inputs import CheckInput, ChoiceButtons, RangeInput, bind
from playground.views.lesson_text import LessonText, lesson_html
from playground.views.network_canvas import build_scene
from playground.views.output import loss_text


def test_a_control_and_its_state_parameter_follow_each_other_and_a_refused_value_goes_back():
    state = ExperimentState(seed="1")
    noise = bind(RangeInput(label="Noise", start=0, end=50, step=5), state, "noise")
    assert noise.value == state.noise == 0
    noise.value = 15  # the student let go of the slider
    assert state.noise == 15
    state.noise = 35  # a link or a lesson
    assert noise.value == 35
    ratio = bind(RangeInput(label="Ratio"), state, "perc_train_data")
    ratio.value = 500  # out of the state's bounds (a tampered page): the slider shows the state again
    assert state.perc_train_data == 50 and ratio.value == 50
    shown = bind(CheckInput(label="Show test data"), state, "show_test_data")
    shown.value = True
    assert state.show_test_data is True
    classes = bind(ChoiceButtons(label="Classes", options=[["2", 2], ["3", 3]]), state, "num_classes")
    classes.value = 3
    assert state.num_classes == 3
    state.num_classes = 2
    assert classes.value == 2


def test_a_lesson_text_is_its_title_and_markdown_with_raw_html_escaped():
    html = lesson_html("Title", "Some **bold** words.\n\n<script>alert(1)</script>")
    assert html.startswith("<h2>Title</h2>") and "<strong>bold</strong>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    text = LessonText()
    text.expanded = True
    text.show("T", "x")  # a new lesson starts closed
    assert not text.expanded and "<h2>T</h2>" in text.html


@pytest.mark.parametrize("name", sorted(CURVES))
def test_the_function_datasets_thumbnails_draw_their_curve(name):
    curve = preview_picture("classification", name)["curve"]
    xs = [x for x, _ in curve]
    assert xs[0] == -6 and xs[-1] == 6 and len(curve) > 40
    for x, y in curve[::8]:
        assert y == pytest.approx(CURVES[name](x), abs=0.01)
    assert curve_points(name).shape == (97, 2)


def test_the_other_thumbnails_have_no_curve():
    assert all("curve" not in preview_picture("classification", name) for name in ("circle", "xor", "checkerboard"))


def test_a_loss_that_is_no_number_reads_diverged():
    assert loss_text(0.12345) == "0.123"
    assert loss_text(math.nan) == loss_text(math.inf) == "diverged"


def test_the_scene_says_which_nodes_each_link_joins_for_the_keyboard():
    topology = Topology(("x", "xSquared"), (2,))
    scene = build_scene(topology, {"x", "xSquared"}, ["#000000"] * 256, ["#000000"] * 256, (-1.0, 1.0), False, "")
    rows = {name: row for row, name in enumerate(nl.FEATURE_NAMES)}
    assert scene["neuron_columns"] == [[0, 1], [2]]  # the hidden layer, then the output
    # inputs to the hidden layer (from an input row), then the hidden layer to the output (from a neuron)
    assert scene["link_nodes"] == [[1, rows["x"], 0], [1, rows["x"], 1], [1, rows["xSquared"], 0],
                                   [1, rows["xSquared"], 1], [0, 0, 2], [0, 1, 2]]
    assert len(scene["link_nodes"]) == len(scene["links"]) == len(scene["link_labels"])
    assert scene["link_labels"][4] == "from neuron 1 of layer 1 to the output"
