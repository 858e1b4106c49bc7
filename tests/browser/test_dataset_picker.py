"""The dataset thumbnails in a real browser: buttons named by their dataset, pictures drawn on their canvases,
picked by mouse or keyboard, one set per problem type, your own points drawn into their thumbnail."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .test_app_editing import output_position, wait_for_hash

pytestmark = pytest.mark.browser

TIMEOUT_MS = 20_000
ORANGE, BLUE = (245, 147, 34), (8, 119, 189)  # palette.NEGATIVE, palette.POSITIVE
# How many of a thumbnail canvas's pixels are (nearly) each colour.
COUNT_COLOURS_JS = """(canvas, colours) => {
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  return colours.map(([r, g, b]) => {
    let n = 0;
    for (let i = 0; i < data.length; i += 4)
      if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 30) n++;
    return n;
  });
}"""


def _colour_counts(page, name: str) -> list[int]:
    return page.locator(f".dataset-thumb.dataset-{name} canvas").evaluate(COUNT_COLOURS_JS, [ORANGE, BLUE])


def test_thumbnails_are_named_buttons_with_pictures_picked_by_keyboard_per_problem_type(open_app):
    page = open_app("#dataset=circle&networkShape=4&seed=0.2")
    expect(page.locator(".dataset-thumb")).to_have_count(10)  # the classification set only
    circle = page.get_by_role("button", name="Circle", exact=True)
    xor = page.get_by_role("button", name="Exclusive or", exact=True)
    expect(circle).to_have_attribute("aria-pressed", "true")
    expect(xor).to_have_attribute("aria-pressed", "false")
    expect(xor).to_have_attribute("title", "Exclusive or")  # the tooltip
    orange, blue = _colour_counts(page, "xor")
    assert orange > 50 and blue > 50  # the picture is drawn, in both classes' colours
    assert _colour_counts(page, "user") == [0, 0]  # your own data: empty until you draw

    xor.focus()
    page.keyboard.press("Enter")
    wait_for_hash(page, "dataset", "xor")
    expect(page.locator(".dataset-thumb.dataset-xor.selected")).to_have_count(1, timeout=TIMEOUT_MS)
    expect(xor).to_have_attribute("aria-pressed", "true")
    expect(circle).to_have_attribute("aria-pressed", "false")
    assert page.locator(".dataset-thumb.selected").count() == 1

    page.locator(".problem-select select").select_option(label="Regression")
    expect(page.locator(".dataset-thumb")).to_have_count(2, timeout=TIMEOUT_MS)
    expect(page.locator(".dataset-thumb.dataset-reg-plane.selected")).to_have_count(1, timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Multi Gaussian").click()
    wait_for_hash(page, "regDataset", "reg-gauss")
    expect(page.locator(".dataset-thumb.dataset-reg-gauss.selected")).to_have_count(1, timeout=TIMEOUT_MS)


def test_your_own_points_are_drawn_into_their_thumbnail(open_app):
    page = open_app("#dataset=user&networkShape=4&seed=0.2")
    expect(page.locator(".dataset-thumb.dataset-user.selected")).to_have_count(1)
    output = page.locator(".output-plot")
    for x, y in [(-3.0, 3.0), (3.0, -3.0)]:
        output.click(position=output_position(page, x, y))
        page.wait_for_timeout(400)  # a click at human speed (Bokeh folds quick ones into a double tap)
    canvas = page.locator(".dataset-thumb.dataset-user canvas").element_handle()  # redrawn in place
    page.wait_for_function(f"canvas => ({COUNT_COLOURS_JS})(canvas, [{list(BLUE)}])[0] > 0", arg=canvas,
                           timeout=TIMEOUT_MS)
    orange, blue = _colour_counts(page, "user")
    assert blue > 0 and orange == 0  # the drawing tool's class: blue
