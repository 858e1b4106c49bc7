"""The user's commands to one session's experiment: queued from the document's thread, run in order
between epochs under the training lock, so the model is never changed mid-epoch."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from ..data import datasets
from ..domain.experiment import Experiment
from ..safe_text import one_line

log = logging.getLogger(__name__)

Command = Callable[[Experiment], object]


class CommandQueue:
    """Counts what was submitted and what has run, so the page's settings are synced back from a frame only
    once the experiment has seen every change, and says when a command ran since the last frame (`ran`), so
    that frame goes out at once."""

    def __init__(self, lock: threading.RLock):
        self._lock = lock  # the training lock: held for each epoch and each command
        self._queue: queue.SimpleQueue[Command] = queue.SimpleQueue()
        # Set when a command is queued (and by the session when training stops): the worker's waits between
        # epochs (caps, the training share: up to a frame slot, ~150 ms in a classroom) end at once.
        self.wake = threading.Event()
        self.submitted = self.done = 0
        self.ran = False

    def put(self, command: Command) -> None:
        self.submitted += 1
        self._queue.put(command)
        self.wake.set()

    def run_all(self, experiment: Callable[[], Experiment], messages: list[str], errors: list[str]) -> None:
        """Run every queued command on the current `experiment()` (a command may replace it); what a command
        refuses becomes a message for the page, what breaks an error, and the experiment's warnings messages."""
        with self._lock:
            while True:
                try:
                    command = self._queue.get_nowait()
                except queue.Empty:
                    return
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
