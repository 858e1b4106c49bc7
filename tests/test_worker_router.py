"""`playground serve --num-procs N`: each page's connections reach the worker process that holds its session
(`playground/server/worker_router.py`), so no page's session is built twice."""

from __future__ import annotations

import base64
import json
import os
import signal
import sys

import pytest

from playground.server import worker_router
from playground.server.worker_router import FirstRequest, Router, read_first_request

from .class_servers import Page, Server, open_pages, run_async
from .served import free_port, wait

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="worker processes need fork (not on Windows)")


def token_for(session_id: str) -> str:
    payload = base64.urlsafe_b64encode(json.dumps({"session_id": session_id}).encode()).rstrip(b"=").decode()
    return f"{payload}.signature"


def test_a_websocket_is_routed_by_its_pages_session_and_anything_else_by_the_worker_cookie():
    head = (f"GET /ws HTTP/1.1\r\nHost: localhost:5006\r\nUpgrade: websocket\r\n"
            f"Sec-WebSocket-Protocol: bokeh, {token_for('abc123')}\r\nCookie: a=1; playground_worker=1").encode()
    assert read_first_request(head) == FirstRequest(session_id="abc123", worker=1)
    page = b"GET / HTTP/1.1\r\nHost: x\r\nCookie: other=2\r\nCookie: playground_worker=0"
    assert read_first_request(page) == FirstRequest(worker=0)
    for junk in (b"", b"GET / HTTP/1.1", b"\xff\xfe\r\n:::\r\nCookie: playground_worker=x",
                 b"GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nSec-WebSocket-Protocol: bokeh, not-a-token"):
        assert read_first_request(junk) == FirstRequest()


def test_the_router_prefers_the_session_then_the_cookie_then_takes_turns(tmp_path):
    router = Router([], 3, str(tmp_path))
    router.workers = {i: worker_router._Worker(i, 1000 + i, None) for i in range(3)}
    router.owner = {"s": 2}
    assert router.choose(FirstRequest(session_id="s", worker=0)) == 2
    assert router.choose(FirstRequest(session_id="unknown", worker=1)) == 1
    assert router.choose(FirstRequest(worker=7)) in (0, 1, 2)  # a cookie of a worker that is not there
    assert sorted(router.choose(FirstRequest()) for _ in range(6)) == [0, 0, 1, 1, 2, 2]


@pytest.fixture
def two_workers(tmp_path):
    port = free_port()
    server = Server(port, tmp_path / "server.log", "--num-procs", "2")
    try:
        server.wait_until_serving()
        yield server
    finally:
        server.stop()


def test_a_class_on_two_worker_processes_builds_one_session_per_page(two_workers):
    server, base = two_workers, f"http://127.0.0.1:{two_workers.port}"
    origin = f"http://localhost:{server.port}"

    async def scenario():
        pages = await open_pages(base, origin, 12)
        cookie_of = {page.session_id: page.cookies.get(worker_router.COOKIE) for page in pages}
        # the same browser (its worker cookie) comes back: its next page is in the same worker process
        again = Page(base, origin, {worker_router.COOKIE: cookie_of[pages[0].session_id]})
        await again.open()
        for page in [*pages, again]:
            page.close()
        return pages, again, cookie_of

    pages, again, cookie_of = run_async(scenario)
    opened = wait(lambda: len(server.sessions_opened()) >= 13 and server.sessions_opened())
    ids = [sid for _, sid in opened]
    assert sorted(ids) == sorted([p.session_id for p in pages] + [again.session_id]), "a session was built twice"
    pid_of = dict((sid, pid) for pid, sid in opened)
    assert len(set(pid_of.values())) == 2, "the pages were not spread over both workers"
    # each worker's pages carry its cookie; the returning browser stays where its cookie says
    by_cookie = {}
    for sid, cookie in cookie_of.items():
        by_cookie.setdefault(cookie, set()).add(pid_of[sid])
    assert all(len(pids) == 1 for pids in by_cookie.values()) and len(by_cookie) == 2
    assert pid_of[again.session_id] == pid_of[pages[0].session_id] and again.set_cookies == []


def test_a_worker_that_dies_is_started_again_and_pages_go_on(two_workers):
    server, base = two_workers, f"http://127.0.0.1:{two_workers.port}"
    origin = f"http://localhost:{server.port}"
    before = wait(lambda: len(server.workers()) == 2 and server.workers())
    os.kill(before[0], signal.SIGKILL)
    after = wait(lambda: len(server.workers()) == 2 and before[0] not in server.workers() and server.workers(),
                 timeout_s=60)
    assert before[1] in after

    async def scenario():
        pages = await open_pages(base, origin, 4)
        for page in pages:
            page.close()
        return pages

    pages = run_async(scenario)
    opened = wait(lambda: len(server.sessions_opened()) >= 4 and server.sessions_opened())
    assert sorted(sid for _, sid in opened) == sorted(p.session_id for p in pages)
    assert "worker 0" in server.log_path.read_text() or "worker 1" in server.log_path.read_text()
