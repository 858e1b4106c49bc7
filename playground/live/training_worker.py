"""The training thread's loop for a `TrainingSession`: train until `FramePacing` says a frame is due, wait
for the screen (running the user's commands meanwhile), build the frame and hand it to the document.

It is the session's own loop, kept apart so `session.py` reads as its public commands; it works on the
session's internals by design. `session` is not annotated: the session imports this module, and a type-only
import back would be an import cycle.
"""

from __future__ import annotations

import threading
import time

UNWATCHED = "Training paused: this page stopped drawing frames (hidden or closed) — press Play to go on"


def never() -> bool:
    """A frame's `playing` when training has stopped for good."""
    return False


def run_worker(session, stop: threading.Event) -> None:
    pacing = session.pacing
    pacing.join(id(stop))
    try:
        while not stop.is_set():
            started = time.monotonic()
            diverged = _train_until(session, pacing.training_deadline(started), stop)
            while not (diverged or stop.is_set() or pacing.frame_free):
                if not pacing.may_train_on(started):
                    break  # enough epochs for one frame; wait for the screen
                diverged = _train_until(session, time.monotonic() + 0.005, stop)
            if not _wait_frame_free(session, stop):
                return
            session._answer_now = False
            frame = session._make_frame(lambda d=diverged: not (d or stop.is_set()), in_flight=session.doc is not None)
            pacing.frame_sent()
            session._hand_over(frame)  # even when just stopped: a built frame is never dropped
            if diverged:
                stop.set()
    except Exception as exc:  # an engine error: the page is told, and Play, Step and Reset still work
        with session._lock:
            session._report_failure(f"Training stopped at epoch {session.experiment.epoch}", exc)
        stop.set()
        session._hand_over(session._make_frame(never, in_flight=session.doc is not None))
    finally:
        pacing.leave(id(stop))

def _wait_frame_free(session, stop: threading.Event) -> bool:
    deadline = session.pacing.ack_deadline()
    while not session.pacing.wait_frame_free(0.02):
        session._drain()  # settings and edits still apply while the screen catches up
        if session._answer_now:
            break  # the user changed something: show it now, not after the frame on screen is drawn
        if stop.is_set() or session.destroyed:
            return False
        now = time.monotonic()
        if session.pacing.unwatched(now):  # nobody is watching: stop rather than train for no one
            session._messages.append(UNWATCHED)
            stop.set()  # the frame built next says "paused", for when the page is looked at again
            break
        if now > deadline:
            break  # an acknowledgement got lost: carry on rather than stall
    return not session.destroyed

def _train_until(session, deadline: float, stop: threading.Event) -> bool:
    """Train epochs (running commands between them) until the deadline; True if training broke down."""
    while not stop.is_set():
        now = time.monotonic()
        if now >= deadline or session._answer_now:  # a command ran: its frame goes out now
            return False
        wait = session.pacing.epoch_wait(id(stop), now)
        if wait:
            session.wake_worker.clear()  # before draining: a command queued after it ends the wait below
            session._drain()
            if not session._answer_now:
                session.wake_worker.wait(min(deadline - now, wait))
            continue
        with session._lock:
            session._drain()
            if session.pacing.timed_epoch(id(stop), lambda: session._one_epoch(session.experiment)):
                return True
    return False
