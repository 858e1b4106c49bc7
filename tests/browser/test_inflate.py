"""The page's synchronous inflate (assets/inflate.js) against Python's zlib, in the browser that runs it.

Every served frame goes through it too: the other browser tests draw them."""

from __future__ import annotations

import base64
import random
import zlib

import numpy as np
import pytest

from playground.resources import asset

pytestmark = pytest.mark.browser


def _cases() -> list[bytes]:
    rng = random.Random(7)
    data = [b"", b"x", bytes(range(256)) * 3, b"\x07" * 20_000,
            (b"the quick brown fox jumps over the lazy dog " * 600)[:25_000],
            bytes(rng.choice(b"\x00\x01\x02\xff") for _ in range(30_000)), rng.randbytes(5_000)]
    return data


def test_inflate_matches_zlib_on_every_block_type_and_level(page):
    page.set_content("<html><body></body></html>")
    source = asset("inflate.js").read_text(encoding="utf-8")
    cases = [(base64.b64encode(zlib.compress(raw, level)).decode(), base64.b64encode(raw).decode())
             for raw in _cases() for level in (0, 1, 6, 9)]
    mismatches = page.evaluate(
        "([source, cases]) => { const inflate = new Function(source + '\\nreturn inflate;')();"
        "  const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));"
        "  return cases.filter(([z, raw]) => { const out = inflate(bytes(z)), want = bytes(raw);"
        "    return out.length !== want.length || out.some((v, i) => v !== want[i]); }).length; }",
        [source, cases])
    assert mismatches == 0 and len(cases) == 28


def test_a_broken_stream_is_refused_with_a_message(page):
    page.set_content("<html><body></body></html>")
    source = asset("inflate.js").read_text(encoding="utf-8")
    good = zlib.compress(np.arange(4000, dtype=np.uint8).tobytes(), 6)
    messages = page.evaluate(
        "([source, streams]) => { const inflate = new Function(source + '\\nreturn inflate;')();"
        "  return streams.map((s) => { try { inflate(Uint8Array.from(s)); return 'accepted'; }"
        "    catch (e) { return e.message; } }); }",
        [source, [list(good[: len(good) // 2]), [0x78, 0x9C, 0xFF, 0xFF]]])
    assert all(m.startswith("inflate: ") for m in messages), messages

