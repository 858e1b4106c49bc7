"""The page's scripts and stylesheets sent gzip-compressed, each file compressed once.

A page pulls ~2.9 MB of Bokeh's and Panel's scripts; a class of 60 opening the page at once pulls ~177 MB
through one laptop's Wi-Fi. Compressed they are about a quarter of that. Tornado's own `compress_response`
would compress them again for every page (~85 ms of the server's CPU each, while a class joins); here the
first answer for a file is compressed as it streams and kept, and every later one is sent from memory.

Only files are kept: answers with a `Last-Modified` and an `Etag` (tornado's static files, Bokeh's and
Panel's alike), keyed by path, Etag, Last-Modified and length, so a changed file is compressed anew (tornado
keeps a file's Etag for the life of the process). The HTML page (4.5 KB) and the websocket are left as they
are. `install(app)` adds it to a tornado Application, with its public `add_transform`.
"""

from __future__ import annotations

import functools
import zlib
from collections import OrderedDict

from tornado.web import OutputTransform

TYPES = ("application/javascript", "text/javascript", "text/css")
LEVEL = 6  # level 9 saves 0.3 % more for 30 % more time on the first page
MIN_BYTES = 1024
CACHE_BYTES = 16 * 1024 * 1024  # compressed; the page's own files take ~0.8 MB
FILE_HEADERS = ("Etag", "Last-Modified", "Content-Length")  # with the path: which content this is


class CompressedCache:
    """Compressed bodies by (path, Etag, Last-Modified, length); the least recently sent go first beyond
    `limit_bytes`."""

    def __init__(self, limit_bytes: int = CACHE_BYTES):
        self.limit_bytes = limit_bytes
        self.bodies: OrderedDict[tuple, bytes] = OrderedDict()
        self.size = 0  # bytes kept
        self.compressions = 0  # files compressed so far (a file sent again from memory does not count)

    def get(self, key: tuple) -> bytes | None:
        body = self.bodies.get(key)
        if body is not None:
            self.bodies.move_to_end(key)
        return body

    def put(self, key: tuple, body: bytes) -> None:
        self.compressions += 1
        if len(body) > self.limit_bytes:
            return
        self.size += len(body) - len(self.bodies.pop(key, b""))
        self.bodies[key] = body
        while self.size > self.limit_bytes:
            self.size -= len(self.bodies.popitem(last=False)[1])


class CompressedFiles(OutputTransform):
    """A tornado output transform: gzip for file answers of `TYPES`, from `cache` after the first."""

    def __init__(self, cache: CompressedCache, request):
        self.cache = cache
        self.request = request
        self.mode = None  # None: untouched; "cached": whole body sent with the first chunk; "compressing"

    def transform_first_chunk(self, status_code, headers, chunk: bytes, finishing: bool):
        content_type = headers.get("Content-Type", "").split(";")[0].strip()
        if content_type not in TYPES:
            return status_code, headers, chunk
        headers.add("Vary", "Accept-Encoding")
        key = (self.request.path, *map(headers.get, FILE_HEADERS))
        if not (status_code == 200 and self.request.method == "GET" and None not in key
                and int(key[3]) >= MIN_BYTES and "Content-Encoding" not in headers
                and accepts_gzip(self.request.headers)):
            return status_code, headers, chunk
        headers["Content-Encoding"] = "gzip"
        body = self.cache.get(key)
        if body is not None:
            self.mode = "cached"
            headers["Content-Length"] = str(len(body))
            return status_code, headers, body
        self.mode, self.key, self.parts = "compressing", key, []
        self.compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # 16+: a gzip header
        chunk = self.transform_chunk(chunk, finishing)
        if finishing:
            headers["Content-Length"] = str(len(chunk))
        else:
            headers.pop("Content-Length", None)  # sent chunked
        return status_code, headers, chunk

    def transform_chunk(self, chunk: bytes, finishing: bool) -> bytes:
        if self.mode == "cached":
            return b""
        if self.mode != "compressing":
            return chunk
        out = self.compressor.compress(chunk)
        if finishing:
            out += self.compressor.flush()
        self.parts.append(out)
        if finishing:
            self.cache.put(self.key, b"".join(self.parts))
        return out


def accepts_gzip(headers) -> bool:
    """Whether a request's `Accept-Encoding` takes gzip (and not as `gzip;q=0`)."""
    for coding in headers.get("Accept-Encoding", "").lower().split(","):
        name, *params = (part.strip() for part in coding.split(";"))
        if name in ("gzip", "x-gzip"):
            return not any(param.replace(" ", "").rstrip("0.") == "q=" for param in params)
    return False


def install(app, cache: CompressedCache | None = None) -> CompressedCache:
    """Compress `app`'s file answers from now on; returns the cache (its `compressions` count)."""
    cache = cache if cache is not None else CompressedCache()
    app.add_transform(functools.partial(CompressedFiles, cache))
    return cache
