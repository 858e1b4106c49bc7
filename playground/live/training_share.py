"""A server process's CPU time for training, shared equally by the sessions that are training.

In a classroom one process serves many tabs on one core. Training is the expensive part (a default-link
epoch is about 1 ms, and 60 epochs/s for 15 tabs would take the whole core), and what is left must draw the
frames every student is watching. So each process gives training at most `cores` of CPU, split evenly
between the sessions playing right now: a lone student trains at full speed, a full class at a fair share.
Each session holds a small credit of training seconds (a token bucket) that refills at its share.

The frames the process sends can be shared the same way (`frames_per_second`): each frame costs the process
a few milliseconds, and a class that asks for more frames than one core can send keeps the event loop so
busy that everyone's clicks wait behind the frames. With a budget, a full class gets fewer frames each and
a click is still answered at once. While pages of the process are joining (`joining`), the budget shrinks to
`JOINING_SHARE` of itself: a class that arrives within seconds needs the process for building its pages,
so the tabs already in see fewer frames for those seconds, and the students still arriving see their
network sooner.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

BURST_SECONDS = 0.05  # training time a session may bank while it waits for its frame to be drawn
JOINING_SHARE = 0.25  # the part of the frame budget left while pages are joining

_process_share: TrainingShare | None = None
_process_lock = threading.Lock()


class TrainingShare:
    def __init__(self, cores: float, frames_per_second: float | None = None,
                 joining: Callable[[], bool] | None = None):
        if not cores > 0:
            raise ValueError(f"the training share must be a positive number of cores, not {cores!r}")
        self.cores = cores
        if frames_per_second is not None and not frames_per_second > 0:
            raise ValueError(f"the frame budget must be a positive number of frames/s, not {frames_per_second!r}")
        self.frames_per_second, self.joining = frames_per_second, joining
        self._lock = threading.Lock()
        self._credit: dict[int, tuple[float, float]] = {}  # session key → (seconds of credit, when updated)
        self.spent = 0.0  # training seconds spent by all sessions so far

    @property
    def sessions(self) -> int:
        return len(self._credit)

    def frames_per_session(self) -> float | None:
        """Frames per second each training session may have now (None: no process-wide frame budget)."""
        if self.frames_per_second is None:
            return None
        budget = self.frames_per_second
        if self.joining is not None and self.joining():
            budget *= JOINING_SHARE
        return budget / max(1, len(self._credit))

    def per_session(self) -> float:
        """Cores each training session may use now."""
        return self.cores / max(1, len(self._credit))

    def join(self, key: int) -> None:
        with self._lock:
            self._credit.setdefault(key, (0.0, time.monotonic()))

    def leave(self, key: int) -> None:
        with self._lock:
            self._credit.pop(key, None)

    def wait_time(self, key: int) -> float:
        """Seconds session `key` must wait before its next epoch (0.0: train now)."""
        with self._lock:
            if key not in self._credit:
                return 0.0
            credit, updated = self._credit[key]
            now, rate = time.monotonic(), self.per_session()
            credit = min(BURST_SECONDS, credit + (now - updated) * rate)
            self._credit[key] = (credit, now)
            return 0.0 if credit > 0 else -credit / rate

    def spend(self, key: int, seconds: float) -> None:
        """Session `key` trained for `seconds` of CPU."""
        with self._lock:
            self.spent += seconds
            if key in self._credit:
                credit, updated = self._credit[key]
                self._credit[key] = (credit - seconds, updated)


def process_share(cores: float, frames_per_second: float | None = None,
                  joining: Callable[[], bool] | None = None) -> TrainingShare:
    """The share of this process (one per worker process: made after the fork, on first use)."""
    global _process_share
    with _process_lock:
        if (_process_share is None or _process_share.cores != cores
                or _process_share.frames_per_second != frames_per_second or _process_share.joining != joining):
            _process_share = TrainingShare(cores, frames_per_second, joining)
        return _process_share
