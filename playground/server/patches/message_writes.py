"""A Bokeh message sent to the page in one socket write.

Bokeh sends a message as three websocket messages (header, metadata, content: `Message.send`), each through
tornado's `WebSocketHandler.write_message`, which writes its frame to the socket at once (a system call
each) and wraps the write in a task that Bokeh then awaits (event-loop turns each). A class's server sends
hundreds of frames a second: profiled with a class of 30, the socket writes alone were about an eighth of a
worker's busy time.

Patched: Panel's `panel.io.document.dispatch_tornado` (how Panel sends its patches: every frame) and
Bokeh's `Message.send` (Bokeh's own messages, under its write lock), for a server's websocket (tornado's
`WebSocketProtocol13`, without compression) and a message without binary buffers: they make the three
websocket frames as tornado does (RFC 6455: a server's frames unmasked, FIN and the text opcode, then the
length) and hand them to the connection's stream as one write; anything else is sent as before. The page
receives the same bytes. Can go once Bokeh and Panel write a message's frames together (or tornado offers a
write of several messages).
"""

from __future__ import annotations

import asyncio
import struct

from . import installed_marker, left_out, missing

FEATURE = "sending a message's websocket frames in one write"
MARKER = "_playground_message_writes"
FIN_TEXT = 0x80 | 0x1  # the last (only) frame of a text message


def websocket_frame(text: str) -> bytes:
    """One unmasked text frame holding `text` (what tornado's `_write_frame` makes of it, uncompressed)."""
    data = text.encode("utf-8")
    size = len(data)
    if size < 126:
        head = struct.pack("!BB", FIN_TEXT, size)
    elif size <= 0xFFFF:
        head = struct.pack("!BBH", FIN_TEXT, 126, size)
    else:
        head = struct.pack("!BBQ", FIN_TEXT, 127, size)
    return head + data


def parts(message) -> tuple[str, str, str]:
    """A Bokeh message's three websocket messages, in order."""
    return message.header_json, message.metadata_json, message.content_json


def install() -> bool:
    """Once per process; True where messages to a page now go out in one write."""
    from bokeh.protocol.message import Message
    from bokeh.server.views.ws import WSHandler
    from panel.io import document
    from tornado.iostream import StreamClosedError
    from tornado.websocket import WebSocketClosedError, WebSocketProtocol13

    absent = (missing(Message, "send", "header_json", "metadata_json", "content_json")
              + missing(WebSocketProtocol13, "_write_frame", "is_closing") + missing(document, "dispatch_tornado"))
    if absent:
        return left_out(FEATURE, absent)
    if installed_marker(Message.send, MARKER):
        return True
    bokeh_send, panel_dispatch = Message.send, document.dispatch_tornado

    def writes_whole(connection, message) -> bool:
        """Whether `message` can go to `connection` (a websocket protocol) as frames made here."""
        return (isinstance(connection, WebSocketProtocol13) and getattr(connection, "stream", None) is not None
                and getattr(connection, "_compressor", True) is None and not message.header.get("num_buffers"))

    def write_whole(connection, message):
        """The message's three frames in one write; a future that fails with tornado's WebSocketClosedError."""
        try:
            written = connection.stream.write(b"".join(websocket_frame(part) for part in parts(message)))
        except StreamClosedError:
            raise WebSocketClosedError() from None
        if written.done() and written.exception() is None:
            return written
        answer = asyncio.get_running_loop().create_future()

        def settle(future) -> None:
            if answer.cancelled():
                return
            if future.cancelled():
                answer.cancel()
            elif (error := future.exception()) is not None:
                answer.set_exception(WebSocketClosedError() if isinstance(error, StreamClosedError) else error)
            else:
                answer.set_result(None)

        written.add_done_callback(settle)
        return answer

    async def send(self, conn) -> int:  # Bokeh's own messages (documents, its replies)
        connection = getattr(conn, "ws_connection", None) if isinstance(conn, WSHandler) else None
        if not writes_whole(connection, self):
            return await bokeh_send(self, conn)
        with await conn.write_lock.acquire():
            if connection.is_closing():
                raise WebSocketClosedError()
            await write_whole(connection, self)
        return sum(len(part) for part in parts(self))

    def dispatch_tornado(conn, events=None, msg=None):  # Panel's patches (every frame)
        connection = getattr(getattr(conn, "_socket", None), "ws_connection", None)
        if not isinstance(connection, WebSocketProtocol13) or connection.is_closing() or (msg is None and not events):
            return panel_dispatch(conn, events, msg)  # Panel's own answer: nothing to send, or not to this socket
        if msg is None:
            msg = conn.protocol.create("PATCH-DOC", events)
        if not writes_whole(connection, msg):
            return panel_dispatch(conn, msg=msg)
        try:
            return [write_whole(connection, msg)]
        except WebSocketClosedError:
            return []

    for patched in (send, dispatch_tornado):
        setattr(patched, MARKER, True)
    Message.send = send
    document.dispatch_tornado = dispatch_tornado
    return True
