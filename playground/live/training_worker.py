"""The training thread's loop: train until `FramePacing` says a frame is due, wait for the screen (running
the user's commands meanwhile), build the frame and hand it to the document.

It works through `TrainingLoop`, the few things a session offers its worker (`TrainingSession` is one);
tests can drive it with any object that has them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .frame_pacing import FramePacing
    from .frames import Frame

LOOK_AGAIN_S = 0.02  # while waiting for the screen: how often to look for an unwatched page or a lost ack
UNWATCHED = "Training paused: this page stopped drawing frames (hidden or closed) — press Play to go on"


class TrainingLoop(Protocol):
    """What the worker needs of the session it trains for."""

    pacing: FramePacing
    wake_worker: threading.Event  # set when a command is queued, a frame is drawn or training stops
    destroyed: bool

    @property
    def answer_due(self) -> bool: ...  # a command ran since the last frame: show it now

    def run_commands(self) -> None: ...

    def train_epoch(self, worker: int) -> bool: ...  # True: training broke down

    def worker_frame(self, playing: Callable[[], bool]) -> Frame: ...

    def hand_over(self, frame: Frame) -> None: ...

    def say(self, message: str) -> None: ...

    def fail(self, exc: Exception) -> Frame: ...


def never() -> bool:
    """A frame's `playing` when training has stopped for good."""
    return False


def run_worker(loop: TrainingLoop, stop: threading.Event) -> None:
    pacing = loop.pacing
    pacing.join(id(stop))
    try:
        while not stop.is_set():
            started = time.monotonic()
            diverged = _train_until(loop, pacing.training_deadline(started), stop)
            while not (diverged or stop.is_set() or pacing.frame_free):
                if not pacing.may_train_on(started):
                    break  # enough epochs for one frame; wait for the screen
                diverged = _train_until(loop, time.monotonic() + 0.005, stop)
            if not _wait_frame_free(loop, stop):
                return
            frame = loop.worker_frame(lambda d=diverged: not (d or stop.is_set()))
            pacing.frame_sent()
            loop.hand_over(frame)  # even when just stopped: a built frame is never dropped
            if diverged:
                stop.set()
    except Exception as exc:  # an engine error: the page is told, and Play, Step and Reset still work
        stop.set()
        loop.hand_over(loop.fail(exc))
    finally:
        pacing.leave(id(stop))


def _wait_frame_free(loop: TrainingLoop, stop: threading.Event) -> bool:
    deadline = loop.pacing.ack_deadline()
    while True:
        loop.wake_worker.clear()  # before looking: a drawn frame or a command after it ends the wait below
        if loop.pacing.frame_free:
            break
        loop.run_commands()  # settings and edits still apply while the screen catches up
        if loop.answer_due:
            break  # the user changed something: show it now, not after the frame on screen is drawn
        if stop.is_set() or loop.destroyed:
            return False
        now = time.monotonic()
        if loop.pacing.unwatched(now):  # nobody is watching: stop rather than train for no one
            loop.say(UNWATCHED)
            stop.set()  # the frame built next says "paused", for when the page is looked at again
            break
        if now > deadline:
            break  # an acknowledgement got lost: carry on rather than stall
        loop.wake_worker.wait(LOOK_AGAIN_S)  # the pacing sets it with the frame free, the queue with a command
    return not loop.destroyed


def _train_until(loop: TrainingLoop, deadline: float, stop: threading.Event) -> bool:
    """Train epochs (running commands between them) until the deadline; True if training broke down."""
    while not stop.is_set():
        now = time.monotonic()
        if now >= deadline or loop.answer_due:  # a command ran: its frame goes out now
            return False
        wait = loop.pacing.epoch_wait(id(stop), now)
        if wait:
            loop.wake_worker.clear()  # before draining: a command queued after it ends the wait below
            loop.run_commands()
            if not loop.answer_due:
                loop.wake_worker.wait(min(deadline - now, wait))
            continue
        if loop.train_epoch(id(stop)):
            return True
    return False
