"""A session never dies: a diverging network and an oversized upload each get one message, and the page
keeps training afterwards."""

from __future__ import annotations

import math
import re

import pytest

from .conftest import epoch_of
from .test_app_training import TIMEOUT_MS, exact_loss, pause, play, wait_for_epoch

pytestmark = pytest.mark.browser

DIVERGING = "#learningRate=10&activation=linear&problem=regression&regDataset=reg-gauss&networkShape=8,8,8,8,8,8&seed=1"


def test_a_diverging_regression_pauses_with_a_message_then_reset_and_a_sane_rate_train(open_app):
    page = open_app(DIVERGING)
    problems = []  # a diverged network's NaN weights must draw (in the scale's middle colour), never throw
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.get_by_role("button", name="Play").click()
    message = page.locator(".app-message").get_by_text(re.compile("the loss is no longer finite"))
    message.wait_for(timeout=TIMEOUT_MS)
    text = message.inner_text()
    page.get_by_role("button", name="Play").wait_for(timeout=TIMEOUT_MS)  # paused by itself
    stopped = epoch_of(page)
    assert f"Training paused at epoch {stopped}: the loss is no longer finite" in text, (text, stopped)
    assert text.count("Training") == 1  # one message, not one per frame
    page.wait_for_timeout(500)
    assert epoch_of(page) == stopped

    page.locator(".reset-button button").click()
    page.locator(".epoch-counter", has_text="000,000").wait_for(timeout=TIMEOUT_MS)
    page.locator(".learning-rate-select select").select_option("0.03")
    play(page)
    wait_for_epoch(page, 30)
    pause(page)
    assert math.isfinite(exact_loss(page)[1])
    assert problems == []


@pytest.mark.parametrize("megabytes", [20, 100])
def test_an_upload_over_the_limit_is_refused_in_the_browser_and_play_still_trains(open_app, page, tmp_path,
                                                                                   megabytes):
    big = tmp_path / f"big-{megabytes}.csv"
    with big.open("wb") as f:  # sparse: the browser refuses it by its size, without reading it
        f.truncate(megabytes * 1_000_000)
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(len(payload))))
    open_app("#dataset=circle&seed=0.5")
    page.locator(".csv-upload input[type=file]").set_input_files(str(big))
    error = page.locator(".data-error").get_by_text(re.compile("files up to 1 MB can be uploaded"))
    error.wait_for(timeout=TIMEOUT_MS)
    assert error.inner_text() == (f"big-{megabytes}.csv: the file is {megabytes} MB; files up to 1 MB can be "
                                  "uploaded. Your data was kept.")
    assert max(sent, default=0) < 100_000  # nothing like the file went over the websocket
    play(page)
    wait_for_epoch(page, 20)
    pause(page)
