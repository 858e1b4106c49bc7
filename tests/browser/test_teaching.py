"""Teaching polish in a real browser: one message floating over the page (nothing moves), a collapse that
keeps training, your own data drawn from empty with a test loss, and the guidance that hideText hides."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import epoch_of
from .test_app_editing import downloaded_points, output_position, wait_for_hash
from .test_app_training import play, wait_for_epoch

pytestmark = pytest.mark.browser

TIMEOUT_MS = 30_000
COLLAPSING = "#learningRate=10&activation=relu&dataset=spiral&networkShape=8,8,8,8,8,8&seed=0.59704"


def _box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_a_collapse_is_one_notice_over_the_page_and_training_goes_on(open_app):
    page = open_app(COLLAPSING)
    expect(page.locator(".message-box")).to_be_hidden()
    before = {name: _box(page, name) for name in (".output-plot", ".network-plot", ".top-bar", ".data-column")}
    play(page)
    notice = page.get_by_text(re.compile("The network collapsed at epoch"))
    notice.wait_for(timeout=TIMEOUT_MS)
    text = notice.inner_text()
    assert "What usually fixes it: a smaller learning rate (10 is too large" in text and "Training goes on" in text
    collapsed_at = int(re.search(r"at epoch (\d+)", text).group(1))
    # one banner, one copy of the text, its Dismiss inside it
    expect(page.locator(".message-box")).to_have_count(1)
    expect(page.locator(".message-box.notice")).to_be_visible()
    assert page.get_by_text(re.compile("The network collapsed")).count() == 1
    box, dismiss = _box(page, ".message-box"), _box(page, ".dismiss-message")
    assert box["x"] <= dismiss["x"] and dismiss["x"] + dismiss["width"] <= box["x"] + box["width"]
    assert box["y"] <= dismiss["y"] and dismiss["y"] + dismiss["height"] <= box["y"] + box["height"]
    # no layout shift: nothing under the message moved
    for name, was in before.items():
        assert _box(page, name) == was, name
    # training goes on after the notice (the real site's behaviour): the counter keeps rising
    wait_for_epoch(page, collapsed_at + 100)
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    page.locator(".dismiss-message button").click()
    expect(page.locator(".message-box")).to_be_hidden(timeout=TIMEOUT_MS)
    assert _box(page, ".output-plot") == before[".output-plot"]
    now = epoch_of(page)
    wait_for_epoch(page, now + 50)
    page.get_by_role("button", name="Pause").click()


def test_a_loss_that_is_not_finite_pauses_with_one_message_naming_the_epoch(open_app):
    page = open_app("#problem=regression&regDataset=reg-plane&networkShape=&learningRate=3&seed=1")
    plot = _box(page, ".output-plot")
    # Play, without waiting to see Pause: this link breaks down in its first epochs, often before the
    # first frame after the click, which then already says "paused"
    page.get_by_role("button", name="Play").click()
    message = page.get_by_text(re.compile("Training paused at epoch"))
    message.wait_for(timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Play").wait_for(timeout=TIMEOUT_MS)
    epoch = int(re.search(r"at epoch (\d+)", message.inner_text()).group(1))
    assert epoch == epoch_of(page) and "the loss is no longer finite" in message.inner_text()
    expect(page.locator(".message-box.danger")).to_be_visible()
    assert page.get_by_text(re.compile("Training paused at epoch")).count() == 1
    assert _box(page, ".output-plot") == plot


def test_your_own_data_starts_empty_and_shows_a_test_loss_once_it_has_test_points(open_app):
    page = open_app("#dataset=circle&networkShape=4,2&seed=0.59704&showTestData=true")
    page.locator(".dataset-user").click()
    wait_for_hash(page, "dataset", "user")
    expect(page.get_by_text("Your own data starts empty")).to_be_visible(timeout=TIMEOUT_MS)
    assert downloaded_points(page) == []  # empty, not a copy of the circle
    expect(page.locator(".test-loss")).to_have_text("–")
    output = page.locator(".output-plot")
    points = [(-3.0, 3.0), (3.0, 3.0), (-3.0, -3.0), (3.0, -3.0)]
    for x, y in points:
        output.click(position=output_position(page, x, y))
        page.wait_for_timeout(400)  # a click at human speed (Bokeh folds quick ones into a double tap)
    page.wait_for_function("() => true")
    expect(page.locator(".test-loss")).to_have_text(re.compile(r"^\d+\.\d{3}$"), timeout=TIMEOUT_MS)
    assert len(downloaded_points(page)) == 4
    # the ratio applies to drawn data: at 50 % two of the four are test points; at 90 % the fourth one is
    page.locator(".step-button button").click()
    wait_for_epoch(page, 1)
    expect(page.locator(".test-accuracy")).to_have_text(re.compile(r"^\d+%$"), timeout=TIMEOUT_MS)


def test_guidance_is_on_the_page_and_hide_text_hides_it(open_app):
    page = open_app("#dataset=circle&seed=1")
    notes, about = page.locator(".network-notes-pane"), page.locator(".about-pane")
    expect(notes).to_be_visible(timeout=TIMEOUT_MS)
    expect(about).to_be_visible()
    expect(page.get_by_text("What is this?")).to_be_visible()
    expect(page.get_by_text(re.compile("Click a line or a bias square"))).to_be_visible()
    page.get_by_role("button", name="Advanced").click()  # the engine note is with the engine menu
    expect(page.get_by_text(re.compile("every sum written out step by step"))).to_be_visible()
    page = open_app("#dataset=circle&seed=1&hideText=true")
    expect(page.locator(".network-notes-pane")).to_be_hidden(timeout=TIMEOUT_MS)
    expect(page.locator(".about-pane")).to_be_hidden()
    expect(page.get_by_text("What is this?")).to_be_hidden()
    expect(page.locator(".app-header")).to_be_hidden()  # the banner goes too, as the playground's does


def test_the_file_chooser_label_is_not_cut_off(open_app):
    page = open_app("#dataset=circle&seed=1")
    widths = page.locator(".csv-upload input[type=file]").evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert widths[0] <= widths[1], widths


def test_the_colour_legend_reads_on_one_line(open_app):
    page = open_app("#dataset=circle&networkShape=4,2&seed=1")
    legend = page.locator(".legend > span").first.bounding_box()
    assert legend["height"] < 20, legend  # one line of 12 px text, not three
    bar = page.locator(".legend-bar").first.bounding_box()
    assert bar["y"] >= legend["y"] + legend["height"] - 1  # the bar below it, full width
