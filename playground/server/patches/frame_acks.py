"""The page's frame acknowledgements, answered with nothing.

The network canvas tells the server each frame it has drawn (`{"ack": frame_id}`, a Panel data event in a
PATCH-DOC of its own), so the server sends about as many frames as the screen shows. Bokeh answers every
PATCH-DOC with an OK message, three websocket messages the page never reads (bokehjs waits for no reply to
a patch). At 60 frames/s those OKs were half of all the messages the page received. `quiet_frame_acks()`
applies such a patch exactly as Bokeh does and skips only its OK; every other patch is answered as before.
"""

from __future__ import annotations

import inspect
import logging

log = logging.getLogger(__name__)

ACK = "ack"


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


def quiet_frame_acks() -> None:
    """Install, once per process, the PATCH-DOC handler that does not answer frame acknowledgements.

    Bokeh's protocol handler looks the handler up when a connection opens, so this runs at process start
    (`server_tuning.tune_process`). A handler result of None means "nothing to send": Bokeh returns it
    itself for a destroyed session."""
    from bokeh.server.session import ServerSession

    if getattr(ServerSession.patch, "_playground_quiet_acks", False):
        return
    original = ServerSession.patch.__func__

    async def patch(cls, message, connection):
        reply = original(cls, message, connection)
        if inspect.isawaitable(reply):
            reply = await reply
        return None if is_frame_ack(message.content) else reply

    patch._playground_quiet_acks = True
    ServerSession.patch = classmethod(patch)
