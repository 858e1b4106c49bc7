"""Lessons and data that teach, in a real browser: drawn data that trains (and shows its test points), a goal
badge that says when a reached goal is lost again, Play pausing at a lesson's budget, K = 3 outputs in their
class colours, the classes picker's states, "Mixed" activations, the notebook downloaded from the page, and
the teacher's lesson link."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import nbformat
import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from playground.cli import main
from playground.data import datasets
from playground.domain.experiment import Experiment
from playground.live.class_colors import CLASS_COLORS, class_text_colour
from playground.live.frames import Topology
from playground.views import network_layout as nl
from tests.notebook_cells import run_cells_here

from .conftest import epoch_of
from .test_app_classes import _hue, _hues
from .test_app_editing import (
    apply_edit,
    bias_position,
    downloaded_points,
    open_editor_on,
    output_position,
    plot_point,
)
from .test_app_training import exact_loss, play, step

pytestmark = pytest.mark.browser

TIMEOUT_MS = 30_000
OWN = "#dataset=user&batchSize=10&percTrainData=50&networkShape=4,2&seed=0.3"
TEN = [(-4, -4, -1), (-3, 2, 1), (3, 3, 1), (4, -2, -1), (-2, 4, 1), (2, -4, -1), (1, 2, 1), (-1, -2, -1),
       (4, 1, 1), (-4, -1, -1)]


def _rgb(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)


def _draw(page, points) -> None:
    """Click each point onto the output plot with its class chosen beside the plot (a download after each
    class choice, so the server has it before the next click, as at human speed)."""
    tools = page.locator(".draw-tools")
    expect(tools).to_be_visible(timeout=TIMEOUT_MS)
    shown = None
    for x, y, label in points:
        if label != shown:
            tools.get_by_role("button", name=re.compile("Blue" if label > 0 else "Orange")).click()
            downloaded_points(page)
            shown = label
        page.locator(".output-plot").click(position=output_position(page, x, y))
    expect(page.locator(".network-picture")).to_have_attribute("data-test-points", "5", timeout=TIMEOUT_MS)


def test_ten_drawn_points_with_batch_ten_train_and_show_their_test_points(open_app):
    page = open_app(OWN)
    expect(page.locator(".output-stats").get_by_text("No points yet")).to_be_visible()
    _draw(page, TEN)
    drawn = np.array(downloaded_points(page))
    assert len(drawn) == 10
    # before any step, the losses are those of the points on screen
    fresh = Experiment(dataset="user", batch_size=10, perc_train_data=50, network_shape=[4, 2], seed="0.3")
    fresh.set_user_points(drawn)
    expect(page.locator(".train-loss")).to_have_attribute("title", repr(fresh.losses()[0]), timeout=TIMEOUT_MS)
    assert page.locator(".train-accuracy").inner_text().endswith("%")
    expect(page.get_by_text("Only 5 training points, fewer than the batch size (10)")).to_be_visible()
    # the clicks that became test points stay on the plot, hollow, while "Show test data" is off
    assert not page.locator(".show-test-data input").is_checked()
    plot = _rgb(page.locator(".output-plot canvas").screenshot())
    for x, y, label in TEN[1::2]:  # every second point is a test point at 50 %
        at = output_position(page, x, y)
        cx, cy = round(at["x"]), round(at["y"])
        ring = plot[cy - 4:cy + 5, cx - 4:cx + 5]
        colour = np.array([int(c, 16) for c in re.findall("..", ("0877bd" if label > 0 else "f59322"))], float)
        near = np.abs(ring - colour).sum(axis=-1) < 120
        assert near.sum() >= 8 and not near[4, 4], (x, y)  # a ring of the class's colour, open in the middle
    # the loss changes every epoch: the batch is all 5 training points
    losses = [exact_loss(page)[1]]
    for _ in range(3):
        step(page)
        losses.append(exact_loss(page)[1])
    assert len(set(losses)) == 4, losses
    fresh.step(3)
    assert losses[-1] == fresh.history[-1]["train_loss"]


def test_a_goal_reached_and_then_lost_says_so_without_a_green_tick(open_app):
    page = open_app("#lesson=01-linear-boundary")
    expect(page.get_by_role("combobox", name="Speed")).to_have_value("Watch")
    play(page)
    met = page.locator(".lesson-goal.met.holds")
    expect(met).to_be_visible(timeout=TIMEOUT_MS)
    expect(met.locator(".goal-head")).to_contain_text(re.compile(r"✓ Goal reached at epoch \d+ · still met now"))
    page.get_by_role("button", name="Play").wait_for(timeout=TIMEOUT_MS)  # paused at the lesson's 50 epochs
    reached = re.search(r"epoch (\d+)", met.locator(".goal-head").inner_text()).group(1)
    # every point now reads blue: the goal no longer holds
    position = bias_position(page, "Bias of the output", features=("x", "y"), shape="")
    open_editor_on(page, position, "Bias of the output", "the output")
    apply_edit(page, 5)
    lost = page.locator(".lesson-goal.met.lost")
    expect(lost).to_be_visible(timeout=TIMEOUT_MS)
    head = lost.locator(".goal-head").inner_text()
    assert head.startswith(f"Goal reached at epoch {reached}, but not met now") and "✓" not in head
    detail = lost.locator(".goal-detail").inner_text()
    assert "✗ test accuracy" in detail and "✓ test accuracy" not in detail
    colour = lost.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour == "rgb(255, 244, 229)"  # amber, not the green of a goal that holds


def test_play_pauses_at_the_lessons_budget_and_says_so(open_app):
    page = open_app("#lesson=06-learning-rate-too-large&learningRate=0.03")
    expect(page.get_by_role("combobox", name="Speed")).to_have_value("Watch")
    page.get_by_role("button", name="Play").click()
    message = page.get_by_text(re.compile("Training paused at epoch 5, the end of this lesson's 5 epochs"))
    expect(message).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_role("button", name="Play")).to_be_visible(timeout=TIMEOUT_MS)
    page.wait_for_timeout(500)
    assert epoch_of(page) == 5
    expect(page.locator(".lesson-goal.met")).to_be_visible()


def test_three_class_outputs_are_labelled_and_drawn_in_their_colours(open_app):
    page = open_app("#dataset=spiral&numClasses=3&networkShape=4&learningRate=0.1&seed=0.2")
    page.get_by_role("button", name="Advanced").click()  # the loss menu is among the advanced settings
    expect(page.get_by_role("combobox", name="Loss")).to_have_value("Cross-entropy")
    for _ in range(3):
        step(page)
    g = nl.build_geometry(Topology(("x", "y"), (4,), 3))
    shot = _rgb(page.locator(".network-plot").screenshot())
    for k in range(3):
        i = 4 + k
        left, top = float(g.neurons["x"][i]), nl.HEIGHT - float(g.neurons["y"][i]) - nl.NODE
        frame = shot[round(top + nl.NODE / 2), round(left - 1)]  # the frame left of the node
        assert np.abs(frame - [int(CLASS_COLORS[k][j:j + 2], 16) for j in (1, 3, 5)]).max() < 40, k
        badge = shot[round(top + nl.NODE - 1), round(left + nl.NODE - 12)]  # the class number's badge
        assert np.abs(badge - [int(class_text_colour(k)[j:j + 2], 16) for j in (1, 3, 5)]).max() < 40, k
    # hovering class 1's output shows its probability in one hue: blue
    at = plot_point(page, float(g.neurons["cx"][5]), float(g.neurons["cy"][5]))
    page.mouse.move(at["x"] - 20, at["y"] - 20)
    page.mouse.move(at["x"], at["y"], steps=3)
    expect(page.locator(".network-tooltip")).to_contain_text("class 1 (blue)", timeout=TIMEOUT_MS)
    expect(page.locator(".network-picture")).to_have_attribute("data-detail", "neuron-5", timeout=TIMEOUT_MS)
    rgb = _rgb(page.locator(".output-plot canvas").screenshot())[:300, :300] / 255
    high, low = rgb.max(axis=-1), rgb.min(axis=-1)
    coloured = (high - low) / np.maximum(high, 1e-9) > 0.15
    hue = _hues(rgb)
    near = lambda colour: np.abs((hue - _hue(colour) + 180) % 360 - 180) < 20  # noqa: E731
    blue, others = coloured & near(CLASS_COLORS[1]), coloured & (near(CLASS_COLORS[0]) | near(CLASS_COLORS[2]))
    assert blue.mean() > 0.3 and others.mean() < 0.06, (blue.mean(), others.mean())  # others: the data points


def test_the_classes_picker_is_there_only_where_it_applies(open_app):
    page = open_app("#dataset=circle&seed=0.1")
    picker = page.locator(".classes-picker")
    expect(picker.get_by_role("button", name="3", exact=True)).to_be_disabled()
    expect(page.locator(".classes-hint")).to_contain_text("Circle has two classes")
    page.locator(".dataset-thumb.dataset-spiral").click()
    expect(picker.get_by_role("button", name="3", exact=True)).to_be_enabled(timeout=TIMEOUT_MS)
    picker.get_by_role("button", name="3", exact=True).click()
    page.wait_for_function("() => location.hash.includes('numClasses=3')", timeout=TIMEOUT_MS)
    page.get_by_role("combobox", name="Problem type").select_option("Regression")
    expect(picker).to_be_hidden(timeout=TIMEOUT_MS)
    expect(page.get_by_text("Classes:", exact=True)).to_be_hidden()
    open_app("#dataset=spiral&numClasses=3&dataset_hide=true&seed=0.1")
    expect(page.locator(".classes-picker")).to_be_hidden(timeout=TIMEOUT_MS)
    expect(page.get_by_text("Classes:", exact=True)).to_be_hidden()


def test_the_activation_menu_says_mixed_and_sets_every_layer(open_app):
    page = open_app("#dataset=xor&networkShape=4,4&activations=relu,tanh&seed=0.1")
    menu = page.get_by_role("combobox", name="Activation", exact=True)
    expect(menu).to_have_value("Mixed")
    menu.select_option("Sigmoid")
    expect(page.get_by_text("Every hidden layer now uses Sigmoid")).to_be_visible(timeout=TIMEOUT_MS)
    for layer in (1, 2):
        expect(page.locator(f".layer-{layer}-activation select")).to_have_value("Sigmoid", timeout=TIMEOUT_MS)
    page.wait_for_function("() => location.hash.includes('activation=sigmoid') && !location.hash.includes('activations')",
                           timeout=TIMEOUT_MS)
    page.locator(".layer-1-activation select").select_option(label="ReLU")
    expect(menu).to_have_value("Mixed", timeout=TIMEOUT_MS)


# nbclient in a process of its own: it imports ipykernel, and a process that has it reads as a notebook
# (views/styles.in_notebook), which would change how this test session's server serves the next pages
EXECUTE = """
import sys, nbformat
from playground.export.notebook import LOSS_CELL_TAG, execute_notebook
nb = execute_notebook(nbformat.read(sys.argv[1], as_version=4), cwd=sys.argv[2], timeout=300)
cell = next(c for c in nb.cells if LOSS_CELL_TAG in c.metadata.get("tags", []))
print("".join(o.get("text", "") for o in cell.outputs))
"""


def _executed_losses(path: Path, cwd: Path) -> tuple[float, float]:
    """The final losses a notebook prints when nbclient runs it in a fresh kernel."""
    done = subprocess.run([sys.executable, "-c", EXECUTE, str(path), str(cwd)], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    train_loss, test_loss = (float(word) for word in done.stdout.split())
    return train_loss, test_loss


def _export_losses(link: str, csv: Path, epochs: int, out: Path) -> tuple[float, float]:
    """`playground export --standalone` of the same link, data and epochs, its cells run here."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with redirect_stdout(stdout), redirect_stderr(stderr):
        code = main(["export", "--standalone", "--url", link, "--data", str(csv), "--epochs", str(epochs),
                     "--out", str(out)])
    assert code == 0, stderr.getvalue()
    return run_cells_here(nbformat.read(out, as_version=4))


