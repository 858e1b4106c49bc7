"""The top bar in a real browser: its menus are labelled and follow the state both ways, the loss menu is
greyed out for three classes, and two quick clicks on Step are two epochs."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import epoch_of
from .test_app_training import TIMEOUT_MS, wait_for_epoch

pytestmark = pytest.mark.browser


def test_menus_are_labelled_follow_the_state_and_the_loss_is_fixed_for_three_classes(open_app):
    page = open_app("#dataset=spiral&numClasses=3&learningRate=0.1&seed=0.5")
    rate = page.get_by_role("combobox", name="Learning rate")
    expect(rate).to_have_value("0.1")
    page.get_by_role("button", name="Advanced").click()  # the loss is one of the advanced settings
    loss = page.get_by_role("combobox", name="Loss")
    expect(loss).to_be_disabled()
    assert loss.get_attribute("title") == "With 3 or more classes the network always learns with cross-entropy"
    page.locator(".classes-picker").get_by_role("button", name="2", exact=True).click()
    expect(loss).to_be_enabled(timeout=TIMEOUT_MS)  # the server's state moved the menu, not the click
    rate.select_option("0.003")
    page.wait_for_function("() => location.hash.includes('learningRate=0.003')", timeout=TIMEOUT_MS)
    expect(page.get_by_role("button", name="Play", exact=True)).to_have_attribute("title", "Play (space)")


def test_two_quick_clicks_on_step_are_two_epochs(open_app):
    page = open_app("#seed=0.5")
    step = page.get_by_role("button", name="Step", exact=True)
    assert step.get_attribute("title") == "Step one epoch (→)"
    step.click()
    step.click()  # before the first click's epoch is shown
    assert wait_for_epoch(page, 2) == 2
    page.wait_for_timeout(300)
    assert epoch_of(page) == 2
