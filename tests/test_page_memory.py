"""A page's app, training session and document are freed with its session: 200 pages opened (bare GETs and
websocket sessions) and left to expire leave none of theirs alive, and the server's memory comes back."""

from __future__ import annotations

import ctypes
import gc
import os
import time
import weakref

import panel as pn
import pytest
from panel.io.application import build_applications

from playground.app import create_app
from playground.server import early_link, hosting
from playground.server.spare_sessions import SpareSessionHandler

from .pages import bare_page, connected_page, run_async
from .served import free_port, wait

BARE_PAGES, CONNECTED_PAGES = 150, 50
LIFETIME_MS, CHECK_MS = 300, 200  # an unused session is freed this soon (Bokeh's defaults: 15 s, 17 s)
RSS_MARGIN_MB = 40  # a page kept alive costs ~1.6 MB: 200 of them would be ~330 MB


def rss_mb() -> float:
    try:  # glibc keeps freed memory for reuse: hand it back first, so RSS shows what is still held
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.fixture
def served():
    """The app as `playground serve` serves it (a session built ahead, the early link), with sessions freed
    soon after their page leaves; every page's objects recorded by session id, weakly."""
    made: dict[str, tuple[weakref.ref, ...]] = {}

    def recorded_app():
        app = create_app()
        made[pn.state.curdoc.session_context.id] = (weakref.ref(app), weakref.ref(app.session),
                                                    weakref.ref(app.session.doc))
        return app

    apps = build_applications({"/": recorded_app}, title="memory test")
    apps["/"].add(SpareSessionHandler())
    port = free_port()
    server = hosting.serve(apps, port=port, address="127.0.0.1", threaded=True,
                           extra_patterns=early_link.extra_patterns(),
                           unused_session_lifetime_milliseconds=LIFETIME_MS, check_unused_sessions_milliseconds=CHECK_MS)
    try:
        yield f"http://127.0.0.1:{port}", server.server, made
    finally:
        server.stop()


async def _connected_pages(base: str, count: int) -> list[str]:
    opened = []
    for _ in range(count):
        page = await connected_page(base)
        opened.append(page.session_id)
        page.close()
    return opened


def _open_pages(base: str, bare: int, connected: int) -> list[str]:
    opened = [bare_page(base)[1] for _ in range(bare)]
    return opened + run_async(lambda: _connected_pages(base, connected))


def _alive(made: dict, opened: list[str]) -> dict[str, int]:
    gc.collect()
    kinds = ("PlaygroundApp", "TrainingSession", "Document")
    return {kind: sum(1 for sid in opened if made[sid][i]() is not None) for i, kind in enumerate(kinds)}


def _expired(server, opened: list[str]) -> bool:
    live = {session.id for session in server.get_sessions("/")}
    return not live.intersection(opened)


@pytest.mark.slow
def test_two_hundred_pages_leave_nothing_behind_once_their_sessions_expire(served):
    base, server, made = served
    warm = _open_pages(base, 3, 2)  # the first pages fill caches that stay: measured from after them
    wait(lambda: _expired(server, warm), timeout_s=60)
    before = rss_mb()

    opened = _open_pages(base, BARE_PAGES, CONNECTED_PAGES)
    assert len(set(opened)) == BARE_PAGES + CONNECTED_PAGES  # every page got a session of its own
    wait(lambda: _expired(server, opened), timeout_s=60)
    time.sleep(0.5)  # the destroy hooks run after the session is dropped

    assert _alive(made, opened) == {"PlaygroundApp": 0, "TrainingSession": 0, "Document": 0}
    after = rss_mb()
    print(f"RSS before {before:.1f} MB, after {BARE_PAGES + CONNECTED_PAGES} pages {after:.1f} MB")
    assert after - before < RSS_MARGIN_MB
