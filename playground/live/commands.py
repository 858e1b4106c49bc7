"""The user's commands to one session's experiment: queued from the document's thread, run in order
between epochs under the training lock, so the model is never changed mid-epoch.

A burst of clicks (a held key, a page replaying 1,500 clicks) is answered as a few: a click's command
replaces any of its kind still waiting (Step, Reset, Regenerate: the latest of each counts), and the answer (`answer_soon`: the
commands run, one frame) comes at most once per `ANSWER_INTERVAL_S`, for all the clicks before it. Answered
one by one, 1,500 clicks kept the page's counter and button changing for 14 s after the last one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable

from ..data import datasets
from ..domain.experiment import Experiment
from ..safe_text import one_line

log = logging.getLogger(__name__)

Command = Callable[[Experiment], object]
ANSWER_INTERVAL_S = 0.05  # a person's clicks are further apart: each is answered on the next tick


class CommandQueue:
    """Counts what was submitted and what has run, so the page's settings are synced back from a frame only
    once the experiment has seen every change, and says when a command ran since the last frame (`ran`), so
    that frame goes out at once."""

    def __init__(self, lock: threading.RLock):
        self._lock = lock  # the training lock: held for each epoch and each command
        self._queue: deque[tuple[Command, str | None]] = deque()
        self._queue_lock = threading.Lock()  # the document's thread puts, the worker takes
        self._answer_pending = False
        self._answered_at = -ANSWER_INTERVAL_S
        # Set when a command is queued (and by the session when training stops): the worker's waits between
        # epochs (caps, the training share: up to a frame slot, ~150 ms in a classroom) end at once.
        self.wake = threading.Event()
        self.submitted = self.done = 0
        self.ran = False

    def put(self, command: Command, kind: str | None = None) -> None:
        """Queue `command`, last; a click's (`kind`) replaces any of its kind still waiting."""
        with self._queue_lock:
            waiting = len(self._queue)
            if kind is not None:
                self._queue = deque(item for item in self._queue if item[1] != kind)
            self.submitted += 1 - (waiting - len(self._queue))
            self._queue.append((command, kind))
        self.wake.set()

    def answer_soon(self, answer: Callable[[], None], doc) -> None:
        """`answer()` on `doc`'s thread (at once without a document): on its next tick, or `ANSWER_INTERVAL_S`
        after the last answer; once for every call before it runs."""
        if doc is None:
            answer()
            return
        if self._answer_pending:
            return
        self._answer_pending = True

        def answer_once() -> None:
            self._answer_pending, self._answered_at = False, time.monotonic()
            answer()

        wait_s = self._answered_at + ANSWER_INTERVAL_S - time.monotonic()
        try:
            if wait_s > 0:
                doc.add_timeout_callback(answer_once, wait_s * 1000)
            else:
                doc.add_next_tick_callback(answer_once)
        except Exception:  # the document is gone (the page closed): nobody to answer
            log.debug("could not schedule an answer", exc_info=True)

    def run_all(self, experiment: Callable[[], Experiment], messages: list[str], errors: list[str]) -> None:
        """Run every queued command on the current `experiment()` (a command may replace it); what a command
        refuses becomes a message for the page, what breaks an error, and the experiment's warnings messages."""
        with self._lock:
            while True:
                with self._queue_lock:
                    if not self._queue:
                        return
                    command, _kind = self._queue.popleft()
                warned = len(experiment().warnings)
                try:
                    command(experiment())
                except (ValueError, datasets.DataError) as exc:
                    if len(experiment().warnings) == warned:  # else the experiment said it already
                        messages.append(str(exc))
                except Exception as exc:
                    log.error("a command failed: %s: %s", type(exc).__name__, one_line(exc, 200))
                    log.debug("the failure's traceback", exc_info=exc)
                    errors.append(f"Error: {one_line(exc, 200)}")
                finally:
                    self.done += 1
                    self.ran = True
                    warnings = experiment().warnings
                    if warnings:
                        messages.extend(w for w in warnings if w not in messages)
                        warnings.clear()
