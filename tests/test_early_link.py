"""The page's hash, posted before its document is asked for, is applied to the session's document."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from types import SimpleNamespace

import panel as pn
import pytest
from bokeh.util.token import get_session_id
from panel.io.application import build_applications

from playground.app import create_app
from playground.server import early_link, page_head

from .served import free_port, listening, wait

TOKEN = re.compile(r'"token":"([^"]+)"')


def _post(base: str, body: bytes) -> int:
    """The answer's status; 0 when the server closed the connection instead."""
    request = urllib.request.Request(base + early_link.ROUTE, data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, ConnectionError):
        return 0


@pytest.fixture(scope="module")
def served():
    """The app at /early-test, its server routing the post (as `playground serve` does)."""
    apps = build_applications({"/early-test": create_app}, title="early link test")
    port = free_port()
    server = pn.serve(apps, port=port, address="127.0.0.1", threaded=True, show=False,
                      extra_patterns=early_link.extra_patterns())
    base = f"http://127.0.0.1:{port}"
    wait(lambda: listening(port))
    try:
        yield base
    finally:
        server.stop()


def _open_page(base: str) -> tuple[str, str]:
    """(HTML, session id) of a fresh page, as a browser's GET gets them."""
    with urllib.request.urlopen(base + "/early-test", timeout=30) as response:
        html = response.read().decode()
    return html, get_session_id(TOKEN.search(html).group(1))


def _app_of(session_id: str):
    return early_link._receivers[session_id].__self__  # the page's PlaygroundApp


def test_the_page_posts_its_hash_first_thing_and_the_server_applies_it_to_the_session(served):
    html, session_id = _open_page(served)
    script = html.index('fetch("page-link"')
    assert script < html.index("bokeh.min.js") and json.dumps(session_id) in html  # before the scripts load
    app = _app_of(session_id)
    assert not app._started
    body = json.dumps({"session": session_id, "hash": "#dataset=xor&networkShape=3,2&seed=0.25&learningRate=0.1"})
    assert _post(served, body.encode()) == 204
    # applied on the server's thread: `.ready` comes last, once the settings and the first frame are in
    wait(lambda: "ready" in app._layout.css_classes)  # in the document the page will ask for
    assert (app.state.dataset, list(app.state.network_shape), app.state.learning_rate) == ("xor", [3, 2], 0.1)
    assert app.network.canvas.frame  # with the link's first frame


def _page_loads(app, reported_hash: str) -> None:
    """What the app does once the browser's page has loaded and its Location reported `reported_hash`."""
    from playground.views.page_thread import run_with_document_lock

    run_with_document_lock(app.session.doc, app._page_loaded, reported_hash)


def test_once_loaded_the_address_bar_gets_the_link_as_the_app_writes_it(served):
    """Applied before the page loaded, the link is written to the address bar only once it has: the browser's
    Location would have overwritten it with its own text."""
    _html, session_id = _open_page(served)
    app = _app_of(session_id)
    short = "#dataset=xor&networkShape=3"
    assert _post(served, json.dumps({"session": session_id, "hash": short}).encode()) == 204
    wait(lambda: "ready" in app._layout.css_classes)
    assert app.state.dataset == "xor" and app._location.hash == ""  # not yet: the page has not loaded
    _page_loads(app, short)
    full = wait(lambda: app._location.hash)
    assert full == "#" + app._hash_text() and full != short and "networkShape=3" in full


def test_a_page_without_a_hash_shows_the_servers_start_link_once_loaded(monkeypatch):
    """`playground serve --url-hash` / `--lesson`: a page opened without a hash starts from the server's link
    and shows it in its address bar."""
    from playground import app as web

    monkeypatch.setenv(web.URL_HASH_ENV, "#dataset=spiral&networkShape=5&seed=0.5")
    apps = build_applications({"/start-link": create_app}, title="start link test")
    port = free_port()
    server = pn.serve(apps, port=port, address="127.0.0.1", threaded=True, show=False,
                      extra_patterns=early_link.extra_patterns())
    try:
        base = f"http://127.0.0.1:{port}"
        wait(lambda: listening(port))
        with urllib.request.urlopen(base + "/start-link", timeout=30) as response:
            session_id = get_session_id(TOKEN.search(response.read().decode()).group(1))
        app = _app_of(session_id)
        assert _post(base, json.dumps({"session": session_id, "hash": ""}).encode()) == 204
        wait(lambda: "ready" in app._layout.css_classes)
        assert app.state.dataset == "spiral" and app._location.hash == ""
        _page_loads(app, "")
        assert "dataset=spiral" in wait(lambda: app._location.hash)
    finally:
        server.stop()


