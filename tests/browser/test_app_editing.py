"""Editing in a real browser, the way a user does it: layers, neurons, input features, weights and biases,
and drawing your own data. Each test checks what the user sees and what it does to training.

Where things sit on the network plot is computed from `network_layout` (the network canvas `.network-plot`
has the layout's fixed pixel size, so a layout coordinate is a pixel offset inside it, y flipped); hover
tooltips ("Bias of neuron 5 of layer 1", "from … to …") confirm that the pointer is on the intended link or
bias before it is clicked.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from playground.live.frames import Topology
from playground.views import network_layout as nl
from playground.views.network_canvas import EXTENT, PLOT_SIZE

from .conftest import epoch_of

pytestmark = pytest.mark.browser

TIMEOUT_MS = 20_000  # a contended 2-core machine: the server trains, renders and serves other tests' pages
START = "#dataset=circle&networkShape=4,2&x=true&y=true&seed=0.59704"
DEFAULT_FEATURES = ("x", "y")


# ---------------------------------------------------------------- helpers
def link_values(page) -> dict[str, str]:
    """The URL hash as a dict (the app keeps it in sync with every setting)."""
    return dict(parse_qsl(urlsplit(page.url).fragment))


def wait_for_hash(page, key: str, value: str) -> None:
    page.wait_for_function(
        "([key, value]) => new URLSearchParams(location.hash.slice(1)).get(key) === value",
        arg=[key, value], timeout=TIMEOUT_MS)


def wait_until(condition, what: str, timeout_s: float = TIMEOUT_MS / 1000) -> None:
    """Poll `condition()` until it is true (the browser repaints a canvas some time after the data arrives)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def wait_for_change(locator, before: bytes, what: str) -> bytes:
    """Wait until the element's screenshot differs from `before`; returns the new one."""
    shots = [before]
    wait_until(lambda: shots.append(locator.screenshot()) or shots[-1] != before, what)
    return shots[-1]


def step_to(page, epochs: int) -> None:
    """Press Step until the counter shows `epochs` (each press is one epoch)."""
    for n in range(epoch_of(page) + 1, epochs + 1):
        page.locator(".step-button").click()
        expect(page.locator(".epoch-counter")).to_have_text(f"{n:07,d}", timeout=TIMEOUT_MS)


def plot_point(page, x: float, y: float) -> dict[str, float]:
    """Screen position of layout point (x, y) of the network plot (the layout's y axis points up)."""
    box = page.locator(".network-plot").bounding_box()
    return {"x": box["x"] + x, "y": box["y"] + nl.HEIGHT - y}


def geometry(page, features=DEFAULT_FEATURES, shape: str | None = None):
    """The layout of the network the page shows (its link's networkShape) or of `shape`, e.g. "4,2,2"."""
    shape = shape if shape is not None else link_values(page)["networkShape"]
    return nl.build_geometry(Topology(tuple(features), tuple(int(n) for n in shape.split(",") if n)))


def bias_position(page, label: str, features=DEFAULT_FEATURES, shape: str | None = None) -> dict[str, float]:
    biases = geometry(page, features, shape).biases
    i = biases["label"].index(label)
    return plot_point(page, biases["x"][i], biases["y"][i])


def link_position(page, label: str, features=DEFAULT_FEATURES) -> dict[str, float]:
    """A point a third of the way along the link's drawn curve (a sample of it, so on the line). Not its
    middle: the S-curves between rows k-1 and k+1 cross the straight link of row k exactly there."""
    links = geometry(page, features).links
    i = links["label"].index(label)
    xs, ys, at = links["xs"][i], links["ys"][i], len(links["xs"][i]) // 3
    return plot_point(page, xs[at], ys[at])


def hover_shows(page, position: dict[str, float], text: str) -> bool:
    """Move the pointer to `position` on the network plot; True if a tooltip containing `text` appears."""
    page.mouse.move(position["x"] - 30, position["y"] - 30)
    page.mouse.move(position["x"], position["y"], steps=3)
    try:  # the hidden editor label may hold the same words: look in the tooltip only
        page.locator(".network-tooltip").get_by_text(text, exact=False).first.wait_for(state="visible", timeout=3_000)
        return True
    except PlaywrightTimeoutError:
        return False


def open_editor_on(page, position: dict[str, float], tooltip: str, editor_label: str) -> None:
    """Hover until the tooltip names the intended link/bias, click it, and wait for the editor to open."""
    assert hover_shows(page, position, tooltip), f"no tooltip '{tooltip}' at {position}"
    page.mouse.click(position["x"], position["y"])
    expect(page.locator(".weight-editor .editor-label")).to_contain_text(editor_label, timeout=TIMEOUT_MS)


