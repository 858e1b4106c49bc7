"""The patches of Panel's and Bokeh's internals (`playground/server/patches/`): where a name one needs is gone,
it patches nothing, says so in one log line, and the app still serves."""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
import textwrap
import threading
from types import SimpleNamespace

import pytest
from bokeh.protocol.messages.patch_doc import patch_doc
from bokeh.server.session import ServerSession
from bokeh.server.views.ws import WSHandler
from panel.custom import ReactiveESM
from panel.io import document as panel_document
from panel.io.server import DocHandler
from tornado import locks, tcpserver
from tornado.websocket import WebSocketHandler, WebSocketProtocol13

from playground.server import patches
from playground.server.patches import (
    accept_errors,
    component_bundle,
    component_documents,
    component_events,
    frame_acks,
    handed_connections,
    message_patches,
    message_writes,
    panel_writes,
    server_application,
    session_handover,
    websocket_nodelay,
)


@pytest.fixture(autouse=True)
def fresh_log_memory(monkeypatch):
    monkeypatch.setattr(patches, "_said", set())


class Component(ReactiveESM):
    """A throwaway subclass, so hooks installed on it touch no class the app uses."""


class NotAComponent:
    pass


CASES = {
    "websocket_nodelay": (WebSocketHandler, "set_nodelay", websocket_nodelay.install),
    "frame_acks": (ServerSession, "patch", frame_acks.install),
    "message_patches": (patch_doc, "create", message_patches.install),
    "message_writes": (WebSocketProtocol13, "_write_frame", message_writes.install),
    "panel_writes": (panel_document, "_dispatch_write_task", panel_writes.install),
    "session_handover": (DocHandler, "_generate_token_payload", lambda: session_handover.install(lambda h: None)),
    "accept_errors": (tcpserver, "add_accept_handler", accept_errors.install),
    "component_bundle": (ReactiveESM, "_bundle_path", lambda: component_bundle.install(Component, "x.js", bool)),
    # Panel's own components need these two: a class that never had them stands for a Panel that moved them.
    "component_events": (None, "_server_event",
                         lambda: component_events.intercept_data_events(NotAComponent, lambda c, d: False)),
    "component_views": (None, "_get_model", lambda: component_events.before_new_view(NotAComponent, print)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_missing_name_turns_the_patch_off_with_one_log_line(case, monkeypatch, caplog):
    owner, name, install = CASES[case]
    if owner is not None:
        monkeypatch.delattr(owner, name)
    with caplog.at_level(logging.WARNING, logger="playground.server.patches"):
        assert install() is False
        assert install() is False
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 1 and name in lines[0] and " is off: " in lines[0]


@pytest.mark.parametrize("case", ["websocket_nodelay", "frame_acks", "message_patches", "panel_writes",
                                  "session_handover", "accept_errors"])
def test_each_process_wide_patch_installs_once(case, monkeypatch):
    owner, name, install = CASES[case]
    # session_handover's hook here takes nothing: put Panel's own get_session back afterwards, or the spare
    # sessions' real hook, installed later in this process, would find a patch in place and never be asked
    monkeypatch.setattr(DocHandler, "get_session", DocHandler.get_session)
    assert install() is True
    assert install() is True  # already ours: not wrapped twice


def test_a_bokeh_without_its_http_server_where_it_was_is_served_as_bokeh_shares_the_port(monkeypatch, caplog):
    from bokeh.server import server

    assert handed_connections.available() is True
    original = server.BaseServer.__init__

    def elsewhere(self, io_loop, tornado_app, http_server):
        original(self, io_loop, tornado_app, http_server)
        self._http_elsewhere = self.__dict__.pop("_http")

    monkeypatch.setattr(server.BaseServer, "__init__", elsewhere)
    with caplog.at_level(logging.WARNING, logger="playground.server.patches"):
        assert handed_connections.available() is False
    assert "_http" in caplog.text and " is off: " in caplog.text


def test_component_messages_are_serialised_as_bokeh_would():
    from bokeh.core.json_encoder import serialize_json
    from bokeh.core.serialization import Serializer
    from bokeh.document import Document
    from bokeh.models import Div
    from panel.models.esm import ESMEvent

    doc = Document()
    shown, other = Div(), Div()
    doc.add_root(shown)
    doc.models.flush_synced()  # the page has it
    message_patches.install()

    event = doc.callbacks.send_event  # the way Panel's `_send_msg` makes them
    events = []
    doc.on_change(lambda e: events.append(e))
    event(ESMEvent(model=shown, data={"frame": "AAAA", "n": [1, 2.5]}))
    made = patch_doc.create(events)
    bokehs = {"events": Serializer(references=doc.models.synced_references).encode(events)}
    assert json.loads(made.content_json) == json.loads(serialize_json(bokehs))
    # a message whose data holds a model the page lacks: serialised whole, as Bokeh does
    events.clear()
    event(ESMEvent(model=shown, data={"other": other}))
    whole = patch_doc.create(events)
    assert any(o.get("id") == other.id for o in _objects(json.loads(whole.content_json)))


def _objects(node) -> list[dict]:
    found = []
    if isinstance(node, dict):
        if node.get("type") == "object":
            found.append(node)
        for value in node.values():
            found += _objects(value)
    elif isinstance(node, list):
        for value in node:
            found += _objects(value)
    return found


def test_a_server_without_its_tornado_application_serves_without_the_host_check(caplog):
    with caplog.at_level(logging.WARNING, logger="playground.server.patches"):
        assert server_application.application_of(object()) is None
    assert "BaseServer._tornado" in caplog.text and " is off: " in caplog.text


def test_a_component_without_documents_runs_its_callbacks_where_they_arrive(caplog):
    with caplog.at_level(logging.WARNING, logger="playground.server.patches"):
        assert component_documents.served_document(object()) is None
    assert "_documents" in caplog.text


# Every patch finds its names gone (as under a Panel/Bokeh that moved them all), then the app is served.
SERVE_WITHOUT_THE_NAMES = """
import logging, sys, urllib.request
sys.path.insert(0, "tests")
logging.basicConfig(level=logging.WARNING, stream=sys.stdout, format="LOG %(name)s %(message)s")
from playground.server import patches
patches.missing = lambda owner, *names: [f"{getattr(owner, '__name__', owner)}.{name}" for name in names]
from panel.io.application import build_applications
from served import free_port, listening, wait
from playground import app as web
from playground.server import early_link, hosting
from playground.server.spare_sessions import SpareSessionHandler
apps = build_applications({"/": web.create_app}, title="t")
apps["/"].add(SpareSessionHandler())
port = free_port()
server = hosting.serve(apps, port=port, address="127.0.0.1", threaded=True, extra_patterns=early_link.extra_patterns())
wait(lambda: listening(port))
page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60).read().decode()
print("SERVED", "<title>t</title>" in page and "token" in page)
server.stop()
"""


@pytest.mark.slow
def test_the_app_still_serves_a_page_with_every_patched_name_gone():
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(SERVE_WITHOUT_THE_NAMES)], capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "SERVED True" in done.stdout
    off = [line for line in done.stdout.splitlines() if line.startswith("LOG playground.server.patches")]
    assert len(off) == len(set(off)) >= 4, done.stdout  # each feature said once


class _Stream:
    """A connection's stream that keeps what is written to it."""

    def __init__(self):
        self.writes: list[bytes] = []

    def write(self, data: bytes):
        self.writes.append(bytes(data))
        done = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done

    def closed(self) -> bool:
        return False


def _page_socket(compressed: bool = False):
    """A served page's websocket: Bokeh's handler over tornado's protocol, on a stream that keeps its writes."""
    handler = object.__new__(WSHandler)
    connection = object.__new__(WebSocketProtocol13)
    connection.stream, connection.client_terminated, connection.server_terminated = _Stream(), False, False
    connection._compressor = object() if compressed else None
    handler.ws_connection = connection
    return handler


def _sent_by(message, handler) -> list[bytes]:
    """The writes `message.send` makes to `handler`'s stream (its write lock made on the sending loop)."""
    async def send():
        handler.write_lock = locks.Lock()
        await message.send(handler)

    threading_run(send)
    return handler.ws_connection.stream.writes


def threading_run(coroutine_function) -> None:
    """Run a coroutine on a loop of its own thread (the suite's thread may be running one)."""
    failures = []
    worker = threading.Thread(target=lambda: failures.extend(_run_catching(coroutine_function)))
    worker.start()
    worker.join(30)
    if failures:
        raise failures[0]


def _run_catching(coroutine_function) -> list[BaseException]:
    try:
        asyncio.run(coroutine_function())
    except BaseException as exc:  # handed to the test's thread
        return [exc]
    return []


def _patch_message(text: str):
    return patch_doc(patch_doc.create_header(), {}, {"events": [{"kind": "MessageSent", "msg_data": text}]})


def _as_tornado_writes(message) -> list[bytes]:
    """What tornado's `write_message` writes for each of a message's three parts, one write each."""
    tornado_side = object.__new__(WebSocketProtocol13)
    tornado_side.stream, tornado_side._wire_bytes_out, tornado_side.mask_outgoing = _Stream(), 0, False

    async def write():
        for part in (message.header_json, message.metadata_json, message.content_json):
            tornado_side._write_frame(True, 0x1, part.encode("utf-8"))

    threading_run(write)
    return tornado_side.stream.writes


@pytest.mark.parametrize("length", [10, 1_000, 70_000])  # each of the three ways a frame says its length
def test_a_message_reaches_the_page_as_tornados_three_frames_in_one_write(length):
    assert message_writes.install()
    message = _patch_message("x" * length)
    writes = _sent_by(message, _page_socket())
    expected = _as_tornado_writes(message)
    assert len(writes) == 1 and len(expected) == 3 and writes[0] == b"".join(expected)


def test_panels_patches_reach_the_page_in_one_write_too():
    assert message_writes.install()
    message = _patch_message("a frame")
    handler = _page_socket()
    conn = SimpleNamespace(_socket=handler)

    async def dispatch():
        for future in panel_document.dispatch_tornado(conn, msg=message):
            await future

    threading_run(dispatch)
    assert handler.ws_connection.stream.writes == [b"".join(_as_tornado_writes(message))]


def test_a_compressed_websocket_gets_its_messages_as_bokeh_writes_them():
    assert message_writes.install()
    message = _patch_message("x")
    written = []

    async def write_message(text, binary=False, locked=True):
        written.append(text)

    handler = _page_socket(compressed=True)
    handler.write_message = write_message
    assert _sent_by(message, handler) == []
    assert written == [message.header_json, message.metadata_json, message.content_json]


def test_the_bundles_address_is_the_one_panel_gives_served_components_and_none_without_panels_name(
        monkeypatch, caplog):
    from playground.views import styles
    from playground.views.esm_bundle import BUNDLE_PATH, BundledComponent

    monkeypatch.setattr(styles, "in_notebook", lambda: False)  # a served page's view (notebook tests import ipykernel)
    assert component_bundle.served_url(BundledComponent) == BundledComponent._render_esm(True, server=True)
    assert component_bundle.served_url(BundledComponent).endswith("/_bundle_path/" + BUNDLE_PATH.name)
    assert component_bundle.served_url(Component) is None  # a component without a bundle
    monkeypatch.delattr(ReactiveESM, "_render_esm")
    with caplog.at_level(logging.WARNING, logger="playground.server.patches"):
        assert component_bundle.served_url(BundledComponent) is None
        assert component_bundle.served_url(BundledComponent) is None
    assert [record.getMessage() for record in caplog.records] == [
        "the early import of the components' bundle is off: this Panel/Bokeh has no JSComponent._render_esm"]
