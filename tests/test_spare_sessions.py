"""A session built ahead is handed to the next plain page request, with a token made for that request."""

from __future__ import annotations

import re
import time
import urllib.request

import panel as pn
import pytest
from bokeh.util.token import get_session_id, get_token_payload
from panel.io.application import build_applications

from playground.app import create_app
from playground.server import spare_sessions
from playground.server.spare_sessions import SpareSessionHandler

from .served import free_port, wait

TOKEN = re.compile(r'"token":"([^"]+)"')


def _spares_of(path: str):
    found = [s for s in list(spare_sessions._spares.values()) if s._context.url == path]
    return found[0] if found else None


def _page_token(url: str, headers: dict | None = None) -> str:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return TOKEN.search(response.read().decode()).group(1)


@pytest.fixture(scope="module")
def served():
    """The app at /spare-test with a spare built at server start (as `playground serve` does)."""
    apps = build_applications({"/spare-test": create_app}, title="spare test")
    apps["/spare-test"].add(SpareSessionHandler())
    port = free_port()
    server = pn.serve(apps, port=port, address="127.0.0.1", threaded=True, show=False)
    try:
        spares = wait(lambda: _spares_of("/spare-test"))
        yield f"http://127.0.0.1:{port}/spare-test", spares
    finally:
        server.stop()


def test_the_spare_built_at_start_goes_to_the_first_page_with_its_request(served):
    url, spares = served
    spare = wait(lambda: spares.spare)
    assert spare.expiration_blocked  # waiting unused, it is not discarded
    token = _page_token(url, {"X-Playground-Test": "first page"})
    assert get_session_id(token) == spare.id and spares.spare is None
    assert spare.token == token
    payload = get_token_payload(token)
    assert payload["headers"]["X-Playground-Test"] == "first page"  # the page's own request, not the spare's
    assert spare.document.session_context.request.headers["X-Playground-Test"] == "first page"


def test_without_a_spare_the_page_gets_a_session_of_its_own(served):
    url, spares = served
    spares.build_soon(delay_s=0)
    spare = wait(lambda: spares.spare)
    assert get_session_id(_page_token(url)) == spare.id
    before = {s.id for s in spares._context.sessions}
    token = _page_token(url)  # no page has shown its link since: nothing was built ahead
    assert get_session_id(token) not in before and spares.spare is None


def test_a_page_asking_with_arguments_never_gets_the_spare(served):
    url, spares = served
    spares.build_soon(delay_s=0)
    spare = wait(lambda: spares.spare)
    token = _page_token(url + "?theme=dark")
    assert get_session_id(token) != spare.id and spares.spare is spare


def test_a_handed_out_session_can_expire_after_the_grace(served, monkeypatch):
    url, spares = served
    monkeypatch.setattr(spare_sessions, "HANDOVER_GRACE_S", 0.2)
    spares.build_soon(delay_s=0)
    spare = wait(lambda: spares.spare)
    assert get_session_id(_page_token(url)) == spare.id
    wait(lambda: not spare.expiration_blocked, timeout_s=5)


def test_build_soon_outside_a_server_does_nothing():
    from bokeh.document import Document

    spare_sessions.build_soon(None)
    spare_sessions.build_soon(Document())  # no session context: a notebook or a test


def test_an_app_without_the_handler_never_builds_ahead():
    """`--classroom` and `panel serve app.py`: every page builds its own session, as Bokeh does."""
    from panel.io.state import state

    apps = build_applications({"/no-spares": create_app}, title="no spares")
    port = free_port()
    server = pn.serve(apps, port=port, address="127.0.0.1", threaded=True, show=False)
    try:
        bokeh_server = wait(lambda: state._servers.get(server.server_id, [None])[0])
        wait(lambda: _page_token(f"http://127.0.0.1:{port}/no-spares"))
        [session] = bokeh_server.get_sessions("/no-spares")
        spare_sessions.build_soon(session.document)  # what a page calls once its link is applied
        time.sleep(1.0)
        assert _spares_of("/no-spares") is None and len(bokeh_server.get_sessions("/no-spares")) == 1
    finally:
        server.stop()