def test_the_downloaded_notebook_prints_the_losses_of_export_standalone(open_app, tmp_path):
    page = open_app(OWN)
    csv = tmp_path / "mine.csv"
    csv.write_text(datasets.to_csv(np.array(TEN, float)))
    page.locator(".csv-upload input[type=file]").set_input_files(str(csv))
    page.locator(".data-error").get_by_text("Loaded 10 points.").wait_for(timeout=TIMEOUT_MS)
    for _ in range(8):
        step(page)
    epoch, page_loss = exact_loss(page)
    assert epoch == 8
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.locator(".notebook-download").get_by_text("Download notebook").click()
    printed = _executed_losses(Path(info.value.path()), tmp_path)
    link = page.evaluate("location.hash")
    assert printed == _export_losses(link, csv, epoch, tmp_path / "export.ipynb")
    assert printed[0] == page_loss  # and they are the page's own


def test_the_teachers_panel_makes_a_link_that_hides_what_was_ticked(open_app):
    page = open_app("#lesson=02-feature-cross")
    maker = page.locator(".lesson-link")
    maker.scroll_into_view_if_needed()
    expect(maker.get_by_role("checkbox", name="Number of hidden layers")).to_be_checked()  # the lesson's own
    maker.get_by_role("checkbox", name="Play button").check()
    maker.get_by_role("checkbox", name="Noise level").check()
    maker.get_by_role("checkbox", name="Number of hidden layers").uncheck()
    field = maker.locator(".lesson-link-text")
    expect(field).to_have_value(re.compile("playButton_hide=true.*noise_hide=true"), timeout=TIMEOUT_MS)
    maker.get_by_role("button", name="Copy link").click()
    expect(maker.get_by_role("status")).to_have_text(re.compile("Copied|copy it"), timeout=TIMEOUT_MS)
    link = field.input_value()
    assert link.startswith(page.url.split("#")[0] + "#lesson=02-feature-cross&")
    page.goto("about:blank")
    open_app("#" + link.split("#", 1)[1])
    expect(page.get_by_role("combobox", name="Lesson")).to_have_value(re.compile("Feature crosses"))
    expect(page.locator(".play-button")).to_be_hidden(timeout=TIMEOUT_MS)
    expect(page.locator(".noise-slider")).to_be_hidden()
    expect(page.locator(".add-layer").first).to_be_visible()  # the lesson hides it, the teacher did not
    expect(page.locator(".step-button")).to_be_visible()
