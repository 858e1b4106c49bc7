"""Shared browser harness: the app served in-process, driven by Debian's chromium through pytest-playwright.

Fixtures:
- `app_url`: base URL of a Panel server running `create_app` on a free port (one per test session).
- `open_app(hash="", page=None)`: opens the app (optionally with a playground link hash such as
  "#dataset=xor&networkShape=3") and waits until the link is applied and the first frame drawn; returns
  the page.
- `browser_type_launch_args`: chromium at /usr/bin/chromium, headless; never `playwright install`.
- `no_uncaught_page_errors` (automatic): a test whose pages throw an uncaught JavaScript error fails.
A failing test leaves a screenshot in `test-results/<test name>.png`.

Mark tests `@pytest.mark.browser`; the whole directory is skipped where chromium is missing. The app's
stable selectors (CSS classes, accessible names) are listed in README.md here.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from playground.server import tuning as server_tuning

from ..served import free_port, listening, wait

server_tuning.set_environment()  # as the app's server process does, before numpy loads

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
RESULTS = Path(__file__).resolve().parents[2] / "test-results"
READY_TIMEOUT_MS = 30_000


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not found (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def app_url():
    import panel as pn
    from panel.io.application import build_applications

    from playground.app import create_app
    from playground.server import early_link
    from playground.server.spare_sessions import SpareSessionHandler

    port = free_port()
    apps = build_applications({"app": create_app})
    apps["/app"].add(SpareSessionHandler())  # as `playground serve` does: pages get sessions built ahead
    server = pn.serve(apps, port=port, address="127.0.0.1", threaded=True, show=False,
                      websocket_origin=[f"127.0.0.1:{port}", f"localhost:{port}"],
                      extra_patterns=early_link.extra_patterns())  # as `playground serve` does
    try:
        wait(lambda: listening(port))
        yield f"http://127.0.0.1:{port}/app"
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1000}}


@pytest.fixture(autouse=True)
def no_uncaught_page_errors(request):
    """Every browser test fails on an uncaught JavaScript error in its pages: one thrown inside Bokeh's
    handling of a message stops the rest of that message (seen as a pause message that never showed)."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    errors: list[str] = []
    page.context.on("weberror", lambda error: errors.append(str(error.error)))
    yield
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.fixture
def open_app(page, app_url):
    """Open the app at `hash` and wait until it is ready (link applied, first frame drawn on the canvas) and
    complete (the parts that follow the first frame are there)."""

    def open_(hash: str = "", target=None):
        target = target or page
        if hash and not hash.startswith("#"):
            hash = "#" + hash
        target.goto(app_url + hash)
        target.wait_for_selector(".playground-app.ready.complete", state="attached", timeout=READY_TIMEOUT_MS)
        target.wait_for_function(
            """() => { const find = (root) => { const el = root.querySelector('.train-loss');
                if (el) return el; for (const n of root.querySelectorAll('*'))
                  if (n.shadowRoot) { const f = find(n.shadowRoot); if (f) return f; } return null; };
              const el = find(document); return el && el.dataset.epoch !== undefined; }""",
            timeout=READY_TIMEOUT_MS)
        target.locator(".network-picture[data-frame]").wait_for(state="attached", timeout=READY_TIMEOUT_MS)
        return target

    return open_


def epoch_of(page) -> int:
    """The epoch counter as a number."""
    return int(re.sub(r"\D", "", page.locator(".epoch-counter").inner_text()))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    page = item.funcargs.get("page")
    if page is None:
        return
    try:
        RESULTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", item.name)
        page.screenshot(path=str(RESULTS / f"{name}.png"), full_page=True)
    except Exception:  # a closed page must not hide the real failure
        pass