def test_a_second_post_for_a_started_page_changes_nothing(served):
    _html, session_id = _open_page(served)
    app = _app_of(session_id)
    assert _post(served, json.dumps({"session": session_id, "hash": "#networkShape=5"}).encode()) == 204
    wait(lambda: list(app.state.network_shape) == [5])
    assert _post(served, json.dumps({"session": session_id, "hash": "#networkShape=1"}).encode()) == 204
    time.sleep(0.3)
    assert list(app.state.network_shape) == [5]


def test_a_link_the_app_cannot_use_is_reported_on_the_page_not_in_the_answer(served):
    _html, session_id = _open_page(served)
    app = _app_of(session_id)
    assert _post(served, json.dumps({"session": session_id, "hash": "#learningRate=<b>lots</b>"}).encode()) == 204
    shown = wait(lambda: app.message.text.object)
    assert "learningRate" in shown and "<b>" not in shown and "&lt;b&gt;" in shown  # escaped, as any link's


@pytest.mark.parametrize("body, status", [
    (b"not json", 400),
    (b'["a list"]', 400),
    (b'{"session": 7, "hash": ""}', 400),
    (b'{"session": "no-such-session", "hash": "#networkShape=3"}', 404),
])
def test_posts_that_are_not_a_pages_link_are_refused(served, body, status):
    assert _post(served, body) == status


@pytest.mark.parametrize("size", [early_link.MAX_BODY_BYTES + 1, 50 * 2**20])
def test_a_body_larger_than_a_link_is_refused_with_413_and_the_server_goes_on(served, size):
    assert _post(served, b'{"session": "x", "hash": "' + b"a" * size + b'"}') == 413
    assert _post(served, b'{"session": "no-such-session", "hash": ""}') == 404  # and the server still answers


def test_read_post_names_what_is_wrong():
    assert early_link.read_post(b'{"session": "abc", "hash": "#x=1"}') == ("abc", "#x=1")
    with pytest.raises(ValueError, match="not JSON"):
        early_link.read_post(b"\xff")
    with pytest.raises(ValueError, match="expected"):
        early_link.read_post(b'{"session": "abc"}')


def test_a_page_is_not_made_to_post_where_nothing_routes_it(monkeypatch):
    """`panel serve playground/app.py` and notebooks: no route, so no script; the link is applied on load."""
    monkeypatch.setattr(early_link, "_routed", False)

    destroyed = []
    doc = SimpleNamespace(session_context=SimpleNamespace(id="some-session"), template=None, template_variables={},
                          on_session_destroyed=destroyed.append)
    assert not early_link.install(doc, lambda page_hash: None)
    assert early_link.HEAD_LINE not in page_head.lines(doc)
    monkeypatch.setattr(early_link, "_routed", True)
    assert early_link.install(doc, lambda page_hash: None)
    assert '"some-session"' in page_head.lines(doc)[early_link.HEAD_LINE]
    assert "some-session" in early_link._receivers


def test_the_receiver_goes_with_its_session_though_the_document_has_forgotten_it(monkeypatch):
    """Bokeh clears a document's session before running its destroy hooks: the id is kept from install."""
    monkeypatch.setattr(early_link, "_routed", True)
    destroyed = []
    doc = SimpleNamespace(session_context=SimpleNamespace(id="gone-session"), template=None, template_variables={},
                          on_session_destroyed=destroyed.append)
    early_link.install(doc, lambda page_hash: None)
    doc.session_context = None  # what `Document.destroy` does first
    (hook,) = destroyed
    hook(SimpleNamespace(id="gone-session"))
    assert "gone-session" not in early_link._receivers
