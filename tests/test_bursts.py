"""Bursts of clicks coalesce: faster than their answers, Play, Step and Reset presses are answered together (the
latest of each kind counts, one frame); a closed tab logs nothing per message it missed; training pauses as
"this page stopped drawing frames" only for a page that said it is hidden (or never said)."""

from __future__ import annotations

import asyncio
import logging
import threading
import time

import pytest

from playground.live.frame_pacing import FramePacing
from playground.server import log_limits

from .pages import connected_page, models_in, run_async
from .served import served_app
from .test_session import make_session, pump_until

CLICKS = 1500


def training_threads() -> int:
    return sum(1 for t in threading.enumerate() if t.name.startswith("playground-train") and t.is_alive())


def test_a_burst_of_steps_and_resets_is_answered_with_one_frame():
    session, doc, frames = make_session()
    session.refresh()
    before = len(frames)
    for i in range(CLICKS):  # all of them reach the session before its document's thread is free again
        session.step() if i % 2 == 0 else session.reset()
    assert len(frames) == before  # nothing answered one by one
    doc.pump()
    assert len(frames) == before + 1  # one answer for the burst
    assert session.experiment.epoch == 0  # the latest of each kind, in the order of the last ones: step, reset
    assert session.commands.done == session.commands.submitted  # so the page's settings sync back again
    session.destroy()


def test_a_person_clicking_gets_every_click_answered():
    session, doc, frames = make_session()
    session.refresh()
    for _ in range(3):
        session.step()
        doc.pump()
    assert session.experiment.epoch == 3 and frames[-1].epoch == 3
    session.destroy()


@pytest.mark.parametrize("presses, playing", [(CLICKS + 1, True), (CLICKS, False)])
def test_a_burst_of_play_presses_ends_as_the_last_press_left_it(presses, playing):
    threads = training_threads()
    session, doc, frames = make_session()
    session.refresh()
    for _ in range(presses):
        session.toggle()
    doc.pump()
    assert session.playing is playing
    assert training_threads() - threads == int(playing)  # one thread started at most, not one per press
    if playing:
        pump_until(doc, lambda: frames[-1].epoch > 0 and frames[-1].playing)
    session.destroy()


def test_a_pause_is_not_undone_by_a_frame_drawn_before_it_is_answered():
    session, doc, frames = make_session()
    session.play()
    pump_until(doc, lambda: frames and frames[-1].playing)
    session.ack(frames[-1].frame_id)  # the page draws acknowledged frames: its button shows Pause
    session.toggle()  # the user presses Pause
    session.pacing.frame_shows(10**6, True)  # a frame still saying "training" is applied,
    session.ack(10**6)  # and drawn, before the press is answered
    doc.pump()
    assert not session.playing and session._stop.is_set()
    session.destroy()


def test_only_a_page_that_did_not_say_it_is_shown_counts_as_unwatched():
    pacing = FramePacing(unwatched_after=0.5)
    pacing.acked(1)
    later = time.monotonic() + 10
    assert pacing.unwatched(later)  # never said: quiet means hidden or gone, as before pages said
    pacing.page_shown(True)
    assert not pacing.unwatched(later)  # shown, only busy: training goes on
    pacing.page_shown(False)
    assert pacing.unwatched(later)  # a background or closing tab


def test_closed_tab_writes_are_not_logged_and_refused_origins_once_a_minute(caplog, monkeypatch):
    monkeypatch.setattr(log_limits, "_refused_origins", log_limits.Throttled(logging.getLogger("test")))
    ws = logging.getLogger("bokeh.server.views.ws")
    with caplog.at_level(logging.WARNING):
        for name in ("bokeh.server.views.ws", "panel.io.document"):
            logging.getLogger(name).warning(log_limits.CLOSED_TAB_WRITE)
        ws.warning("something else")
        for origin in ("http://a.example", "http://b.example"):
            ws.error(log_limits.REFUSED_ORIGIN + " '%s'", origin)
    assert [r.getMessage() for r in caplog.records] == ["something else", log_limits.REFUSED_ORIGIN + " 'http://a.example'"]


@pytest.fixture(scope="module")
def served():
    with served_app("bursts test") as base:
        yield base


async def _burst(base: str, clicks: int) -> tuple[int, int]:
    """(frames the page received for `clicks` Step/Reset clicks sent at once, frames whose answer came after
    the page closed)."""
    page = await connected_page(base)
    top, canvas = page.model_id("TopControls"), page.model_id("NetworkCanvas")
    canvas_data = next(m for m in models_in(page.document) if m["id"] == canvas)["attributes"]["data"]["id"]
    frames, last = 0, time.monotonic()

    async def read() -> None:
        nonlocal frames, last
        while (message := await page.receive()) is not None:
            last = time.monotonic()
            if message.msgtype == "PATCH-DOC":
                frames += sum(1 for e in message.content["events"]
                              if e.get("model", {}).get("id") == canvas_data and e.get("attr") == "frame")

    reader = asyncio.ensure_future(read())
    await asyncio.sleep(1)
    frames = 0
    for i in range(clicks):
        button = "stepButton" if i % 2 == 0 else "resetButton"
        await page.event("data_event", {"model": {"id": top}, "data": {"action": "click", "button": button}})
    while time.monotonic() - last < 3:  # until the server has answered them all
        await asyncio.sleep(0.1)
    answered = frames
    for _ in range(clicks // 5):  # another burst, and the tab closes while its answers are on the way
        await page.event("data_event", {"model": {"id": top}, "data": {"action": "click", "button": "stepButton"}})
    reader.cancel()
    page.ws.stream.close()  # as a closing tab: the connection goes at once, no closing handshake
    await asyncio.sleep(2)
    return answered, clicks


@pytest.mark.slow
def test_a_burst_over_the_websocket_is_answered_with_far_fewer_frames_and_a_closed_tab_logs_nothing(served, caplog):
    with caplog.at_level(logging.WARNING):
        answered, clicks = run_async(lambda: _burst(served, 600))
    print(f"{clicks} clicks answered with {answered} frames")
    assert 0 < answered <= clicks // 3  # one by one: a frame per click
    assert not [r for r in caplog.records if "Failed sending message" in r.getMessage()]
