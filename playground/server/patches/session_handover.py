"""A session built ahead of time, handed to the page request that comes next (`server/spare_sessions.py`
decides when): Bokeh builds a page's session inside its GET and has no public way to give one already built
to a request.

Patched:
- `panel.io.server.DocHandler.get_session` first asks the `take(handler)` given to `install` for a session,
  and builds one as before where it gets None.
- `hand_over(session, handler)` gives the session that request's token and request, as Bokeh's
  `ApplicationContext.create_session_if_needed` does for a session it builds (`ServerSession._token`,
  `BokehSessionContext._token`/`_request` through `bokeh.server.contexts._RequestProxy`), with the payload
  Panel puts in the tokens it makes (`DocHandler._generate_token_payload`).
Can go once Bokeh can create a session for a request from a document built earlier (Bokeh 3.9 cannot).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from bokeh.util.token import generate_jwt_token

from . import installed_marker, left_out, missing

log = logging.getLogger(__name__)

FEATURE = "sessions built ahead of page requests"
MARKER = "_playground_spares"
SESSION_ATTRIBUTES = ("_token",)
CONTEXT_ATTRIBUTES = ("_token", "_request")


def _names_missing() -> list[str]:
    from bokeh.server import contexts
    from panel.io.server import DocHandler

    return missing(DocHandler, "get_session", "_generate_token_payload") + missing(contexts, "_RequestProxy")


def install(take: Callable[[object], object | None]) -> bool:
    """Once per process; True where page requests now ask `take(handler)` (Panel's DocHandler) first."""
    from panel.io.server import DocHandler

    absent = _names_missing()
    if absent:
        return left_out(FEATURE, absent)
    original = DocHandler.get_session
    if installed_marker(original, MARKER):
        return True

    async def get_session(self):
        session = take(self)
        if session is None:
            return await original(self)
        log.debug("page %s got session %s built ahead", self.request.path, session.id)
        return session

    setattr(get_session, MARKER, True)
    DocHandler.get_session = get_session
    return True


def hand_over(session, handler) -> bool:
    """Make `session` the one Bokeh would have built for `handler`'s request; False (and `session` untouched)
    where this Bokeh keeps a session's token or request elsewhere."""
    from bokeh.server.contexts import _RequestProxy

    context = session.document.session_context
    absent = [f"ServerSession.{name}" for name in SESSION_ATTRIBUTES if not hasattr(session, name)]
    absent += [f"BokehSessionContext.{name}" for name in CONTEXT_ATTRIBUTES if not hasattr(context, name)]
    if absent:
        return left_out(FEATURE, absent)
    tornado = handler.application
    payload = handler._generate_token_payload()  # what Panel puts in the token of a session it builds
    token = generate_jwt_token(session.id, secret_key=tornado.secret_key, signed=tornado.sign_sessions,
                               expiration=tornado.session_token_expiration, extra_payload=payload)
    session._token = context._token = token
    context._request = _RequestProxy(handler.request, arguments=payload.get("arguments"),
                                     cookies=payload.get("cookies"), headers=payload.get("headers"))
    return True
