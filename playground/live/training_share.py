"""A server process's CPU time for training, shared equally by the sessions that are training.

In a classroom one process serves many tabs on one core. Training is the expensive part (a default-link
epoch is about 1 ms, and 60 epochs/s for 15 tabs would take the whole core), and what is left must draw the
frames every student is watching. So each process gives training at most `cores` of CPU, split evenly
between the sessions playing right now: a lone student trains at full speed, a full class at a fair share.
Each session holds a small credit of training seconds (a token bucket) that refills at its share.
"""

from __future__ import annotations

import threading
import time

BURST_SECONDS = 0.05  # training time a session may bank while it waits for its frame to be drawn

_process_share: TrainingShare | None = None
_process_lock = threading.Lock()


class TrainingShare:
    def __init__(self, cores: float):
        if not cores > 0:
            raise ValueError(f"the training share must be a positive number of cores, not {cores!r}")
        self.cores = cores
        self._lock = threading.Lock()
        self._credit: dict[int, tuple[float, float]] = {}  # session key → (seconds of credit, when updated)
        self.spent = 0.0  # training seconds spent by all sessions so far

    @property
    def sessions(self) -> int:
        return len(self._credit)

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


def process_share(cores: float) -> TrainingShare:
    """The share of this process (one per worker process: made after the fork, on first use)."""
    global _process_share
    with _process_lock:
        if _process_share is None or _process_share.cores != cores:
            _process_share = TrainingShare(cores)
        return _process_share
