"""A server log a stranger cannot fill: what can happen once per request says so at most once per interval,
and a tab that closed is not an error.

- `Throttled`: one warning per interval for something that can repeat as fast as a client sends requests
  (refused requests, connections refused while out of file descriptors), with how many were not logged.
- `quiet_closed_tab_writes()`: Bokeh (`bokeh.server.views.ws`) and Panel (`panel.io.document`) each warn
  "Failed sending message as connection was closed" for every message still on its way when a tab closes
  (129 lines for one tab after a burst of clicks). A closed tab is not a fault: those records go. Bokeh's
  error line for each websocket refused for its Origin, which any client can send, is kept to one a minute.
"""

from __future__ import annotations

import logging
import threading
import time

CLOSED_TAB_WRITE = "Failed sending message as connection was closed"
CLOSED_TAB_LOGGERS = ("bokeh.server.views.ws", "panel.io.document")
REFUSED_ORIGIN = "Refusing websocket connection from Origin"


class Throttled:
    """Warnings on `logger`, at most one per `interval_s`; the next one says how many were left out."""

    def __init__(self, logger: logging.Logger, interval_s: float = 60.0):
        self._logger, self._interval_s = logger, interval_s
        self._lock = threading.Lock()
        self._last = -float("inf")
        self._left_out = 0

    def due(self) -> int | None:
        """How many were left out since the last one, when one may be logged now; else None (and it counts)."""
        with self._lock:
            now = time.monotonic()
            if now - self._last < self._interval_s:
                self._left_out += 1
                return None
            self._last, left_out, self._left_out = now, self._left_out, 0
        return left_out

    def warning(self, message: str, *args) -> bool:
        """Log `message % args` unless one was logged within the interval; True if it was logged."""
        if (left_out := self.due()) is None:
            return False
        suffix = f" ({left_out} more like it in the last {self._interval_s:g} s not logged)" if left_out else ""
        self._logger.warning(message + suffix, *args)
        return True


def _not_a_closed_tab_write(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith(CLOSED_TAB_WRITE)


_refused_origins = Throttled(logging.getLogger(CLOSED_TAB_LOGGERS[0]))


def _not_a_closed_tab_write_nor_a_repeated_refusal(record: logging.LogRecord) -> bool:
    if str(record.msg).startswith(REFUSED_ORIGIN):
        return _refused_origins.due() is not None
    return _not_a_closed_tab_write(record)


def quiet_closed_tab_writes() -> None:
    """Once per process: drop the per-message warnings about a tab that has closed, and all but one a minute
    of Bokeh's refused origins."""
    for name, keep in ((CLOSED_TAB_LOGGERS[0], _not_a_closed_tab_write_nor_a_repeated_refusal),
                       (CLOSED_TAB_LOGGERS[1], _not_a_closed_tab_write)):
        logger = logging.getLogger(name)
        if keep not in logger.filters:
            logger.addFilter(keep)
