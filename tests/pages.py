"""Pages opened without a browser, as the server sees them (for tests of what the server holds and refuses).

- `bare_page(base)`: a GET and nothing more (a client without JavaScript): (HTML, session id, token).
- `connected_page(base)`: what a browser tab does on the wire (Bokeh's protocol, as scripts/simulated_student.py):
  the GET, the page's link post (`early_link`), the websocket with the page's token, the document pulled, the
  page reported ready; returns a `Page` (its websocket, session id, pulled document; `.event(...)`, `.close()`).
- `run_async(lambda: coroutine)`: runs it to its end from a test (on a thread of its own).
"""

from __future__ import annotations

import asyncio
import json
import re
import urllib.request
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar
from urllib.parse import urlsplit

from bokeh.client.websocket import WebSocketClientConnectionWrapper
from bokeh.protocol import Protocol
from bokeh.protocol.messages.patch_doc import patch_doc
from bokeh.protocol.receiver import Receiver
from bokeh.util.token import get_session_id
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

TOKEN = re.compile(r'"token":\s*"([^"]+)"')
T = TypeVar("T")


def run_async(make_coroutine: Callable[[], Awaitable[T]]) -> T:
    """`asyncio.run(make_coroutine())` on a thread of its own: the browser tests' Playwright keeps an event loop
    running on the main thread for the whole test session."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()


def bare_page(base: str, path: str = "/", headers: dict | None = None) -> tuple[str, str, str]:
    request = urllib.request.Request(base + path, headers=headers or {})
    with urllib.request.urlopen(request, timeout=60) as response:
        html = response.read().decode()
    token = TOKEN.search(html).group(1)
    return html, get_session_id(token), token


class Page:
    """One page's open websocket (Bokeh's protocol)."""

    def __init__(self, ws, session_id: str):
        self.ws, self.session_id = ws, session_id
        self.connection = WebSocketClientConnectionWrapper(ws)
        self.document: dict = {}
        self._receiver = Receiver(Protocol())

    async def receive(self):
        """The next whole message from the server (None once it has closed the websocket)."""
        while True:
            fragment = await self.ws.read_message()
            if fragment is None:
                return None
            if (message := await self._receiver.consume(fragment)) is not None:
                return message

    async def send_events(self, events: list[dict]) -> None:
        await patch_doc(patch_doc.create_header(), {}, {"events": events}).send(self.connection)

    async def event(self, name: str, values: dict) -> None:
        """A UI event, as BokehJS sends one (a `bokeh_event` in a PATCH-DOC)."""
        await self.send_events([{"kind": "MessageSent", "msg_type": "bokeh_event",
                                 "msg_data": {"type": "event", "name": name, "values": values}}])

    def model_id(self, class_name: str) -> str:
        """The id of the first model of `class_name` in the pulled document (e.g. "TopControls")."""
        for model in models_in(self.document):
            if model["attributes"].get("class_name") == class_name or model.get("name", "").endswith(class_name):
                return model["id"]
        raise LookupError(f"no {class_name} in the page's document")

    def close(self) -> None:
        self.ws.close()


def models_in(node) -> list[dict]:
    found = []
    if isinstance(node, dict):
        if node.get("type") == "object" and "id" in node and "attributes" in node:
            found.append(node)
        for value in node.values():
            found += models_in(value)
    elif isinstance(node, list):
        for value in node:
            found += models_in(value)
    return found


async def connected_page(base: str, path: str = "/") -> Page:
    page = await AsyncHTTPClient().fetch(base + path, request_timeout=60)
    token = TOKEN.search(page.body.decode()).group(1)
    session_id = get_session_id(token)
    await AsyncHTTPClient().fetch(base + "/page-link", method="POST", raise_error=False, request_timeout=60,
                                  headers={"Content-Type": "application/json"},
                                  body=json.dumps({"session": session_id, "hash": ""}))
    netloc = urlsplit(base).netloc
    request = HTTPRequest(f"ws://{netloc}{path.rstrip('/')}/ws", headers={"Origin": base}, request_timeout=60)
    ws = await websocket_connect(request, subprotocols=["bokeh", token], max_message_size=20 * 2**20)
    opened = Page(ws, session_id)
    if (await opened.receive()).msgtype != "ACK":
        raise RuntimeError("the server did not acknowledge the connection")
    await Protocol().create("PULL-DOC-REQ").send(opened.connection)
    while (reply := await opened.receive()).msgtype != "PULL-DOC-REPLY":
        pass
    opened.document = reply.content
    await opened.event("document_ready", {})
    return opened
