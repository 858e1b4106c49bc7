"""A page whose server stops (a machine of the class fails, the teacher's laptop sleeps) says so in words a
student understands and offers a reload, which starts the page again once a server answers."""

from __future__ import annotations

import pytest

from ..class_servers import Server
from ..served import free_port
from .conftest import READY_TIMEOUT_MS

pytestmark = pytest.mark.browser


def test_a_page_that_loses_its_server_says_so_and_a_reload_starts_it_again(page, tmp_path):
    port = free_port()
    url = f"http://localhost:{port}/#dataset=xor"
    first = Server(port, tmp_path / "first.log", "--num-procs", "1")
    second = None
    try:
        first.wait_until_serving()
        page.goto(url)
        page.wait_for_selector(".playground-app.ready", state="attached", timeout=READY_TIMEOUT_MS)
        page.locator(".network-picture[data-frame]").wait_for(state="attached", timeout=READY_TIMEOUT_MS)
        assert page.locator(".connection-lost").count() == 0
        first.kill()
        notice = page.get_by_role("alert").filter(has_text="connection to the playground's server was lost")
        notice.wait_for(timeout=15_000)
        assert "Reload the page" in notice.inner_text() and "settings are kept" in notice.inner_text()
        assert page.evaluate("document.activeElement.textContent") == "Reload the page"
        second = Server(port, tmp_path / "second.log", "--num-procs", "1")
        second.wait_until_serving()
        page.get_by_role("button", name="Reload the page").click()
        page.wait_for_selector(".playground-app.ready", state="attached", timeout=READY_TIMEOUT_MS)
        assert page.locator(".connection-lost").count() == 0
        assert "dataset=xor" in page.url  # the settings came back with the page
        assert len(second.sessions_opened()) == 1
    finally:
        first.stop()
        if second is not None:
            second.stop()
