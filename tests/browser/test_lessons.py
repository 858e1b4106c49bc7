"""Lessons in a real browser: opened by URL and by the picker, text shown, controls hidden, goal turns green."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from playground.lessons.links import find_lesson

from .conftest import epoch_of

pytestmark = pytest.mark.browser

TIMEOUT_MS = 20_000
LESSON_HIDES = {  # lesson -> (selectors of the controls it hides, selectors of controls that stay)
    "01-linear-boundary": ([".problem-select", ".dataset-thumb.dataset-xor", ".add-layer"],
                           [".learning-rate-select", ".activation-select", ".noise-slider", ".play-button"]),
    "02-feature-cross": ([".add-layer", ".remove-layer"],
                         [".dataset-thumb.dataset-xor", ".problem-select", ".learning-rate-select"]),
}


def _check_lesson_shown(page, name: str) -> None:
    lesson = find_lesson(name)
    first_words = lesson.text.split("\n")[0][:30]
    expect(page.get_by_text(first_words)).to_be_visible(timeout=TIMEOUT_MS)
    # the option element's value is its label ("1. <title>")
    expect(page.get_by_role("combobox", name="Lesson")).to_have_value(re.compile(re.escape(lesson.title) + "$"))
    hidden, shown = LESSON_HIDES[name]
    for selector in hidden:
        expect(page.locator(selector).first).to_be_hidden(timeout=TIMEOUT_MS)
    for selector in shown:
        expect(page.locator(selector).first).to_be_visible()
    # the address bar follows in a message of its own: wait for it, as for the controls above
    page.wait_for_function(f"() => location.hash.includes('lesson={name}')", timeout=TIMEOUT_MS)


def test_lesson_by_url_reaches_its_goal_only_after_training(open_app):
    page = open_app("#lesson=01-linear-boundary")
    _check_lesson_shown(page, "01-linear-boundary")
    goal = page.locator(".lesson-goal")
    expect(goal).to_contain_text("Goal: not yet", timeout=TIMEOUT_MS)
    expect(goal).to_contain_text("test loss below 0.05")
    assert epoch_of(page) == 0
    assert page.locator(".lesson-goal.met").count() == 0  # not green before training

    page.get_by_role("button", name="Play").click()
    met = page.locator(".lesson-goal.met")
    expect(met).to_be_visible(timeout=TIMEOUT_MS)
    expect(met).to_contain_text("Goal reached at epoch")
    assert epoch_of(page) >= 10  # lessons need the student: none is met before epoch 10
    expect(met).to_contain_text(re.compile(r"· still met now: test accuracy \d"))  # live values after the goal
    page.get_by_role("button", name="Pause").click()  # the badge is redrawn every frame while training
    page.get_by_role("button", name="Play").wait_for(timeout=TIMEOUT_MS)
    page.wait_for_timeout(300)
    green = met.evaluate("el => getComputedStyle(el).backgroundColor")
    assert green == "rgb(232, 245, 233)"  # the badge really is drawn green (app.css)


def test_picker_opens_a_lesson_and_free_play_restores_controls(open_app):
    page = open_app("#dataset=circle&networkShape=4,2&seed=0.5")
    expect(page.locator(".lesson-goal")).to_have_count(0)
    expect(page.locator(".add-layer").first).to_be_visible()

    page.get_by_role("combobox", name="Lesson").select_option(label="2. Feature crosses: XOR without hidden layers")
    _check_lesson_shown(page, "02-feature-cross")
    expect(page.locator(".dataset-thumb.dataset-xor.selected")).to_have_count(1, timeout=TIMEOUT_MS)
    expect(page.locator(".lesson-goal")).to_contain_text("Goal: not yet", timeout=TIMEOUT_MS)
    assert "numHiddenLayers_hide=true" in page.evaluate("location.hash")

    expect(page.get_by_text("Back to Free play keeps these settings")).to_be_visible()
    page.get_by_role("combobox", name="Lesson").select_option(label="Free play")
    expect(page.get_by_text(re.compile("You left the lesson .Feature crosses"))).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator(".add-layer").first).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator(".remove-layer").first).to_be_visible()
    expect(page.locator(".lesson-text").first).to_be_hidden()
    expect(page.locator(".lesson-goal")).to_have_count(0)
    page.wait_for_function("() => !location.hash.includes('lesson=') && !location.hash.includes('_hide')",
                           timeout=TIMEOUT_MS)
    expect(page.locator(".dataset-thumb.dataset-xor.selected")).to_have_count(1)  # the settings stay