def apply_edit(page, value: float, key: bool = False) -> None:
    """Type `value` into the open editor and apply it with the Apply button, or with Enter (`key`)."""
    field = page.locator(".edit-value input")
    field.fill(str(value))
    if key:
        field.press("Enter")
    else:
        page.locator(".edit-apply button").click()
    expect(page.locator(".weight-editor")).to_be_hidden(timeout=TIMEOUT_MS)


# ---------------------------------------------------------------- layers and neurons
def test_add_and_remove_layer_redraws_network_and_resets_epoch(open_app):
    page = open_app(START)
    count = page.locator(".layer-count-number")
    expect(count).to_have_text("2")
    new_layer_bias = "Bias of neuron 1 of layer 3"
    assert not hover_shows(page, bias_position(page, new_layer_bias, shape="4,2,2"), new_layer_bias)
    step_to(page, 3)
    network_before = page.locator(".network-plot").screenshot()

    page.get_by_role("button", name="Add layer").click()
    expect(count).to_have_text("3", timeout=TIMEOUT_MS)
    wait_for_hash(page, "networkShape", "4,2,2")  # the playground adds a layer of two neurons
    expect(page.locator(".layer-3-controls .neuron-count")).to_have_text("2 neurons", timeout=TIMEOUT_MS)
    expect(page.locator(".epoch-counter")).to_have_text("000,000", timeout=TIMEOUT_MS)
    wait_for_change(page.locator(".network-plot"), network_before, "the network plot to show the new layer")
    assert hover_shows(page, bias_position(page, new_layer_bias), new_layer_bias)

    step_to(page, 2)
    page.get_by_role("button", name="Remove layer").click()
    expect(count).to_have_text("2", timeout=TIMEOUT_MS)
    wait_for_hash(page, "networkShape", "4,2")
    expect(page.locator(".layer-3-controls")).to_have_count(0, timeout=TIMEOUT_MS)
    expect(page.locator(".epoch-counter")).to_have_text("000,000", timeout=TIMEOUT_MS)

    page.get_by_role("button", name="Remove layer").click()
    expect(count).to_have_text("1", timeout=TIMEOUT_MS)
    wait_for_hash(page, "networkShape", "4")
    expect(page.locator(".layer-2-controls")).to_have_count(0, timeout=TIMEOUT_MS)


def test_add_and_remove_neuron_changes_count_and_link(open_app):
    page = open_app(START)
    layer1 = page.locator(".layer-1-controls")
    neurons = layer1.locator(".neuron-count")
    expect(neurons).to_have_text("4 neurons")
    fifth = "Bias of neuron 5 of layer 1"
    assert not hover_shows(page, bias_position(page, fifth, shape="5,2"), fifth)
    network_before = page.locator(".network-plot").screenshot()

    layer1.get_by_role("button", name="Add neuron to layer 1").click()
    expect(neurons).to_have_text("5 neurons", timeout=TIMEOUT_MS)
    wait_for_hash(page, "networkShape", "5,2")
    wait_for_change(page.locator(".network-plot"), network_before, "the network plot to show the new neuron")
    assert hover_shows(page, bias_position(page, fifth), fifth)

    # two quick clicks: the second reaches the server after the first has redrawn the layer controls
    layer1.get_by_role("button", name="Remove neuron from layer 1").click()
    layer1.get_by_role("button", name="Remove neuron from layer 1").click()
    expect(neurons).to_have_text("3 neurons", timeout=TIMEOUT_MS)
    wait_for_hash(page, "networkShape", "3,2")
    # layer 2 is untouched
    expect(page.locator(".layer-2-controls .neuron-count")).to_have_text("2 neurons")
    # the buttons work from the keyboard
    layer1.get_by_role("button", name="Add neuron to layer 1").press("Enter")
    expect(neurons).to_have_text("4 neurons", timeout=TIMEOUT_MS)
    wait_for_hash(page, "networkShape", "4,2")


# ---------------------------------------------------------------- input features
def test_toggle_feature_updates_link_network_and_loss(open_app):
    page = open_app(START)
    assert link_values(page)["xSquared"] == "false"
    loss_before = page.locator(".test-loss").inner_text()
    network_before = page.locator(".network-plot").screenshot()

    page.locator(".feature-xSquared").click()
    wait_for_hash(page, "xSquared", "true")
    expect(page.locator(".test-loss")).not_to_have_text(loss_before, timeout=TIMEOUT_MS)  # a new network
    network_on = wait_for_change(page.locator(".network-plot"), network_before, "the X₁² links to be drawn")
    features = ("x", "y", "xSquared")
    new_link = "from X₁² to neuron 3 of layer 1"  # level with X₁²
    assert hover_shows(page, link_position(page, new_link, features), new_link)

    page.locator(".feature-xSquared").click()
    wait_for_hash(page, "xSquared", "false")
    wait_for_change(page.locator(".network-plot"), network_on, "the X₁² links to go")
    assert not hover_shows(page, link_position(page, new_link, features), new_link)


