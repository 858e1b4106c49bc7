"""The page's frame acknowledgements, answered with nothing.

The network canvas tells the server each frame it has drawn (`{"ack": frame_id}`, a Panel data event in a
PATCH-DOC of its own), so the server sends about as many frames as the screen shows. Bokeh answers every
PATCH-DOC with an OK message, three websocket messages the page never reads (bokehjs waits for no reply to
a patch). At 60 frames/s those OKs were half of all the messages the page received.

Applying a patch the way Bokeh does first indexes every model of the document (its `Deserializer`), a few
hundred here, for one number, then runs it through Bokeh's and Panel's event dispatch. An acknowledgement
is handed to its component directly instead, under the document's lock as Bokeh would: to the component
that registered the model's id (`receive_acks`), else as Panel's `DataEvent` triggered on the model.

Patched: `ServerSession.patch` (a classmethod Bokeh's protocol handler looks up when a connection opens)
triggers such a patch's event (or, for a model the document does not hold, applies it exactly as Bokeh
does) and returns None ("nothing to send", what Bokeh itself returns for a destroyed session) instead of its
OK; every other patch is answered as before. Can go once Bokeh sends no reply to a patch the client did not
ask to be answered (bokehjs waits for none) and Panel hands a component's message over without indexing
the document.
"""

from __future__ import annotations

import inspect
import weakref

from . import installed_marker, left_out, missing

ACK = "ack"
MARKER = "_playground_quiet_acks"


def frame_ack_of(content: object) -> tuple[str, int] | None:
    """(model id, frame id) where a PATCH-DOC's content is one frame acknowledgement and nothing else."""
    try:
        (event,) = content["events"]
        data = event["msg_data"]
        if event["kind"] != "MessageSent" or data["type"] != "event" or data["name"] != "data_event":
            return None
        fields = dict(data["values"]["entries"])
        (entry,) = fields["data"]["entries"]
        model_id = fields["model"]["id"]
    except (KeyError, TypeError, ValueError):
        return None
    if entry[0] != ACK or not isinstance(entry[1], int) or isinstance(entry[1], bool) or not isinstance(model_id, str):
        return None
    return model_id, entry[1]


def is_frame_ack(content: object) -> bool:
    """Whether a PATCH-DOC's content is one frame acknowledgement and nothing else."""
    return frame_ack_of(content) is not None


_receivers: weakref.WeakValueDictionary = weakref.WeakValueDictionary()  # model id -> component


def receive_acks(model_id: str, component) -> None:
    """Hand the acknowledgements the view `model_id` sends to `component.ack_received(frame_id)`."""
    _receivers[model_id] = component


def _trigger_ack(doc, model_id: str, frame_id: int) -> bool:
    """The acknowledgement to its component, or Panel's data event on its model (False: the document holds
    no such model)."""
    from bokeh.document.callbacks import invoke_with_curdoc
    from panel.models.esm import DataEvent

    receiver = _receivers.get(model_id)
    if receiver is not None:
        receiver.ack_received(frame_id)
        return True
    model = doc.get_model_by_id(model_id)
    if model is None:
        return False
    invoke_with_curdoc(doc, lambda: doc.callbacks.trigger_event(DataEvent(model=model, data={ACK: frame_id})))
    return True


def install() -> bool:
    """Once per process, before connections open (`tuning.tune_process`); True where acknowledgements now
    go unanswered."""
    from bokeh.server.session import ServerSession
    from panel.models import esm

    absent = missing(ServerSession, "patch", "with_document_locked") + missing(esm, "DataEvent")
    if not absent and not hasattr(ServerSession.patch, "__func__"):
        absent = ["ServerSession.patch as a classmethod"]
    if absent:
        return left_out("leaving frame acknowledgements unanswered", absent)
    if installed_marker(ServerSession.patch, MARKER):
        return True
    original = ServerSession.patch.__func__

    async def patch(cls, message, connection):
        ack = frame_ack_of(message.content)
        session = getattr(connection, "session", None)
        if ack is not None and session is not None:
            triggered = session.with_document_locked(_trigger_ack, session.document, *ack)
            if inspect.isawaitable(triggered):
                triggered = await triggered
            if triggered:
                return None
        reply = original(cls, message, connection)
        if inspect.isawaitable(reply):
            reply = await reply
        return None if ack is not None else reply

    setattr(patch, MARKER, True)
    ServerSession.patch = classmethod(patch)
    return True
