"""Untrusted text is text: a corpus of payloads through every link key, a CSV file's cells and its name in
the app, and every link key of an exported notebook's HTML. Fails if any dialog opens or any injected
element appears. One page load per payload carries it in every link key at once."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from playground.domain.links import KEYS, MAX_LINK_CHARS
from playground.domain.state import HIDABLE_CONTROLS

from ..cli_process import COMMAND, REPO
from .untrusted import PAYLOADS, assert_nothing_ran, watch_dialogs

pytestmark = pytest.mark.browser

LINK_KEYS = [*KEYS, "lesson", *(f"{control}_hide" for control in HIDABLE_CONTROLS)]
URL_LIMIT = 1_500_000  # chromium refuses URLs past 2 MB: a huge payload is spread over several loads


def payload_hashes(payload: str, limit: int = URL_LIMIT) -> list[str]:
    """Hashes carrying `payload` in every link key (and as a key of its own), as few as fit in `limit`
    characters (a part longer than that alone makes a hash of its own)."""
    parts = [f"{key}={payload}" for key in LINK_KEYS] + [f"{payload}=1"]
    hashes, current = [], []
    for part in parts:
        if current and sum(len(p) + 1 for p in current) + len(part) > limit:
            hashes.append("&".join(current))
            current = []
        current.append(part)
    return hashes + ["&".join(current)]


def trials_in_the_app() -> int:
    return len(PAYLOADS) * (len(LINK_KEYS) + 1 + 2)  # every link key, the payload as a key, CSV cell and name


@pytest.mark.parametrize("name", PAYLOADS)
def test_link_payloads_in_the_app(open_app, page, name):
    """The payload goes in raw; the browser percent-encodes some of its characters (< > " space) and not
    others (' ( ) :), and the app shows whatever arrives as text."""
    opened = watch_dialogs(page)
    for hash_ in payload_hashes(PAYLOADS[name]):
        open_app("#" + hash_)
        page.locator(".app-message").wait_for(timeout=10_000)
        assert_nothing_ran(page, opened, f"{name} in the link")
    page.get_by_role("button", name="Play").click()  # the page still works
    page.get_by_role("button", name="Pause").wait_for(timeout=10_000)


def csv_file(name: str, body: str) -> dict:
    return {"name": name, "mimeType": "text/csv", "buffer": body.encode()}


def test_csv_payloads_in_cells_and_file_names(open_app, page):
    opened = watch_dialogs(page)
    open_app("#dataset=circle&seed=0.5")
    upload = page.locator(".csv-upload input[type=file]")
    error = page.locator(".data-error")
    for name, payload in PAYLOADS.items():
        upload.set_input_files(csv_file(f"{name}.csv", f"x,y,label\n1,2,1\n{payload},1,1\n"))
        error.get_by_text(f"{name}.csv: line ").wait_for(timeout=10_000)
        assert_nothing_ran(page, opened, f"{name} in a CSV cell")
        file_name = payload.replace("/", "∕") + ".csv"  # a file name cannot hold '/'
        shown = error.inner_text()
        upload.set_input_files(csv_file(file_name, "x,y,label\n1,2,1\nnot a number,1,1\n"))
        # the message naming this file replaces the one above (a 100 KB name is cut before the reason)
        expect(error).not_to_have_text(shown, timeout=10_000)
        assert_nothing_ran(page, opened, f"{name} as the CSV file's name")
    upload.set_input_files(csv_file("good.csv", "x,y,label\n1,2,1\n-1,-2,-1\n3,1,1\n"))
    error.get_by_text("Loaded 3 points.").wait_for(timeout=10_000)


@pytest.fixture(scope="module")
def exported_pages(tmp_path_factory):
    """`playground export --html` of links carrying each payload in every link key, each link as long as a
    playground link can be; a link longer than that (the huge payload) is refused whole, writing nothing.
    Run as a user runs it, in a process of its own: running a notebook imports ipykernel, and in this process
    the app's server (other tests' pages) would then take itself for a notebook's."""
    out = tmp_path_factory.mktemp("untrusted-export")
    pages = {}
    for name, payload in PAYLOADS.items():
        for i, hash_ in enumerate(payload_hashes(payload, limit=MAX_LINK_CHARS - 1)):
            html = out / f"{name}-{i}.html"
            done = subprocess.run([*COMMAND, "export", "--url", "#" + hash_, "--epochs", "1",
                                   "--out", str(out / f"{name}-{i}.ipynb"), "--html", str(html)],
                                  cwd=REPO, capture_output=True, timeout=300).returncode
            if len(hash_) + 1 > MAX_LINK_CHARS:
                assert done == 2 and not html.exists()
            else:
                assert done == 0
                pages[f"{name}-{i}"] = html
    assert {page.rsplit("-", 1)[0] for page in pages} == set(PAYLOADS) - {"huge"}
    return pages


def test_export_html_payloads(exported_pages, browser):
    page = browser.new_page()
    opened = watch_dialogs(page)
    for name, html in exported_pages.items():
        page.goto(Path(html).as_uri())
        page.wait_for_load_state("load")
        assert_nothing_ran(page, opened, f"{name} in the exported HTML")
        text = page.locator("body").inner_text()
        assert "What it means" in text and "Notes on reading the link" in text
        rows = page.locator("table").first.locator("tbody tr").count()
        assert rows == 17, f"{name}: the settings table has {rows} rows"  # a newline did not break it
    page.close()
