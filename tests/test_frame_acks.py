"""Frame acknowledgements get no OK from the server; every other patch still does."""

from __future__ import annotations

import json

from bokeh.server.session import ServerSession

from playground.server import tuning as server_tuning
from playground.server.patches import frame_acks
from playground.server.patches.frame_acks import is_frame_ack

# A PATCH-DOC's content as the page sends it after drawing frame 3 (recorded from chromium).
ACK_CONTENT = json.loads(
    '{"events":[{"kind":"MessageSent","msg_type":"bokeh_event","msg_data":{"type":"event","name":"data_event",'
    '"values":{"type":"map","entries":[["model",{"id":"p1226"}],["data",{"type":"map","entries":[["ack",3]]}]]}}}]}')


def _with_data(entries):
    content = json.loads(json.dumps(ACK_CONTENT))
    content["events"][0]["msg_data"]["values"]["entries"][1][1]["entries"] = entries
    return content


def test_an_acknowledgement_is_recognised():
    assert is_frame_ack(ACK_CONTENT)


def test_anything_else_is_not_an_acknowledgement():
    edit = _with_data([["edit", "link"], ["index", 0], ["value", 0.5]])
    two_events = {"events": ACK_CONTENT["events"] * 2}
    changed = {"events": [{"kind": "ModelChanged", "model": {"id": "p1"}, "attr": "value", "new": 1}]}
    for content in (edit, two_events, changed, _with_data([["ack", "3"]]), _with_data([["ack", True]]),
                    _with_data([["ack", 3], ["edit", "link"]]), {}, None, [], {"events": []}):
        assert not is_frame_ack(content)


class _Message:
    def __init__(self, content):
        self.content = content


def test_the_installed_handler_answers_everything_but_acknowledgements(monkeypatch):
    async def bokeh_patch(cls, message, connection):
        return "OK"

    monkeypatch.setattr(ServerSession, "patch", classmethod(bokeh_patch))
    server_tuning.tune_process()
    server_tuning.tune_process()  # installed once: a second call does not wrap it again

    def answer(content):
        # the handler is a coroutine that awaits nothing here: run it to its end without an event loop (the
        # browser tests keep one running in this process)
        coroutine = ServerSession.patch(_Message(content), None)
        try:
            coroutine.send(None)
        except StopIteration as done:
            return done.value
        raise AssertionError("the handler waited for something")

    assert answer(ACK_CONTENT) is None
    assert answer(_with_data([["edit", "link"], ["index", 0], ["value", 0.5]])) == "OK"


class _Session:
    document = None

    async def with_document_locked(self, func, *args):
        return func(*args)


class _Connection:
    session = _Session()


class _Canvas:
    def __init__(self):
        self.drawn = []

    def ack_received(self, frame_id):
        self.drawn.append(frame_id)


def test_an_acknowledgement_goes_straight_to_the_component_that_registered_its_view(monkeypatch):
    async def bokeh_patch(cls, message, connection):
        raise AssertionError("an acknowledgement for a registered view took Bokeh's way")

    monkeypatch.setattr(ServerSession, "patch", classmethod(bokeh_patch))
    server_tuning.tune_process()
    canvas = _Canvas()
    frame_acks.receive_acks("p1226", canvas)
    coroutine = ServerSession.patch(_Message(ACK_CONTENT), _Connection())
    try:
        coroutine.send(None)
    except StopIteration as done:
        assert done.value is None
    assert canvas.drawn == [3]
