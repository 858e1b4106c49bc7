"""The dataset thumbnails component's Python side: what it sends the browser, and what a click does."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from playground.domain.state import DATASET_LABELS, REG_DATASET_LABELS, ExperimentState
from playground.live.class_colors import CLASS_COLORS
from playground.live.frames import dataset_preview
from playground.views import palette
from playground.views.dataset_picker import (
    CELL,
    STEPS_PER_UNIT,
    DatasetPicker,
    decode_picture,
    picture,
    preview_picture,
)

ORANGE, BLUE = palette.PALETTE[0], palette.PALETTE[255]


def _pictures(picker: DatasetPicker) -> dict:
    return {name: sent for name, _, sent in picker.datasets}


def test_a_picture_carries_every_dot_inside_the_frame_grouped_by_colour_in_order_of_appearance():
    points = np.array([[1.0, 2.0, 1], [-3.0, -4.5, -1], [5.9, -5.9, 1], [6.5, 0.0, 1], [0.0, 0.0, 0.0]])
    sent = picture(points)
    assert sent["colors"] == [BLUE, ORANGE, palette.PALETTE[128]] and sent["counts"] == [2, 1, 1]
    assert len(base64.b64decode(sent["xy"])) == 2 * 4  # two bytes a dot; (6.5, 0) is outside and left out
    drawn = decode_picture(sent)
    expected = [(BLUE, 1.0, 2.0), (BLUE, 5.9, -5.9), (ORANGE, -3.0, -4.5), (palette.PALETTE[128], 0.0, 0.0)]
    assert [color for color, _, _ in drawn] == [color for color, _, _ in expected]
    np.testing.assert_allclose([xy for _, *xy in drawn], [xy for _, *xy in expected], atol=0.5 / STEPS_PER_UNIT)


def test_regression_values_are_drawn_in_a_few_shades_and_k_classes_in_their_colours():
    values = np.linspace(-1, 1, 101)
    regression = picture(np.column_stack([values, values, values]))
    assert len(regression["colors"]) == 17 and regression["colors"][0] == ORANGE and regression["colors"][-1] == BLUE
    classes = picture(np.array([[0, 0, 2], [1, 1, 0], [2, 2, 1], [3, 3, 2]], dtype=float), classes=3)
    assert classes["colors"] == [CLASS_COLORS[2], CLASS_COLORS[0], CLASS_COLORS[1]] and classes["counts"] == [2, 1, 1]


def test_no_points_make_an_empty_picture():
    assert picture(np.empty((0, 3))) == {"colors": [], "counts": [], "xy": ""}


def test_the_classification_thumbnails_are_sent_with_their_labels_and_datasets_dots():
    picker = DatasetPicker(ExperimentState(seed="1", dataset="xor"))
    assert [(name, label) for name, label, _ in picker.datasets] == list(DATASET_LABELS.items())
    assert picker.chosen == "xor" and picker.height == 4 * CELL
    sent = _pictures(picker)
    assert sent["user"] is None and picker.user_picture["xy"] == ""  # your own data starts empty
    preview = dataset_preview("classification", "xor")
    drawn = decode_picture(sent["xor"])
    assert len(drawn) == len(preview) and {color for color, _, _ in drawn} == {ORANGE, BLUE}
    distances = np.abs(np.array([xy for _, *xy in drawn])[:, None, :] - preview[None, :, :2]).max(axis=2)
    assert distances.min(axis=0).max() <= 0.5 / STEPS_PER_UNIT + 1e-9  # every point is drawn where it is


def test_switching_the_problem_sends_only_the_other_types_thumbnails():
    state = ExperimentState(seed="1")
    picker = DatasetPicker(state)
    state.param.update(problem="regression", reg_dataset="reg-gauss")
    assert [(name, label) for name, label, _ in picker.datasets] == list(REG_DATASET_LABELS.items())
    assert picker.chosen == "reg-gauss" and picker.height == CELL
    assert len(_pictures(picker)["reg-plane"]["colors"]) > 2  # values, not two classes
    state.problem = "classification"
    assert picker.chosen == "circle" and picker.height == 4 * CELL


def test_a_click_picks_the_named_dataset_and_anything_else_is_ignored():
    state = ExperimentState(seed="1")
    picker = DatasetPicker(state)
    picker._handle_msg("spiral")
    assert state.dataset == "spiral" and picker.chosen == "spiral"
    picker._handle_msg("reg-gauss")
    assert state.reg_dataset == "reg-gauss" and state.dataset == "spiral"
    for junk in ("<img src=x onerror=alert(1)>", "Spiral", "", None, {"pick": "xor"}, ["xor"], 3):
        picker._handle_msg(junk)
    assert (state.dataset, state.reg_dataset) == ("spiral", "reg-gauss")


@pytest.mark.parametrize("name", ["spiral", "gauss"])
def test_k_classes_redraw_the_spiral_and_gaussian_pictures_only(name):
    state = ExperimentState(seed="1")
    picker = DatasetPicker(state)
    before = _pictures(picker)
    state.num_classes = 4
    after = _pictures(picker)
    assert set(after[name]["colors"]) == set(CLASS_COLORS[:4])
    assert after[name] == preview_picture("classification", name, 4) != before[name]
    assert after["circle"] == before["circle"] and after["xor"] == before["xor"]
    state.num_classes = 2
    assert _pictures(picker)[name] == before[name]


def test_the_user_thumbnail_shows_the_users_points_in_their_classes():
    state = ExperimentState(seed="1", dataset="user")
    picker = DatasetPicker(state)
    picker.show_user_points(np.array([[1.0, 1.0, 1.0], [-2.0, 3.0, -1.0]]))
    assert [(c, round(x, 2), round(y, 2)) for c, x, y in decode_picture(picker.user_picture)] == \
        [(BLUE, 1.0, 1.0), (ORANGE, -2.0, 3.0)]
    state.num_classes = 3
    picker.show_user_points(np.array([[1.0, 1.0, 2.0], [-2.0, 3.0, 0.0]]))
    assert picker.user_picture["colors"] == [CLASS_COLORS[2], CLASS_COLORS[0]]


def test_the_app_draws_the_users_points_into_the_thumbnail_and_hides_the_thumbnails_when_asked():
    from playground.app import PlaygroundApp

    app = PlaygroundApp("#dataset=user&seed=1")
    picker = app.data.picker
    assert picker.visible and picker.user_picture["xy"] == ""
    app.draw.handle_plot_click(2.0, -1.0, False)  # the drawing tool's class: blue (+1)
    drawn = decode_picture(picker.user_picture)
    assert [(c, round(x, 2), round(y, 2)) for c, x, y in drawn] == [(BLUE, 2.0, -1.0)]
    thumbnails = app.data.hideable["dataset"]  # the thumbnails and the classes picker under them
    assert picker in thumbnails.objects
    app.state.hidden = ["dataset"]
    assert not thumbnails.visible and app.data.ratio.visible
    app.state.hidden = []
    assert thumbnails.visible
    app.session.destroy()
