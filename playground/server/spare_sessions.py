"""One page's session built ahead, while the server is idle, so that the next page's HTML is answered at once.

Bokeh builds a page's session (the app's views and their Bokeh models: ~200 ms here) inside the page's GET,
and the browser can fetch none of its ~3 MB of scripts until the HTML arrives. So each served app keeps one
session built ahead and hands it to the next plain page request, with a token made for that request (its
headers, cookies and arguments, as Bokeh would have given the session it built then). The next one is built
once the page that took it has applied its own link (`build_soon`, called by the app), and one at server
start: never while a page is loading, since a build holds the event loop. An app keeps spares only when its
Application has a `SpareSessionHandler` (`playground serve` adds one, not with `--classroom`).

Spare sessions are handed out only where nothing about the request could change what is built: no
authentication, no query arguments (Panel reads some, e.g. `theme`; a session id or token asked for is one
too), the app's own path; and only where the server takes the spare's id as its own (`session_ids`: signed
with this process's key). Panel's
`reuse_sessions` is not this: it renders a cached session's document, and every page here has its own.

Bokeh has no public way to give a built session to another request: `patches/session_handover.py` does it.
"""

from __future__ import annotations

import logging
import weakref

from bokeh.application.handlers.handler import Handler
from bokeh.server.auth_provider import NullAuth
from bokeh.server.contexts import ApplicationContext
from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine

from . import session_ids
from .patches import session_handover

log = logging.getLogger(__name__)

BUILD_DELAY_S = 0.05  # after the page that asked: its first frame leaves first
# A handed-out session cannot expire before its page connects: pages connect within seconds; one that never
# does (a bare GET) is freed as any unused session after this.
HANDOVER_GRACE_S = 30.0


class SpareSessions:
    """The one spare session of one served app (its `ApplicationContext`)."""

    def __init__(self, context: ApplicationContext):
        self._context = context
        self.spare = None  # a built ServerSession nobody has asked for yet
        self._pending = False  # a build is scheduled or under way

    def build_soon(self, delay_s: float = BUILD_DELAY_S) -> None:
        if self.spare is not None or self._pending or self._context.io_loop is None:
            return
        self._pending = True
        self._context.io_loop.call_later(delay_s, self._build)

    async def _build(self) -> None:
        # Signed as the server signs a page's id (`take` checks the server takes it); a request with nothing
        # but the app's path (what `take` requires of the page's): the page's own replaces it when handed out.
        try:
            request = HTTPServerRequest(start_line=RequestStartLine("GET", self._context.url or "/", "HTTP/1.1"),
                                        headers=HTTPHeaders({"Host": "localhost"}))
            session = await self._context.create_session_if_needed(session_ids.new_session_id(), request)
        except Exception:  # the page that takes no spare builds its own, and shows the error as usual
            log.exception("building a spare session failed")
            return
        finally:
            self._pending = False
        session.block_expiration()  # unused, it must not be discarded
        self.spare = session

    def take(self, handler) -> object | None:
        """The spare session for this page request (`handler`: Panel's DocHandler), or None."""
        session = self.spare
        if session is None or session.destroyed or not _plain_page_request(handler):
            return None
        if not session_ids.accepted_by(session.id, handler.application):
            return None  # a server with another key: the page gets a session of its own
        if not session_handover.hand_over(session, handler):
            return None
        self.spare = None
        self._context.io_loop.call_later(HANDOVER_GRACE_S, session.unblock_expiration)
        return session


_spares: weakref.WeakKeyDictionary[ApplicationContext, SpareSessions] = weakref.WeakKeyDictionary()


def _plain_page_request(handler) -> bool:
    tornado, request = handler.application, handler.request
    return (isinstance(tornado.auth_provider, NullAuth)
            and not tornado.prefix and not request.arguments and "Bokeh-Session-Id" not in request.headers
            and request.path.rstrip("/") == (handler.application_context.url or "").rstrip("/"))


def spares_for(context: ApplicationContext) -> SpareSessions | None:
    """This app's spare (made on first use), or None where this Panel/Bokeh cannot hand one over."""
    if not session_handover.install(_take):
        return None
    if context not in _spares:
        _spares[context] = SpareSessions(context)
    return _spares[context]


def build_soon(doc) -> None:
    """Build the next page's session of the app that served `doc`, shortly, if that app keeps spares
    (`SpareSessionHandler`); a no-op for any other app and outside a server."""
    session_context = doc.session_context if doc is not None else None
    server_context = session_context.server_context if session_context is not None else None
    context = getattr(server_context, "application_context", None)
    spares = _spares.get(context) if context is not None else None
    if spares is not None:
        spares.build_soon()


class SpareSessionHandler(Handler):
    """Added to an app's Bokeh Application, it keeps that app's spare: the first built when the server starts.

    `playground serve` adds it, except with `--classroom`: there a class's pages open within seconds of each
    other, so a spare helps only the first page of each worker process, while each process would keep one
    unused session and build the next while students train (`scripts/load_test.py` measures without)."""

    def modify_document(self, doc) -> None:
        pass  # the app's own handler builds the document

    def on_server_loaded(self, server_context) -> None:
        spares = spares_for(server_context.application_context)
        if spares is not None:
            spares.build_soon(delay_s=0)


def _take(handler) -> object | None:
    """The session built ahead for this page request (Panel's DocHandler), if its app keeps one."""
    spares = _spares.get(handler.application_context)
    return spares.take(handler) if spares is not None else None
