"""FramePacing on its own: the caps, the frame on screen, unwatched pages and what the page's button shows."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest

from playground.live import frame_pacing, training_worker
from playground.live.frame_pacing import FramePacing
from playground.live.training_share import TrainingShare


def test_the_epoch_cap_asks_to_wait_while_epochs_run_ahead_of_it():
    pacing = FramePacing(max_epochs_per_second=10)
    pacing.start()
    now = time.monotonic()
    assert pacing.epoch_wait(1, now + 0.15) == 0.0  # the first epoch is due after 0.1 s
    for _ in range(3):
        pacing.timed_epoch(1, lambda: None)
    assert pacing.epoch_wait(1, now + 0.15) == 0.1  # a 4th epoch by 0.15 s would be over 10/s
    assert pacing.epoch_wait(1, now + 1.0) == 0.0


def test_the_frame_cap_moves_the_training_deadline_to_the_next_slot():
    pacing = FramePacing(max_frames_per_second=2, frame_budget=0.02)
    started = time.monotonic()
    assert pacing.training_deadline(started) == started + 0.02  # no frame sent yet
    pacing.frame_sent()
    assert pacing.training_deadline(started) >= started + 0.45


def test_frames_keep_the_caps_cadence_when_one_goes_out_a_little_late(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(frame_pacing, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    pacing = FramePacing(max_frames_per_second=10, frame_budget=0.001)

    def send_at(when: float) -> float:
        """Send a frame at `when`; the next frame's slot."""
        clock[0] = when
        pacing.frame_sent()
        return pacing.training_deadline(when)

    assert send_at(100.0) == pytest.approx(100.1)
    assert send_at(100.13) == pytest.approx(100.2)  # 30 ms late: the next keeps the cadence
    assert send_at(100.33) == pytest.approx(100.43)  # 130 ms late: a fresh start, no burst to catch up
    assert send_at(100.35) == pytest.approx(100.45)  # early (a click's answer): a fresh start too


def test_the_process_frame_budget_is_split_between_the_training_sessions():
    share = TrainingShare(0.1, frames_per_second=20)
    pacing = FramePacing(max_frames_per_second=13, training_share=share, frame_budget=0.001)
    pacing.join(1)
    before = time.monotonic()
    pacing.frame_sent()
    after = time.monotonic()

    def next_frame_after() -> float:  # when the next frame's slot is (training started long before)
        return pacing.training_deadline(before - 1.0)

    assert before + 1 / 13 <= next_frame_after() <= after + 1 / 13  # alone: the tab's own cap
    for key in (2, 3, 4):
        share.join(key)
    assert before + 1 / 5 <= next_frame_after() <= after + 1 / 5  # 20 frames/s for 4 tabs
    for key in (2, 3, 4):
        share.leave(key)
    assert before + 1 / 13 <= next_frame_after() <= after + 1 / 13


def test_a_frame_in_flight_is_freed_by_its_application_until_the_browser_acknowledges():
    pacing = FramePacing(frames_ahead=1)
    pacing.frame_in_flight(1)
    assert not pacing.frame_free
    pacing.frame_applied()
    assert pacing.frame_free  # no acknowledgements yet: applied is as good as drawn
    pacing.acked(1)
    pacing.frame_in_flight(2)
    pacing.frame_applied()
    assert not pacing.frame_free  # now only the browser's acknowledgement frees it
    pacing.acked(1)
    assert not pacing.frame_free  # an older frame's acknowledgement says nothing of frame 2
    pacing.acked(2)
    assert pacing.frame_free


def test_before_any_acknowledgement_only_one_frame_is_on_its_way():
    pacing = FramePacing(frames_ahead=4)
    pacing.frame_in_flight(1)
    assert not pacing.frame_free  # a notebook, or a page that has not drawn yet: one at a time
    pacing.frame_applied()
    assert pacing.frame_free


def test_once_the_browser_acknowledges_up_to_frames_ahead_are_on_their_way():
    pacing = FramePacing(frames_ahead=3)
    pacing.acked(0)
    for frame_id in (1, 2):
        pacing.frame_in_flight(frame_id)
        pacing.frame_applied()
        assert pacing.frame_free  # room ahead: the page keeps a frame queued for its next refresh
    pacing.frame_in_flight(3)
    assert not pacing.frame_free  # three built, none drawn: wait for the screen
    pacing.acked(1)
    assert pacing.frame_free
    pacing.frame_in_flight(4)
    assert not pacing.frame_free
    pacing.acked(4)  # the page skipped 2 and 3 (drew only the newest): all four are done
    assert pacing.frame_free


def test_a_page_that_stops_acknowledging_is_unwatched():
    pacing = FramePacing(unwatched_after=0.5)
    now = time.monotonic()
    assert not pacing.unwatched(now + 10)  # never acknowledged: a notebook, not a hidden tab
    pacing.acked(1)
    assert not pacing.unwatched(time.monotonic() + 0.1)
    assert pacing.unwatched(time.monotonic() + 1.0)


def test_the_button_shows_what_the_browser_last_drew():
    pacing = FramePacing()
    pacing.acked(1)
    pacing.shows_playing = True  # Play pressed: its answer shows Pause
    pacing.frame_shows(2, True)
    pacing.frame_shows(3, False)  # training paused itself; not drawn yet
    assert pacing.shows_playing
    pacing.acked(2)
    assert pacing.shows_playing
    pacing.acked(3)
    assert not pacing.shows_playing


def test_the_training_share_is_joined_spent_and_left():
    share = TrainingShare(0.001)
    pacing = FramePacing(training_share=share)
    pacing.join(7)
    pacing.timed_epoch(7, lambda: sum(range(200_000)))  # spends more than the share allows at once
    assert pacing.epoch_wait(7, time.monotonic()) > 0
    pacing.leave(7)


class _WaitingLoop:
    """What `_wait_frame_free` uses of a session: a queue whose command is `command_ran`."""

    def __init__(self, pacing: FramePacing):
        self.pacing, self.wake_worker, self.destroyed = pacing, pacing.wake, False
        self.queued = self.answer_due = False

    def run_commands(self) -> None:
        if self.queued:
            self.queued, self.answer_due = False, True

    def say(self, message: str) -> None:
        pass


@pytest.mark.parametrize("event", ["the frame is drawn", "a command is queued"])
def test_a_worker_waiting_for_the_screen_wakes_when_it_is_drawn_or_a_command_comes(monkeypatch, event):
    monkeypatch.setattr(training_worker, "LOOK_AGAIN_S", 30.0)  # woken, or it would look again 30 s later
    pacing = FramePacing(frames_ahead=1, ack_timeout=60.0)
    pacing.acked(0)
    pacing.frame_in_flight(1)
    loop = _WaitingLoop(pacing)

    def happen():
        time.sleep(0.1)  # the worker is waiting by then (or it finds the change when it first looks)
        if event == "the frame is drawn":
            pacing.acked(1)
        else:
            loop.queued = True
            pacing.wake.set()  # as `CommandQueue.put` does: the session gives the pacing the queue's event

    started = time.monotonic()
    threading.Thread(target=happen).start()
    assert training_worker._wait_frame_free(loop, threading.Event())
    assert time.monotonic() - started < 10.0
    assert pacing.frame_free == (event == "the frame is drawn") and loop.answer_due == (event != "the frame is drawn")
