"""Pages opened without a browser, as the server sees them (for tests of what the server holds and refuses).

- `bare_page(base)`: a GET and nothing more (a client without JavaScript): (HTML, session id, token).
- `connected_page(base)`: what a browser tab does on the wire (Bokeh's protocol, as scripts/simulated_student.py):
  the GET, the page's link post (`early_link`), the websocket with the page's token, the document pulled, the
  page reported ready; returns the open websocket (`.close()` to leave).
"""

from __future__ import annotations

import json
import re
import urllib.request
from urllib.parse import urlsplit

from bokeh.client.websocket import WebSocketClientConnectionWrapper
from bokeh.protocol import Protocol
from bokeh.protocol.messages.patch_doc import patch_doc
from bokeh.protocol.receiver import Receiver
from bokeh.util.token import get_session_id
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

TOKEN = re.compile(r'"token":\s*"([^"]+)"')


def bare_page(base: str, path: str = "/", headers: dict | None = None) -> tuple[str, str, str]:
    request = urllib.request.Request(base + path, headers=headers or {})
    with urllib.request.urlopen(request, timeout=60) as response:
        html = response.read().decode()
    token = TOKEN.search(html).group(1)
    return html, get_session_id(token), token


async def connected_page(base: str, path: str = "/"):
    """(websocket, session id) of a page whose websocket is open, its document pulled and reported ready."""
    page = await AsyncHTTPClient().fetch(base + path, request_timeout=60)
    token = TOKEN.search(page.body.decode()).group(1)
    session_id = get_session_id(token)
    await AsyncHTTPClient().fetch(base + "/page-link", method="POST", raise_error=False, request_timeout=60,
                                  headers={"Content-Type": "application/json"},
                                  body=json.dumps({"session": session_id, "hash": ""}))
    netloc = urlsplit(base).netloc
    request = HTTPRequest(f"ws://{netloc}{path.rstrip('/')}/ws", headers={"Origin": base}, request_timeout=60)
    ws = await websocket_connect(request, subprotocols=["bokeh", token], max_message_size=20 * 2**20)
    connection = WebSocketClientConnectionWrapper(ws)
    receiver, protocol = Receiver(Protocol()), Protocol()

    async def receive():
        while True:
            fragment = await ws.read_message()
            if fragment is None:
                raise ConnectionError("the server closed the websocket")
            if (message := await receiver.consume(fragment)) is not None:
                return message

    if (await receive()).msgtype != "ACK":
        raise RuntimeError("the server did not acknowledge the connection")
    await protocol.create("PULL-DOC-REQ").send(connection)
    while (await receive()).msgtype != "PULL-DOC-REPLY":
        pass
    ready = [{"kind": "MessageSent", "msg_type": "bokeh_event",
              "msg_data": {"type": "event", "name": "document_ready", "values": {}}}]
    await patch_doc(patch_doc.create_header(), {}, {"events": ready}).send(connection)
    return ws, session_id