# ---------------------------------------------------------------- weights and biases
def test_edit_weight_and_biases_changes_output_without_reset(open_app):
    page = open_app(START)
    step_to(page, 3)
    output = page.locator(".output-plot")

    link = "from neuron 1 of layer 2 to the output"
    loss = page.locator(".test-loss").inner_text()
    shot = output.screenshot()
    open_editor_on(page, link_position(page, link), link, "Weight")
    expect(page.locator(".weight-editor .editor-label")).to_contain_text(link)
    apply_edit(page, 5)
    expect(page.locator(".test-loss")).not_to_have_text(loss, timeout=TIMEOUT_MS)
    shot = wait_for_change(output, shot, "the output heatmap to follow the new weight")
    assert epoch_of(page) == 3
    assert hover_shows(page, link_position(page, link), "5.000")  # the tooltip shows the new value

    for bias, value in (("Bias of neuron 2 of layer 1", 3), ("Bias of the output", -2)):
        loss = page.locator(".test-loss").inner_text()
        open_editor_on(page, bias_position(page, bias), bias, "Bias")
        expect(page.locator(".weight-editor .editor-label")).to_contain_text(bias.removeprefix("Bias "))
        apply_edit(page, value, key=True)
        expect(page.locator(".test-loss")).not_to_have_text(loss, timeout=TIMEOUT_MS)
        shot = wait_for_change(output, shot, f"the output heatmap to follow {bias}")
        assert epoch_of(page) == 3
        assert hover_shows(page, bias_position(page, bias), f"{value:.3f}")


# ---------------------------------------------------------------- your own data
def output_position(page, x: float, y: float) -> dict[str, float]:
    """Offset inside `.output-plot` of data point (x, y): the frame is the top-left PLOT_SIZE square."""
    return {"x": (x + EXTENT) / (2 * EXTENT) * PLOT_SIZE, "y": (EXTENT - y) / (2 * EXTENT) * PLOT_SIZE}


def downloaded_points(page) -> list[tuple[float, float, float]]:
    """The data as the user gets it from "Download CSV"."""
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.locator(".csv-download").get_by_text("Download CSV").click()
    rows = Path(info.value.path()).read_text().splitlines()
    assert rows[0] == "x,y,label"
    return [tuple(float(v) for v in row.split(",")) for row in rows[1:] if row]


def has_point_near(points, x: float, y: float, label: float | None = None, tol: float = 0.1) -> bool:
    return any(abs(px - x) < tol and abs(py - y) < tol and (label is None or pl == label) for px, py, pl in points)


def test_draw_three_points_then_erase_one(open_app):
    page = open_app(START)
    page.locator(".dataset-user").click()
    wait_for_hash(page, "dataset", "user")
    expect(page.locator(".draw-tools")).to_be_visible(timeout=TIMEOUT_MS)
    output = page.locator(".output-plot")
    # Bokeh handles a plot click as soon as it arrives, a widget change on the next tick: each class choice is
    # followed by a download (a round trip) so the server has it before the next click, as at human speed.
    page.get_by_role("button", name=re.compile("Orange")).click()
    before = downloaded_points(page)  # your own data starts empty
    assert before == []
    shot = output.screenshot()

    output.click(position=output_position(page, 4.5, -4.5))
    shot = wait_for_change(output, shot, "the orange point to be drawn")
    page.get_by_role("button", name=re.compile("Blue")).click()
    assert len(downloaded_points(page)) == len(before) + 1
    # Two quick clicks, as when drawing: Bokeh reports the second one as a double tap; both must count.
    box = output.bounding_box()
    for x, y in [(-4.5, 4.5), (4.5, 4.5)]:  # raw mouse clicks: well inside Bokeh's 300 ms
        at = output_position(page, x, y)
        page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
    shot = wait_for_change(output, shot, "the two quick points to be drawn")
    after = downloaded_points(page)
    assert len(after) == len(before) + 3
    for x, y, label in [(4.5, -4.5, -1.0), (-4.5, 4.5, 1.0), (4.5, 4.5, 1.0)]:
        assert has_point_near(after, x, y, label), f"no point of class {label} near ({x}, {y})"

    output.click(position=output_position(page, 4.5, 4.5), modifiers=["Shift"])
    wait_for_change(output, shot, "the erased point to disappear")
    erased = downloaded_points(page)
    assert len(erased) == len(after) - 1
    assert not has_point_near(erased, 4.5, 4.5)
    assert has_point_near(erased, -4.5, 4.5, 1.0)  # only the nearest point goes
