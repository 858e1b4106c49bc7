"""Frame pacing: how fast one session trains and how often it sends the page a frame.

`TrainingSession` decides *what* happens (epochs, commands, frames); this decides *when*:
- caps: at most `max_epochs_per_second` epochs and `max_frames_per_second` frames (a classroom sets both;
  each frame costs the shared event loop ~2 ms, and a loop kept busy by frames answers everyone's clicks
  late), and this session's part of the process's `training_share` of CPU and of its frames;
- the frames on their way: until the browser acknowledges frames, one at a time (the next goes out once the
  previous one was applied); once it does, up to `frames_ahead` built but not yet drawn, so the page always
  has the next one queued when the screen refreshes (the round trip of frame and acknowledgement no longer
  sets the frame rate: measured 40 frames/s with one frame ahead, 59 with four, on a 60 Hz page); after
  `ack_timeout` without an acknowledgement the worker goes on anyway. The worker trains `frame_budget`
  seconds per frame (longer while the screen is busy, up to `max_frame_interval`);
- unwatched tabs: a browser that used to acknowledge frames and has drawn none for `unwatched_after`
  seconds is hidden or gone, and training for it would be for no one; unless the page said it is shown
  (`page_visible`, from `document.visibilityState`): then it is only busy (a burst of clicks, a slow
  machine), and training goes on;
- the speed the user chose (`SPEEDS`): "fast" trains as much as the frame budget allows; "watch" trains one
  epoch per frame, so the page shows every epoch, one per screen refresh, as the real playground runs;
- what the page shows: whether the frame last drawn says "training" (a Pause button) or "paused" (a Play
  button), so a press of that button is read as the user meant it.
One instance per session; the worker thread and the document's thread both call it (an Event and plain
floats, written by one side each).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from .training_share import TrainingShare

T = TypeVar("T")

# The speed menu: name -> (label, epochs per frame; None: as many as the frame budget allows).
SPEEDS = {"watch": ("Watch", 1), "fast": ("Fast", None)}
FAST, WATCH = "fast", "watch"


class FramePacing:
    def __init__(self, *, max_epochs_per_second: float | None = None, training_share: TrainingShare | None = None,
                 max_frames_per_second: float | None = None, frame_budget: float = 0.008,
                 max_frame_interval: float = 0.0, ack_timeout: float = 1.0, unwatched_after: float = 5.0,
                 frames_ahead: int = 4, wake: threading.Event | None = None):
        self.max_epochs_per_second, self.max_frames_per_second = max_epochs_per_second, max_frames_per_second
        self.training_share = training_share  # the process's training CPU, shared with the other tabs
        # 8 ms of training per frame: about half of a 60 Hz frame, the rest is the event loop's and the
        # page's (config A on 2 cores: 5 ms gave 360 epochs/s at 60.0 frames/s, 8 ms 611 at 59.7,
        # 12 ms 997 at 59.4; the old 20 ms capped frames at 50/s)
        self.frame_budget, self.max_frame_interval = frame_budget, max_frame_interval
        self.ack_timeout, self.unwatched_after = ack_timeout, unwatched_after
        self.frames_ahead = max(1, frames_ahead)
        self.speed, self.epochs_per_frame = FAST, SPEEDS[FAST][1]  # set_speed
        self._frame_epochs = 0  # epochs trained since the last frame went out
        self.acks_expected = False  # set once the browser acknowledges drawn frames
        self._last_ack_at = self._last_frame_at = 0.0
        self._cap_start, self._cap_epochs = 0.0, 0
        self._frame_free = threading.Event()
        self._frame_free.set()
        # the worker's one wait: set with the frame free, as a queued command sets it (`CommandQueue.wake`)
        self.wake = wake if wake is not None else threading.Event()
        self.shows_playing = False  # the page's button, as last drawn (or pressed): Pause if True
        self.page_visible: bool | None = None  # as the page last said (None: it never said)
        self._unseen: dict[int, bool] = {}  # frame id -> playing, for frames applied but not yet drawn
        self._undrawn: list[int] = []  # ids of the frames handed over and not yet acknowledged
        self._undrawn_lock = threading.Lock()  # the worker adds, the document's thread removes

    def set_speed(self, name: str) -> None:
        """A speed of `SPEEDS` ("watch", "fast"); it applies from the next epoch on."""
        if name not in SPEEDS:
            raise ValueError(f"unknown speed {name!r}; choose one of {', '.join(SPEEDS)}")
        self.speed, self.epochs_per_frame = name, SPEEDS[name][1]

    # ------------------------------------------------------------------ one run (Play to Pause)
    def start(self) -> None:
        """Play: count the caps afresh, and give the page `unwatched_after` seconds from now."""
        self._cap_start, self._cap_epochs = time.monotonic(), 0
        self._last_ack_at = time.monotonic()

    def join(self, key: int) -> None:
        if self.training_share is not None:
            self.training_share.join(key)  # keyed by the worker: an old one may still be exiting

    def leave(self, key: int) -> None:
        if self.training_share is not None:
            self.training_share.leave(key)

    # ------------------------------------------------------------------ training
    def training_deadline(self, started: float) -> float:
        """How long the worker trains for the next frame: its budget, or until the frame cap's next slot."""
        return max(started + self.frame_budget, self._last_frame_at + self._frame_interval())

    def _frame_interval(self) -> float:
        """Seconds between two frames at this session's frame cap (0.0: no cap)."""
        cap = self.max_frames_per_second
        if self.training_share is not None and (shared := self.training_share.frames_per_session()) is not None:
            cap = min(cap, shared) if cap else shared
        return 1.0 / cap if cap else 0.0

    def may_train_on(self, started: float) -> bool:
        """While the screen is busy: whether to train on rather than sleep (`max_frame_interval`)."""
        return time.monotonic() - started <= self.max_frame_interval

    def epoch_wait(self, key: int, now: float) -> float:
        """Seconds to wait before the next epoch (the frame's epochs at this speed, the epoch cap, then the
        training share); 0 to go on. With this frame's epochs done, the worker waits out the frame's time."""
        if self.epochs_per_frame is not None and self._frame_epochs >= self.epochs_per_frame:
            return 1.0
        cap = self.max_epochs_per_second
        if cap and self._cap_epochs + 1 > (now - self._cap_start) * cap:
            return 1.0 / cap
        return self.training_share.wait_time(key) if self.training_share is not None else 0.0

    def timed_epoch(self, key: int, epoch: Callable[[], T]) -> T:
        """Run one epoch, counting it against the caps and its CPU time against the training share."""
        started = time.thread_time()
        result = epoch()
        self._cap_epochs += 1
        self._frame_epochs += 1
        if self.training_share is not None:
            self.training_share.spend(key, time.thread_time() - started)
        return result

    # ------------------------------------------------------------------ the frame on screen
    @property
    def frame_free(self) -> bool:
        return self._frame_free.is_set()

    def ack_deadline(self) -> float:
        """When to stop waiting for an acknowledgement that got lost."""
        return time.monotonic() + self.ack_timeout

    def frame_in_flight(self, frame_id: int) -> None:
        """Frame `frame_id` was handed to the document: the next may follow while there is room ahead."""
        with self._undrawn_lock:
            self._undrawn.append(frame_id)
            if not self.acks_expected or len(self._undrawn) >= self.frames_ahead:
                self._frame_free.clear()

    def frame_sent(self) -> None:
        """A frame went out. One late by up to half an interval (a busy event loop or GIL) keeps the cap's
        cadence, so it does not put back every later one (a class of 30 saw 12.0 frames/s of a 13 cap);
        one later than that, or early (a click's answer), starts the cadence afresh."""
        now, interval = time.monotonic(), self._frame_interval()
        slot = self._last_frame_at + interval
        self._last_frame_at = slot if now - interval / 2 <= slot <= now else now
        self._frame_epochs = 0

    def frame_applied(self) -> None:
        """The document applied a frame: without acknowledgements that is as good as drawn."""
        if not self.acks_expected:
            with self._undrawn_lock:
                self._undrawn.clear()  # else a page that never acknowledges would grow it by every frame
            self._set_free()

    def frame_shows(self, frame_id: int, playing: bool) -> None:
        """A frame saying training or paused was applied: on screen now, or once the browser acks it."""
        if not self.acks_expected:
            self.shows_playing = playing
            return
        self._unseen[frame_id] = playing
        while len(self._unseen) > 64:  # acknowledgements lost on the way: forget the oldest
            del self._unseen[next(iter(self._unseen))]

    def acked(self, frame_id: int) -> None:
        """The browser drew frame `frame_id`, and so is done with every older one (it may skip some)."""
        self.acks_expected = True
        self._last_ack_at = time.monotonic()
        for drawn in [i for i in self._unseen if i <= frame_id]:
            self.shows_playing = self._unseen.pop(drawn)
        with self._undrawn_lock:
            self._undrawn = [i for i in self._undrawn if i > frame_id]
            if len(self._undrawn) < self.frames_ahead and not self._frame_free.is_set():  # set: nobody waits
                self._set_free()

    def release(self) -> None:
        """No frame will be acknowledged any more (the document is gone): let the worker go."""
        self._set_free()

    def _set_free(self) -> None:
        self._frame_free.set()
        self.wake.set()

    def page_shown(self, visible: bool) -> None:
        """The page said it is shown (True) or hidden (False)."""
        self.page_visible = visible

    def unwatched(self, now: float) -> bool:
        """The browser used to draw frames, has drawn none for `unwatched_after` seconds, and has not said
        it is still shown."""
        quiet = self.acks_expected and now - self._last_ack_at > self.unwatched_after
        return quiet and self.page_visible is not True
