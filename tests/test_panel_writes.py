"""A patch Panel had to queue (the page's websocket was busy) still reaches the page when two of Panel's
queued-write tasks overlap (`playground/server/patches/panel_writes.py`): the race that lost a diverged run's last frame."""

from __future__ import annotations

import asyncio
import threading
from types import SimpleNamespace

import pytest
from bokeh.document import Document
from panel.io import document as panel_document

from playground.server.patches.panel_writes import install as keep_queued_writes_flowing


class FakeSocket:
    """A websocket whose Bokeh write lock the test holds and releases, and whose writes it completes."""

    def __init__(self):
        self.write_lock = SimpleNamespace(_block=SimpleNamespace(_value=1))  # 0: Bokeh is sending
        self.sent: list[str] = []
        self.pending: list[asyncio.Future] = []

    def busy(self, busy: bool) -> None:
        self.write_lock._block._value = 0 if busy else 1


def _write(conn, events=None, msg=None):
    socket = conn._socket
    socket.sent.append(msg.name)
    future = asyncio.get_running_loop().create_future()
    socket.pending.append(future)
    return [future]


class FakeConnection:
    """Bokeh's ServerConnection as Panel uses it: its socket, and a protocol that makes messages."""

    def __init__(self, socket: FakeSocket):
        self._socket = socket
        self.protocol = SimpleNamespace(create=lambda kind, events: SimpleNamespace(name="+".join(events)))


async def _until(condition, timeout_s: float = 1.0) -> bool:
    for _ in range(int(timeout_s / 0.005)):
        if condition():
            return True
        await asyncio.sleep(0.005)
    return condition()


async def _overlapping_writes() -> list[str]:
    socket = FakeSocket()
    conn, doc = FakeConnection(socket), Document()
    socket.busy(True)
    panel_document.schedule_write_events(doc, [conn], ["first"])  # task A: busy, puts it back, retries
    await asyncio.sleep(0.002)
    socket.busy(False)
    assert await _until(lambda: socket.sent == ["first"])  # A's retry is sending it, not done yet
    socket.busy(True)
    panel_document.schedule_write_events(doc, [conn], ["last"])  # task B: busy, puts it back, retries
    for _ in range(5):
        await asyncio.sleep(0)
    socket.pending[0].set_result(None)  # A ends: Panel ≤ 1.9.4 clears the block B still needs
    await asyncio.sleep(0.03)  # B's retry has come and gone
    socket.busy(False)
    await _until(lambda: socket.sent == ["first", "last"], 0.5)
    for future in socket.pending:
        if not future.done():
            future.set_result(None)
    await asyncio.sleep(0.02)
    return socket.sent


def _run_on_own_loop(coroutine_function):
    """Run it on a fresh event loop in a thread of its own: the suite may have a loop running here."""
    result: dict = {}
    worker = threading.Thread(target=lambda: result.update(value=asyncio.run(coroutine_function())))
    worker.start()
    worker.join(timeout=10)
    return result.get("value")


@pytest.fixture
def fake_socket_handler(monkeypatch):
    monkeypatch.setitem(panel_document.extra_socket_handlers, FakeSocket, _write)


def test_a_patch_queued_while_another_task_writes_is_sent_once_the_socket_is_free(fake_socket_handler):
    if not keep_queued_writes_flowing():
        pytest.skip("this Panel's dispatcher is not the one with the race (no _WRITE_MSGS queue)")
    assert _run_on_own_loop(_overlapping_writes) == ["first", "last"]


def test_the_wrapper_is_installed_once():
    keep_queued_writes_flowing()
    installed = panel_document._dispatch_msgs
    keep_queued_writes_flowing()
    assert panel_document._dispatch_msgs is installed  # not wrapped twice
