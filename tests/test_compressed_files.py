"""The page's files go out gzip-compressed, each file compressed once (server/compressed_files.py)."""

from __future__ import annotations

import asyncio
import gzip
import http.client
import os
import threading
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
import tornado.web
from bokeh.util.paths import bokehjs_path
from panel.io.application import build_applications

from playground.server import compressed_files, hosting
from playground.server.compressed_files import CompressedCache, accepts_gzip

from .served import free_port

SCRIPT = "".join(f"function step{i}(x) {{ return x * {i} + {i % 7}; }}\n" for i in range(3000)).encode()
GZIP = {"Accept-Encoding": "gzip, deflate, br"}


class Script(tornado.web.RequestHandler):
    """JavaScript written by a handler, not a file: no Last-Modified."""

    def get(self):
        self.set_header("Content-Type", "application/javascript")
        self.write(SCRIPT)


@dataclass
class Files:
    port: int
    folder: Path
    cache: CompressedCache

    def get(self, path: str, method: str = "GET", **headers) -> tuple[int, dict, bytes]:
        """(status, headers, body as sent)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, headers=headers)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()


@pytest.fixture
def files(tmp_path):
    """A tornado app serving `tmp_path` as static files, compressed, on a thread and event loop of its own (the
    browser tests' Playwright keeps one running on the main thread)."""
    (tmp_path / "app.js").write_bytes(SCRIPT)
    (tmp_path / "tiny.css").write_bytes(b"a{}")
    app = tornado.web.Application([(r"/static/(.*)", tornado.web.StaticFileHandler, {"path": str(tmp_path)}),
                                   (r"/made.js", Script)])
    cache = compressed_files.install(app)
    port, started, loops = free_port(), threading.Event(), []

    def serve() -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        server = app.listen(port, address="127.0.0.1")
        loops.append(loop)
        started.set()
        loop.run_forever()
        server.stop()
        loop.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert started.wait(10)
    yield Files(port, tmp_path, cache)
    loops[0].call_soon_threadsafe(loops[0].stop)
    thread.join(10)


def test_a_script_goes_out_compressed_and_is_compressed_once(files):
    answers = [files.get("/static/app.js", **GZIP) for _ in range(2)]
    for status, headers, body in answers:
        assert status == 200 and headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in headers["Vary"]
        assert gzip.decompress(body) == SCRIPT
    _status, headers, body = answers[1]
    assert len(body) < len(SCRIPT) / 4
    assert int(headers["Content-Length"]) == len(body)  # sent whole from memory
    assert files.cache.compressions == 1


def test_a_changed_file_is_compressed_anew(files):
    files.get("/static/app.js", **GZIP)
    changed = SCRIPT.replace(b"step", b"next_step")
    (files.folder / "app.js").write_bytes(changed)
    _status, _headers, body = files.get("/static/app.js", **GZIP)
    assert gzip.decompress(body) == changed
    assert files.cache.compressions == 2


@pytest.mark.parametrize("headers", [{}, {"Accept-Encoding": "gzip;q=0, identity"}, {"Accept-Encoding": "br"}])
def test_without_gzip_the_file_goes_as_it_is(files, headers):
    status, answer, body = files.get("/static/app.js", **headers)
    assert status == 200 and "Content-Encoding" not in answer and body == SCRIPT
    assert "Accept-Encoding" in answer["Vary"]
    assert files.cache.compressions == 0


def test_what_is_not_a_whole_file_is_left_alone(files):
    made = files.get("/made.js", **GZIP)  # no Last-Modified: an answer made for this request
    ranged = files.get("/static/app.js", Range="bytes=0-99", **GZIP)
    tiny = files.get("/static/tiny.css", **GZIP)
    head = files.get("/static/app.js", method="HEAD", **GZIP)
    assert made[2] == SCRIPT and tiny[2] == b"a{}"
    assert ranged[0] == 206 and ranged[2] == SCRIPT[:100]
    for _status, headers, _body in (made, ranged, tiny, head):
        assert "Content-Encoding" not in headers
    assert files.cache.compressions == 0


def test_the_cache_keeps_the_latest_files_within_its_limit():
    cache = CompressedCache(limit_bytes=250)
    for name in "abc":
        cache.put(name, b"x" * 100)
    assert cache.get("a") is None and cache.get("b") == b"x" * 100
    cache.put("d", b"y" * 100)  # "b" was sent last: "c" goes
    assert cache.get("c") is None and cache.get("b") and cache.get("d")
    assert cache.size == 200
    cache.put("big", b"z" * 300)  # larger than the whole cache: sent, never kept
    assert cache.get("big") is None and cache.size == 200


@pytest.mark.parametrize("header, takes", [
    ("gzip, deflate, br", True), ("GZIP", True), ("br;q=1.0, gzip;q=0.8", True), ("x-gzip", True),
    ("gzip;q=0", False), ("gzip; q=0.0", False), ("identity", False), ("", False), ("gzipped", False),
])
def test_accepts_gzip(header, takes):
    assert accepts_gzip({"Accept-Encoding": header}) is takes


def test_the_served_app_sends_bokehs_script_compressed():
    import panel as pn

    apps = build_applications({"/": lambda: pn.pane.Markdown("hi")}, title="compressed files")
    port = free_port()
    server = hosting.serve(apps, port=port, address="127.0.0.1", threaded=True)
    try:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/static/js/bokeh.min.js",
                                         headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            body = gzip.decompress(response.read())
    finally:
        server.stop()
    with open(os.path.join(bokehjs_path(), "js", "bokeh.min.js"), "rb") as original:
        assert body == original.read()
