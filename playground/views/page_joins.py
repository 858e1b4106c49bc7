"""Which of a server process's pages gets the event loop first while a class joins.

A served page comes in two parts (staged_page.py): the first document, which shows the network and the
output, and the rest (the data column's controls, the notes, the text below the fold), sent once the page
has drawn its first frame. Building the rest costs the process about as much as building a first document
(a profile of 60 students joining: 30 % of the busy time each), and the event loop does one at a time: while
a class joins, every rest built now is somebody's network shown later. So a page's rest waits while another
page of this process is still on its way to its first frame, at most `MAX_WAIT_S`; then the waiting rests
go out oldest first, one per turn of the event loop, so a page asked for meanwhile is not kept waiting
behind all of them. A lone page never waits: no other page is joining.

The process's frames make way too (live/training_share.py asks `any_joining`, from the training threads).
Every other call comes from the server's event loop (page builds, drawn frames, destroyed sessions).
"""

from __future__ import annotations

import asyncio
import threading
import time
import weakref
from collections.abc import Callable, Hashable

MAX_WAIT_S = 10.0  # the longest a page's rest waits for other pages' first frames (a class of 60 joins in ~10 s)
# A page that has drawn no frame this long after its browser showed up (posted its link, loaded) is not
# coming (a closed tab): it stops holding the others back. One whose browser never showed up (a bare GET, a
# session built ahead for the next page) stops after `UNSEEN_WINDOW_S`.
JOIN_WINDOW_S = 10.0
UNSEEN_WINDOW_S = 3.0

_loop_joins: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, PageJoins] = weakref.WeakKeyDictionary()
_loopless_joins: PageJoins | None = None


class PageJoins:
    """The pages of one server that are joining, and the callbacks waiting until none is."""

    def __init__(self, max_wait_s: float = MAX_WAIT_S, window_s: float = JOIN_WINDOW_S,
                 unseen_window_s: float = UNSEEN_WINDOW_S, clock: Callable[[], float] = time.monotonic):
        self.max_wait_s, self.window_s, self.unseen_window_s = max_wait_s, window_s, unseen_window_s
        self._clock = clock
        self._lock = threading.Lock()  # the training threads ask `any_joining`
        self._joining: dict[Hashable, tuple[float, bool]] = {}  # page → (since when, its browser showed up)
        self._waiting: dict[Hashable, tuple[float, Callable[[], None]]] = {}  # page → (since when, callback)
        self._timer: asyncio.TimerHandle | None = None
        self._releasing = False

    @property
    def joining(self) -> int:
        """Pages on their way to their first frame (not longer than the windows allow)."""
        with self._lock:
            self._forget_stale(self._clock())
            return len(self._joining)

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def any_joining(self) -> bool:
        """Whether a page is joining now (from any thread)."""
        return self.joining > 0

    def started(self, page: Hashable) -> None:
        """`page` was built: it joins until `drawn` (or `forget`)."""
        with self._lock:
            self._joining[page] = (self._clock(), False)

    def seen(self, page: Hashable) -> None:
        """`page`'s browser showed up (it joins again if its unseen window had run out)."""
        with self._lock:
            self._joining[page] = (self._clock(), True)

    def drawn(self, page: Hashable) -> None:
        """`page` drew its first frame."""
        with self._lock:
            self._joining.pop(page, None)
        self._schedule()

    def when_others_joined(self, page: Hashable, callback: Callable[[], None]) -> None:
        """Call `callback` once no other page is joining (at once if none is), or after `max_wait_s` (asked
        again before then: the first wait counts)."""
        with self._lock:
            since = self._waiting[page][0] if page in self._waiting else self._clock()
            self._waiting[page] = (since, callback)
        self._schedule()

    def forget(self, page: Hashable) -> None:
        """`page` is gone: it neither joins nor waits any more."""
        with self._lock:
            self._joining.pop(page, None)
            self._waiting.pop(page, None)
        self._schedule()

    def due(self) -> Hashable | None:
        """The page whose callback may run now (the one waiting longest), or None."""
        with self._lock:
            return self._due(self._clock())

    def next_check_in(self) -> float | None:
        """Seconds until a waiting callback is due without anything else happening (None: nothing waits)."""
        with self._lock:
            if not self._waiting:
                return None
            deadlines = [since + self.max_wait_s for since, _ in self._waiting.values()]
            deadlines += [since + self._window(seen) for since, seen in self._joining.values()]
            return max(0.0, min(deadlines) - self._clock())

    def run_due(self) -> bool:
        """Run the callback that is due, if one is; whether one ran."""
        with self._lock:
            page = self._due(self._clock())
            if page is None:
                return False
            _, callback = self._waiting.pop(page)
        callback()
        return True

    def _due(self, now: float) -> Hashable | None:
        if not self._waiting:
            return None
        self._forget_stale(now)
        oldest = min(self._waiting, key=lambda page: self._waiting[page][0])
        others = any(page not in self._waiting for page in self._joining)
        return oldest if not others or now - self._waiting[oldest][0] >= self.max_wait_s else None

    def _window(self, seen: bool) -> float:
        return self.window_s if seen else self.unseen_window_s

    def _forget_stale(self, now: float) -> None:
        for page in [page for page, (since, seen) in self._joining.items() if now - since > self._window(seen)]:
            del self._joining[page]

    def _schedule(self) -> None:
        """Run what is due, one per turn of the event loop, and wake up when the next one will be."""
        if self._releasing:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (a test calling in directly): run everything due now
            while self.run_due():
                pass
            return
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self.due() is not None:
            self._releasing = True
            loop.call_soon(self._release_one)
        elif (delay := self.next_check_in()) is not None:
            self._timer = loop.call_later(delay, self._schedule)

    def _release_one(self) -> None:
        self._releasing = False
        self.run_due()
        self._schedule()


def process_joins() -> PageJoins:
    """The pages of the server whose event loop runs this call: one per worker process (made after the fork,
    on first use); tests that serve several apps in one process get one per server."""
    global _loopless_joins
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        if _loopless_joins is None:
            _loopless_joins = PageJoins()
        return _loopless_joins
    if loop not in _loop_joins:
        _loop_joins[loop] = PageJoins()
    return _loop_joins[loop]
