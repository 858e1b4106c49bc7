"""A page served as `playground serve` serves it gets its scripts and stylesheets compressed, and runs on them
(server/compressed_files.py)."""

from __future__ import annotations

import pytest

from ..served import served_app
from .conftest import READY_TIMEOUT_MS

pytestmark = pytest.mark.browser

FILES = """() => performance.getEntriesByType('resource')
  .filter((e) => /\\.(js|css)(\\?|$)/.test(e.name))
  .map((e) => ({name: e.name.split('?')[0], sent: e.encodedBodySize, size: e.decodedBodySize}))"""


@pytest.fixture(scope="module")
def served_url():
    with served_app("compressed page") as base:
        yield base + "/"


def test_the_page_runs_on_compressed_scripts(page, served_url):
    page.goto(served_url + "#dataset=xor&networkShape=3")
    page.wait_for_selector(".playground-app.ready.complete", state="attached", timeout=READY_TIMEOUT_MS)
    page.locator(".network-picture[data-frame]").wait_for(state="attached", timeout=READY_TIMEOUT_MS)
    files = page.evaluate(FILES)
    names = {f["name"].rsplit("/", 1)[-1] for f in files}
    assert {"bokeh.min.js", "panel.min.js", "components.bundle.js", "app.css"} <= names, names
    size, sent = sum(f["size"] for f in files), sum(f["sent"] for f in files)
    assert size > 2_000_000 and sent < size / 3, files
    assert all(f["sent"] < f["size"] for f in files if f["size"] >= 4096), files
