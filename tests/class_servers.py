"""`playground serve` in a subprocess for the tests of a class across processes and machines, and pages opened
on it the way a browser tab does (page, then its websocket and document), with their cookies kept."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

from bokeh.client.websocket import WebSocketClientConnectionWrapper
from bokeh.protocol import Protocol
from bokeh.protocol.receiver import Receiver
from bokeh.util.token import get_session_id
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
OPENED = re.compile(r"pid=(\d+) INFO \S+: session (\S+) opened")


class Server:
    """`playground serve --classroom ARGS` on 127.0.0.1:`port`, its log in `log_path`."""

    def __init__(self, port: int, log_path: Path, *args: str):
        self.port, self.log_path = port, log_path
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
        self.log = open(log_path, "w")  # noqa: SIM115 - the server writes to it until `stop`
        self.process = subprocess.Popen(
            [sys.executable, "-m", "playground", "serve", "--classroom", "--port", str(port), "--no-show", *args],
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True, env=env)

    def wait_until_serving(self, timeout_s: float = 120.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the server exited: {self.log_path.read_text()[-2000:]}"
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/liveness-probe-404", timeout=30)
            except urllib.error.HTTPError:
                return  # it answers (404: no such page, and no session built)
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"the server did not answer within {timeout_s} s: {self.log_path.read_text()[-2000:]}")

    def sessions_opened(self) -> list[tuple[int, str]]:
        """(worker pid, session id) per session built, in order."""
        return [(int(m.group(1)), m.group(2)) for m in OPENED.finditer(self.log_path.read_text(errors="replace"))]

    def workers(self) -> list[int]:
        try:
            out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        except FileNotFoundError:
            return []
        return [int(pid) for pid in out.split()]

    def kill(self) -> None:
        """Stopped at once, as a machine that fails (its whole process group, SIGKILL)."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            self.kill()
        self.log.close()


class Page:
    """One browser tab's page and websocket: `open()` loads the page, connects, pulls the document."""

    def __init__(self, base: str, origin: str, cookies: dict[str, str] | None = None):
        self.base, self.origin = base.rstrip("/"), origin
        self.cookies = dict(cookies or {})
        self.session_id = ""
        self.set_cookies: list[str] = []  # Set-Cookie headers of the page's answer
        self.ws = None

    def _headers(self) -> dict:
        headers = {"Origin": self.origin}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    async def open(self) -> None:
        page = await AsyncHTTPClient().fetch(f"{self.base}/", headers=self._headers(), request_timeout=120)
        self.set_cookies = page.headers.get_list("Set-Cookie")
        for line in self.set_cookies:
            self.cookies.update({k: m.value for k, m in SimpleCookie(line).items()})
        token = re.search(r'"token":\s*"([^"]+)"', page.body.decode()).group(1)
        self.session_id = get_session_id(token)
        ws_url = self.base.replace("http://", "ws://", 1) + "/ws"
        socket = await websocket_connect(HTTPRequest(ws_url, headers=self._headers(), request_timeout=120),
                                         subprotocols=["bokeh", token], max_message_size=20 * 2**20)
        self.ws = WebSocketClientConnectionWrapper(socket)
        receiver = Receiver(Protocol())

        async def receive():
            while True:
                fragment = await self.ws.read_message()
                assert fragment is not None, "the server closed the websocket"
                if (message := await receiver.consume(fragment)) is not None:
                    return message

        assert (await receive()).msgtype == "ACK"
        await Protocol().create("PULL-DOC-REQ").send(self.ws)
        while (await receive()).msgtype != "PULL-DOC-REPLY":
            pass

    def close(self) -> None:
        if self.ws is not None:
            self.ws.close(1000, "done")


async def open_pages(base: str, origin: str, count: int, cookies: dict | None = None) -> list[Page]:
    """`count` pages opened at once (their connections then arrive interleaved, as a class's do)."""
    AsyncHTTPClient.configure(None, max_clients=max(10, count))
    pages = [Page(base, origin, cookies) for _ in range(count)]
    await asyncio.gather(*(page.open() for page in pages))
    return pages


def run_async(make_coroutine):
    """`asyncio.run(make_coroutine())` on a thread of its own: the browser tests leave Playwright's event loop
    on this one."""
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        return thread.submit(lambda: asyncio.run(make_coroutine())).result()
