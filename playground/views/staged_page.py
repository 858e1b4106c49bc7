"""A served page in two parts: its first document holds what shows the link's network (the header, the top
bar, the network and the output's read-outs); the rest (the data column's controls, the notes under the
network, the keyboard bridge, the text below the fold) follows in one message once the page has loaded and
drawn its first frame, or later while other pages of the process are joining (page_joins.py). The
containers keep their sizes meanwhile, so nothing above the fold moves when the rest comes
(docs/architecture.md, "How the page stays fast")."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager

import panel as pn

from .page_joins import PageJoins

COMPLETE = "complete"  # the root's CSS class once the whole page is there (tests and scripts wait for it)


class StagedPage:
    """Holds back parts of `root` until `loaded()` and `frame_drawn()` have both been called.

    `held`: (container, objects it keeps in the first document) pairs; `one_message`: a context in which
    changes reach the page as one message; `on_complete`: called in that message, once the rest is in (to
    apply anything that depends on it) and before the root says the page is complete. With `joins` (the
    process's pages), the rest waits for the other joining pages' first frames; `run_locked(callback)` then
    runs it with the page's document locked."""

    def __init__(self, root: pn.layout.ListLike, held: Iterable[tuple[pn.layout.ListLike, list]],
                 one_message: Callable[[], AbstractContextManager], on_complete: Callable[[], None],
                 joins: PageJoins | None = None, run_locked: Callable[[Callable[[], None]], None] | None = None):
        self._root, self._one_message, self._on_complete = root, one_message, on_complete
        self._joins, self._run_locked = joins, run_locked or (lambda callback: callback())
        self._later: list[tuple[pn.layout.ListLike, list]] = []
        for container, kept in held:
            self._later.append((container, list(container.objects)))
            container.objects = kept
        root.css_classes = [name for name in root.css_classes if name != COMPLETE]
        self._loaded = self._frame_drawn = False
        if joins is not None:
            joins.started(self)

    @property
    def waiting_for_frame(self) -> bool:
        """Whether the first drawn frame is still awaited (cheap: asked on every frame drawn)."""
        return bool(self._later) and not self._frame_drawn

    def seen(self) -> None:
        """The page's browser showed up (posted its link, or loaded)."""
        if self._joins is not None and not self._frame_drawn:
            self._joins.seen(self)

    def frame_drawn(self) -> None:
        self._frame_drawn = True
        if self._joins is not None:
            self._joins.drawn(self)
        self._show_the_rest_once_ready()

    def loaded(self) -> None:
        self._loaded = True
        self.seen()
        self._show_the_rest_once_ready()

    def close(self) -> None:
        """The page is gone: it holds no other page back."""
        if self._joins is not None:
            self._joins.forget(self)

    def _show_the_rest_once_ready(self) -> None:
        """Whichever comes last: sent on the first frame alone, the rest would reach a browser still laying out
        the first document, and the network would show later, not sooner."""
        if not (self._later and self._frame_drawn and self._loaded):
            return
        if self._joins is not None:
            self._joins.when_others_joined(self, lambda: self._run_locked(self._show_the_rest))
        else:
            self._show_the_rest()

    def _show_the_rest(self) -> None:
        if not self._later:
            return
        later, self._later = self._later, []
        with self._one_message():
            for container, objects in later:
                container.objects = objects
            self._on_complete()
            self._root.css_classes = [*self._root.css_classes, COMPLETE]
