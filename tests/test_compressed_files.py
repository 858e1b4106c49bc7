"""The page's files go out gzip-compressed, each file compressed once (server/compressed_files.py)."""

from __future__ import annotations

import gzip
import os
import shutil
import tempfile
import urllib.request

import pytest
import tornado.web
from bokeh.util.paths import bokehjs_path
from panel.io.application import build_applications
from tornado.testing import AsyncHTTPTestCase

from playground.server import compressed_files, hosting
from playground.server.compressed_files import CompressedCache, accepts_gzip

from .served import free_port

SCRIPT = "".join(f"function step{i}(x) {{ return x * {i} + {i % 7}; }}\n" for i in range(3000)).encode()


class Script(tornado.web.RequestHandler):
    """JavaScript written by a handler, not a file: no Last-Modified."""

    def get(self):
        self.set_header("Content-Type", "application/javascript")
        self.write(SCRIPT)


class CompressedFilesTest(AsyncHTTPTestCase):
    def get_app(self):
        self.folder = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.folder)
        self.write_file("app.js", SCRIPT)
        self.write_file("tiny.css", b"a{}")
        files = (r"/static/(.*)", tornado.web.StaticFileHandler, {"path": self.folder})
        app = tornado.web.Application([files, (r"/made.js", Script)])
        self.cache = compressed_files.install(app)
        return app

    def write_file(self, name: str, body: bytes) -> None:
        with open(os.path.join(self.folder, name), "wb") as out:
            out.write(body)

    def get(self, path: str, **headers):
        return self.fetch(path, headers=headers, decompress_response=False)

    def test_a_script_goes_out_compressed_and_is_compressed_once(self):
        gz = {"Accept-Encoding": "gzip, deflate, br"}
        first, second = (self.get("/static/app.js", **gz) for _ in range(2))
        for response in (first, second):
            assert response.headers["Content-Encoding"] == "gzip"
            assert "Accept-Encoding" in response.headers["Vary"]
            assert gzip.decompress(response.body) == SCRIPT
        assert len(second.body) < len(SCRIPT) / 4
        assert int(second.headers["Content-Length"]) == len(second.body)  # sent whole from memory
        assert self.cache.compressions == 1

    def test_a_changed_file_is_compressed_anew(self):
        self.get("/static/app.js", **{"Accept-Encoding": "gzip"})
        changed = SCRIPT.replace(b"step", b"next_step")
        self.write_file("app.js", changed)
        response = self.get("/static/app.js", **{"Accept-Encoding": "gzip"})
        assert gzip.decompress(response.body) == changed
        assert self.cache.compressions == 2

    def test_without_gzip_the_file_goes_as_it_is(self):
        for headers in ({}, {"Accept-Encoding": "gzip;q=0, identity"}, {"Accept-Encoding": "br"}):
            response = self.get("/static/app.js", **headers)
            assert "Content-Encoding" not in response.headers, headers
            assert response.body == SCRIPT
            assert "Accept-Encoding" in response.headers["Vary"]
        assert self.cache.compressions == 0

    def test_what_is_not_a_whole_file_is_left_alone(self):
        gz = {"Accept-Encoding": "gzip"}
        made = self.get("/made.js", **gz)  # no Last-Modified: an answer made for this request
        ranged = self.get("/static/app.js", Range="bytes=0-99", **gz)
        tiny = self.get("/static/tiny.css", **gz)
        head = self.fetch("/static/app.js", method="HEAD", headers=gz)
        assert made.body == SCRIPT and tiny.body == b"a{}"
        assert ranged.code == 206 and ranged.body == SCRIPT[:100]
        for response in (made, ranged, tiny, head):
            assert "Content-Encoding" not in response.headers
        assert self.cache.compressions == 0


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
