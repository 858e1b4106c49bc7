"""The patches of Panel's and Bokeh's internals (`playground/server/patches/`): where a name one needs is gone,
it patches nothing, says so in one log line, and the app still serves."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import textwrap

import pytest
from bokeh.protocol.messages.patch_doc import patch_doc
from bokeh.server.session import ServerSession
from panel.custom import ReactiveESM
from panel.io import document as panel_document
from panel.io.server import DocHandler
from tornado import tcpserver
from tornado.websocket import WebSocketHandler

from playground.server import patches
from playground.server.patches import (
    accept_errors,
    component_bundle,
    component_documents,
    component_events,
    frame_acks,
    handed_connections,
    message_patches,
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
