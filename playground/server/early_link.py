"""The page's own link, sent by the page before its scripts load, so that the document it receives shows it.

A URL's hash never reaches the server with the page's GET, and the browser reports it only once Bokeh has
built the page's views: the server then applied the link and sent its first frame, and the browser laid
the page out again (~130 ms of an ~850 ms load here, `scripts/profile_page.py --timeline`). Instead, a few
lines at the top of the page's HTML post `location.hash` with the page's session id as soon as the HTML is
parsed, long before the websocket asks for the document (~400 ms later, behind ~3 MB of scripts): the
server applies the link to the session's document, which then arrives with the link's settings, controls,
first frame and `.ready`.

Nothing depends on it: a page whose post fails, comes too late, or reaches another worker process
(`--num-procs`) has its link applied when it has loaded, as before. Only a server that routes the post
(`playground serve`, the browser tests) makes pages send it: `extra_patterns()` says so.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from urllib.parse import urlsplit

import tornado.web

from . import page_head

ROUTE = "/page-link"
MAX_BODY_BYTES = 64 * 1024  # a link is a few hundred characters; anything larger is not one
DISCARD_LIMIT_BYTES = 64 * 2**20  # a larger body is not even read to its end (`PageLinkHandler`)
HEAD_LINE = "early link"  # its name among the page's head lines (page_head.py)
# Posted on the next task, once the parser has asked for the scripts below it (the server sends those first:
# posting at once made them ~30 ms later); the page neither waits for the answer nor reads it.
SCRIPT = """<script>
setTimeout(() => fetch("page-link", {method: "POST", headers: {"Content-Type": "application/json"},
  body: JSON.stringify({session: %s, hash: location.hash})}).catch(() => {}), 0);
</script>"""

_routed = False  # this process's server routes the post (set by extra_patterns)
_receivers: dict[str, Callable[[str], None]] = {}  # session id -> what applies a page's link


def extra_patterns() -> list[tuple]:
    """The route, for `pn.serve(..., extra_patterns=...)`; pages built in this process then post their link."""
    global _routed
    _routed = True
    return [(ROUTE, PageLinkHandler)]


def install(doc, receive: Callable[[str], None]) -> bool:
    """Make `doc`'s page post its hash to `receive` (called on the server's event loop), when this process
    routes the post. False: it does not; the page's link is applied once it has loaded."""
    session_context = doc.session_context
    if not _routed or session_context is None:
        return False
    session_id = session_context.id  # kept here: the document forgets its session before its destroy hooks run
    _receivers[session_id] = receive
    doc.on_session_destroyed(partial(_forget, session_id))
    page_head.add(doc, HEAD_LINE, SCRIPT % page_head.js_string(session_id))  # the id is the server's own
    return True


def _forget(session_id: str, _session_context) -> None:
    """The session is gone: drop its receiver (and with it the page's app)."""
    _receivers.pop(session_id, None)


def read_post(body: bytes) -> tuple[str, str]:
    """(session id, hash) from a post's body; ValueError says what is wrong with it."""
    if len(body) > MAX_BODY_BYTES:
        raise ValueError(f"larger than {MAX_BODY_BYTES} bytes")
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("session"), str) or not isinstance(data.get("hash"), str):
        raise ValueError('expected {"session": "<id>", "hash": "<location.hash>"}')
    return data["session"], data["hash"]


def refusal(headers) -> tuple[int, str] | None:
    """(status, why) for a post that is not a page's own, or None. A page posts its link to its own server,
    as JSON: a post from another site (`Sec-Fetch-Site`, else an `Origin` naming another host than the
    `Host`; ports aside, which a proxy may add) is refused, and so is any other content type: a cross-site
    form or `fetch(..., {mode: "no-cors"})` can only send text or form data, and JSON from another site is
    not sent at all without an answer we never give."""
    site, origin = headers.get("Sec-Fetch-Site"), headers.get("Origin")
    same_host = origin is None or urlsplit(origin).hostname == urlsplit("//" + headers.get("Host", "")).hostname
    if site not in (None, "same-origin") or (site is None and not same_host):
        return 403, "only a page of this server can post its link"
    if headers.get("Content-Type", "").split(";")[0].strip().lower() != "application/json":
        return 415, "the body must be application/json"
    return None


@tornado.web.stream_request_body
class PageLinkHandler(tornado.web.RequestHandler):
    """POST {"session": id, "hash": location.hash}: 204 once handed to the session, 404 for no such session
    (or one in another process), 400 for a body that is not one, 403 from another site, 415 for another
    content type, 413 for a body larger than a link could be: it is counted as it arrives and thrown away,
    never buffered whole (read to its end, so the answer reaches the sender; past `DISCARD_LIMIT_BYTES` the
    connection is closed). The link's own text is read later, by the app, as any link is (`read_link`: a
    message on the page for what it cannot use, a link too long included)."""

    def prepare(self) -> None:
        self._body = bytearray()
        self._refused = refusal(self.request.headers)
        self.request.connection.set_max_body_size(DISCARD_LIMIT_BYTES)

    def data_received(self, chunk: bytes) -> None:
        if self._refused is None and len(self._body) <= MAX_BODY_BYTES:  # past it the answer is 413 whatever follows
            self._body += chunk[: MAX_BODY_BYTES + 1 - len(self._body)]

    def post(self) -> None:
        if self._refused is not None:
            self._answer(*self._refused)
            return
        try:
            session_id, page_hash = read_post(bytes(self._body))
        except ValueError as exc:
            self._answer(413 if len(self._body) > MAX_BODY_BYTES else 400, str(exc))
            return
        receive = _receivers.get(session_id)
        if receive is None:
            self._answer(404, "no such session in this process")
            return
        receive(page_hash)
        self.set_status(204)
        self.finish()

    def _answer(self, status: int, why: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"page link: {why}")
