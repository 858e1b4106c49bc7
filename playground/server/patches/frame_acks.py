"""The page's frame acknowledgements, answered with nothing.

The network canvas tells the server each frame it has drawn (`{"ack": frame_id}`, a Panel data event in a
PATCH-DOC of its own), so the server sends about as many frames as the screen shows. Bokeh answers every
PATCH-DOC with an OK message, three websocket messages the page never reads (bokehjs waits for no reply to
a patch). At 60 frames/s those OKs were half of all the messages the page received.

Patched: `ServerSession.patch` (a classmethod Bokeh's protocol handler looks up when a connection opens)
applies such a patch exactly as Bokeh does and returns None ("nothing to send", what Bokeh itself returns
for a destroyed session) instead of its OK; every other patch is answered as before. Can go once Bokeh
sends no reply to a patch the client did not ask to be answered (bokehjs waits for none).
"""

from __future__ import annotations

import inspect

from . import installed_marker, left_out, missing

ACK = "ack"
MARKER = "_playground_quiet_acks"


def is_frame_ack(content: object) -> bool:
    """Whether a PATCH-DOC's content is one frame acknowledgement and nothing else."""
    try:
        (event,) = content["events"]
        data = event["msg_data"]
        if event["kind"] != "MessageSent" or data["type"] != "event" or data["name"] != "data_event":
            return False
        fields = dict(data["values"]["entries"])
        (entry,) = fields["data"]["entries"]
    except (KeyError, TypeError, ValueError):
        return False
    return entry[0] == ACK and isinstance(entry[1], int) and not isinstance(entry[1], bool)


def install() -> bool:
    """Once per process, before connections open (`tuning.tune_process`); True where acknowledgements now
    go unanswered."""
    from bokeh.server.session import ServerSession

    absent = missing(ServerSession, "patch")
    if not absent and not hasattr(ServerSession.patch, "__func__"):
        absent = ["ServerSession.patch as a classmethod"]
    if absent:
        return left_out("leaving frame acknowledgements unanswered", absent)
    if installed_marker(ServerSession.patch, MARKER):
        return True
    original = ServerSession.patch.__func__

    async def patch(cls, message, connection):
        reply = original(cls, message, connection)
        if inspect.isawaitable(reply):
            reply = await reply
        return None if is_frame_ack(message.content) else reply

    setattr(patch, MARKER, True)
    ServerSession.patch = classmethod(patch)
    return True
