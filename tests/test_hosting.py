"""What `playground serve` refuses: other host names (DNS rebinding), for pages and websockets alike; sessions a
client names; ids it did not sign. And what it still serves: its own names, any IP address, signed spares."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request

import pytest
from bokeh.util.token import check_session_id_signature, generate_jwt_token, generate_session_id
from panel.io.application import build_applications
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from playground.app import create_app
from playground.server import early_link, hosting, session_ids
from playground.server.spare_sessions import SpareSessionHandler

from .pages import bare_page, connected_page, run_async
from .served import free_port, wait


@pytest.fixture(scope="module")
def served():
    apps = build_applications({"/": create_app}, title="hosting test")
    apps["/"].add(SpareSessionHandler())
    port = free_port()
    server = hosting.serve(apps, port=port, address="127.0.0.1", threaded=True,
                           origins=[f"classroom.example:{port}"], extra_patterns=early_link.extra_patterns())
    try:
        yield f"http://127.0.0.1:{port}", port, server.server
    finally:
        server.stop()


def _status(url: str, headers: dict | None = None, data: bytes | None = None) -> int:
    request = urllib.request.Request(url, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _websocket(port: int, host: str, origin: str, token: str) -> str:
    """"served" when the server's first message comes, "closed" when it closes the socket instead, else the
    status that refused the handshake."""
    async def connect() -> str:
        request = HTTPRequest(f"ws://127.0.0.1:{port}/ws", headers={"Host": host, "Origin": origin},
                              request_timeout=60)
        try:
            ws = await websocket_connect(request, subprotocols=["bokeh", token])
        except HTTPClientError as error:
            return str(error.code)
        first = await ws.read_message()
        ws.close()
        return "served" if first is not None else "closed"

    return run_async(connect)


def test_a_page_for_another_host_name_is_refused_and_so_is_its_websocket(served):
    base, port, _server = served
    evil = f"evil.example:{port}"  # a name that resolves to this machine (DNS rebinding)
    assert _status(base + "/", {"Host": evil}) == 403
    assert _status(base + "/static/js/bokeh.min.js", {"Host": evil}) == 403
    assert _status(base + "/", {"X-Forwarded-Host": evil}) == 403  # tornado would take it over Host
    _html, _session_id, token = bare_page(base)  # a real page's token
    assert _websocket(port, evil, f"http://{evil}", token) == "403"  # Origin equals Host: tornado would accept
    assert _websocket(port, f"127.0.0.1:{port}", f"http://127.0.0.1:{port}", token) == "served"


@pytest.mark.parametrize("host", ["localhost:{port}", "127.0.0.1:{port}", "192.168.1.20:{port}",
                                  "classroom.example:{port}"])
def test_the_servers_own_names_and_any_ip_address_are_served(served, host):
    base, port, _server = served
    assert _status(base + "/", {"Host": host.format(port=port)}) == 200


def test_host_names_from_the_command_line():
    names = hosting.HostNames("teacher.local", ["class.example:5006", "*.school.example:*"])
    assert all(names.allows(h) for h in ("teacher.local:5006", "LOCALHOST", "class.example", "a.school.example:80",
                                         "10.0.0.7:5006"))
    assert not any(names.allows(h) for h in ("evil.example:5006", "school.example.evil.com", "", "localhost.evil",
                                             "[::1]:5006"))  # Panel cannot serve a page reached by IPv6
    assert hosting.HostNames("0.0.0.0", ["*"]).allows("anything.example")
    assert not hosting.HostNames("0.0.0.0").allows("0.0.0.0.evil.example")


def test_a_session_named_by_the_client_is_refused_even_one_the_server_made(served):
    base, _port, _server = served
    _html, session_id, token = bare_page(base)  # a page of someone else's, its id and token copied
    assert _status(f"{base}/?bokeh-session-id=chosen-by-me") == 403
    assert _status(f"{base}/?bokeh-session-id={session_id}") == 403
    assert _status(f"{base}/?bokeh-token={token}") == 403
    assert _status(base + "/", {"Bokeh-Session-Id": session_id}) == 403
    assert bare_page(base)[1] != session_id  # a plain page gets a session of its own


def test_session_ids_are_signed_and_a_made_up_one_cannot_connect_nor_fill_the_log(served, caplog):
    base, port, server = served
    _html, session_id, _token = bare_page(base)
    assert check_session_id_signature(session_id, secret_key=session_ids.secret_key(), signed=True)
    made_up = generate_session_id(signed=False)
    own_origin = (f"127.0.0.1:{port}", f"http://127.0.0.1:{port}")
    forged = generate_jwt_token(made_up, secret_key=b"not the server's key" * 2, signed=True)
    with caplog.at_level(logging.WARNING):
        for token in [generate_jwt_token(made_up, signed=False), forged, "not-a-token"] * 3:
            assert _websocket(port, *own_origin, token) == "403"  # Bokeh would log a traceback for each
    assert made_up not in {s.id for s in server.get_sessions("/")}
    assert not [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]
    assert len([r for r in caplog.records if r.name == "playground.server.hosting"]) <= 1  # once a minute


def test_the_first_page_gets_the_spare_built_ahead_with_a_signed_id():
    apps = build_applications({"/": create_app}, title="spare test")
    apps["/"].add(SpareSessionHandler())
    port = free_port()
    server = hosting.serve(apps, port=port, address="127.0.0.1", threaded=True)
    try:
        spare = wait(lambda: [s for s in server.server.get_sessions("/") if s.expiration_blocked])[0]
        _html, session_id, _token = bare_page(f"http://127.0.0.1:{port}")
        assert session_id == spare.id
        assert check_session_id_signature(session_id, secret_key=session_ids.secret_key(), signed=True)
    finally:
        server.stop()


def _post_link(base: str, session_id: str, headers: dict) -> int:
    body = json.dumps({"session": session_id, "hash": "#networkShape=6,6,6,6,6,6"}).encode()
    return _status(base + early_link.ROUTE, headers, data=body)


def test_only_the_pages_own_json_post_reaches_its_session(served):
    base, port, _server = served
    _html, session_id, _token = bare_page(base)
    evil = "http://attacker.example"
    # fetch(..., {mode: "no-cors", headers: {"Content-Type": "text/plain"}}) from another site
    assert _post_link(base, session_id, {"Content-Type": "text/plain", "Origin": evil,
                                         "Sec-Fetch-Site": "cross-site"}) == 403
    assert _post_link(base, session_id, {"Content-Type": "text/plain", "Origin": evil}) == 403  # older browsers
    assert _post_link(base, session_id, {"Content-Type": "text/plain"}) == 415  # a simple request's type
    assert _post_link(base, session_id, {"Content-Type": "application/x-www-form-urlencoded"}) == 415
    assert _post_link(base, session_id, {"Content-Type": "application/json", "Origin": evil}) == 403
    behind_a_proxy = {"Content-Type": "application/json", "Origin": "http://localhost", "Host": f"localhost:{port}"}
    assert _post_link(base, session_id, behind_a_proxy) == 204  # the proxy added the port to the Host
    page = {"Content-Type": "application/json", "Origin": f"http://127.0.0.1:{port}", "Sec-Fetch-Site": "same-origin"}
    assert _post_link(base, session_id, page) == 204


def test_a_page_opened_and_connected_through_the_protections_works(served):
    base, _port, server = served

    async def open_and_close() -> str:
        page = await connected_page(base)
        page.close()
        return page.session_id

    session_id = run_async(open_and_close)
    assert session_id in {s.id for s in server.get_sessions("/")}
