"""A page that has applied its link gets the next page's session built; the next page is served that one,
and it works as a page of its own (its own link, its own training)."""

from __future__ import annotations

import re
import time

import pytest
from bokeh.util.token import get_session_id

from playground.server import spare_sessions

from .conftest import epoch_of

pytestmark = pytest.mark.browser

TOKEN = re.compile(r'"token":"([^"]+)"')


def _spare_of_app(timeout_s: float = 30.0):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = [s.spare for s in list(spare_sessions._spares.values()) if s._context.url == "/app" and s.spare]
        if found:
            return found[0]
        time.sleep(0.05)
    raise AssertionError("no session was built ahead after a page applied its link")


def test_the_next_page_gets_the_session_built_ahead_and_runs_its_own_link(open_app, context):
    open_app("#dataset=circle&seed=0.5")
    spare = _spare_of_app()
    second = open_app("#dataset=xor&networkShape=3&seed=0.25", target=context.new_page())
    assert get_session_id(TOKEN.search(second.content()).group(1)) == spare.id
    assert "selected" in second.locator(".dataset-thumb.dataset-xor").get_attribute("class").split()
    second.keyboard.press("ArrowRight")  # the page's own session answers: one step
    second.locator(".epoch-counter", has_text="000,001").wait_for(timeout=5_000)
    assert epoch_of(second) == 1
