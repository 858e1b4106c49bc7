"""Every size and value a page or a link can send is held to one bound, with one message: points drawn on the
plot as CSV points are, a link's length wherever it arrives; and the wording of what the user is told."""

from __future__ import annotations

import numpy as np
import pytest

from playground.data import datasets
from playground.domain import links
from playground.lessons.links import read_link
from playground.live.frame_encoding import encode_points
from playground.live.session import NO_POINTS
from playground.safe_text import markdown_text
from playground.views.network_canvas import NetworkCanvas, finite_number
from playground.views.upload import CsvUpload, megabytes

TOO_LONG = "#seed=" + "1" * 1_000_000  # a 1 MB seed in the address bar


@pytest.fixture
def app():
    from playground.app import PlaygroundApp

    app = PlaygroundApp("#dataset=user&networkShape=3&seed=1")
    yield app
    app.session.destroy()


# ---------------------------------------------------------------- points drawn on the plot
def test_a_drawn_point_beyond_the_csv_bound_is_refused_with_the_same_message(app):
    app.draw.handle_plot_click(1e300, 0.0, False)  # a tampered `draw` message
    assert len(app.session.experiment.user_points) == 0
    assert f"within ±{datasets.MAX_ABS_COORD:g}" in app.message.showing
    app.draw.handle_plot_click(2.0, -1.0, False)
    assert app.session.experiment.user_points.tolist() == [[2.0, -1.0, 1.0]]
    with np.errstate(all="raise"):  # nothing overflows on its way to the page
        encode_points(app.session.experiment.train, app.session.experiment.test)


@pytest.mark.parametrize("value, number", [(1.5, 1.5), (7, 7.0), (10**400, None), (float("inf"), None),
                                           (float("nan"), None), (True, None), ("1", None), (None, None)])
def test_numbers_from_the_page_are_finite_floats_or_nothing(value, number):
    assert finite_number(value) == number


def test_a_draw_message_without_finite_coordinates_reaches_nobody():
    canvas, drawn = NetworkCanvas(), []
    canvas.on_draw = lambda *args: drawn.append(args)
    canvas._on_page = lambda callback, *args: callback(*args)  # no page thread here
    for x in (10**400, float("nan"), float("inf")):
        canvas._handle_msg({"draw": [x, 0.0, False]})
    canvas._handle_msg({"draw": [1e300, 0.0, False]})  # finite: the data's bound refuses it, with a message
    assert drawn == [(1e300, 0.0, False)]


def test_erasing_at_no_position_erases_nothing():
    points = np.array([[0.0, 0.0, 1.0], [1.0, 1.0, -1.0]])
    assert np.array_equal(datasets.remove_nearest(points, float("nan"), 0.0, 1.0), points)


# ---------------------------------------------------------------- a link's length
def test_a_link_longer_than_any_playground_link_is_not_read_and_says_so_once():
    lesson, values, warnings = read_link(TOO_LONG)
    assert lesson is None and values["seed"] != "1" * 1_000_000 and warnings == [links.too_long(TOO_LONG)]
    assert warnings[0] == ("This link is too long to be a playground link (1,000,006 characters; links up to "
                           "4,000 are read), so it was ignored.")
    assert links.parse_link(TOO_LONG)[1] == warnings  # the CLI's export reads links here
    assert read_link("#lesson=" + "x" * 100_000)[2][0].startswith("This link is too long")  # no 100 KB name echoed
    longest = links.to_hash(links.parse_link("#networkShape=8,8,8,8,8,8&" + "&".join(
        f"{c}_hide=true" for c in links.st.HIDABLE_CONTROLS))[0])
    assert len(longest) < links.MAX_LINK_CHARS / 3  # every link the app writes is read


def test_a_page_given_a_link_too_long_keeps_what_it_shows(app):
    shape = list(app.state.network_shape)
    assert app._apply_hash(TOO_LONG) is False
    assert list(app.state.network_shape) == shape and len(app.state.seed) < 100
    assert "too long" in app.message.showing


# ---------------------------------------------------------------- wording
def test_a_file_just_over_the_limit_says_a_size_above_it():
    assert megabytes(1_000_001, 1_000_000) == "1.000001 MB"
    assert megabytes(1_500_000, 1_000_000) == "1.5 MB" and megabytes(25_000_000, 1_000_000) == "25 MB"
    upload, refused = CsvUpload(on_file=None, on_refused=lambda name, why: refused.append(why)), []
    upload._on_page = lambda callback, *args: callback(*args)
    upload._handle_msg({"refused": "big.csv", "size": 1_000_001})
    assert refused == ["the file is 1.000001 MB; files up to 1 MB can be uploaded"]


@pytest.mark.parametrize("rows, said", [(1, "Loaded 1 point."), (2, "Loaded 2 points.")])
def test_loaded_points_are_counted_in_words(app, rows, said):
    app.data._uploaded("mine.csv", b"x,y,label\n" + b"1,1,1\n" * rows)
    assert app.data.data_message.object == markdown_text(said)


def test_the_no_points_message_goes_once_training_goes_on(app):
    app.session.step()  # your own data, no point yet
    assert NO_POINTS[:40] in app.message.showing
    app.state.dataset = "spiral"
    assert NO_POINTS[:40] in app.message.showing  # nothing has trained yet: still true
    app.session.step()
    assert app.message.showing == ""
