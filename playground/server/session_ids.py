"""Session ids only this server makes: signed with its secret key, so an id a client makes up is refused.

Bokeh signs a session id with a secret key when told to (`sign_sessions`), and then refuses a page or
websocket whose id does not carry a valid signature. The key is Bokeh's own setting, `BOKEH_SECRET_KEY`
(`bokeh secret` makes one); without it each server makes one when it starts. Worker processes
(`--num-procs`) are forked after that and share it; servers on several machines behind one address must be
given the same key (docs/security.md).

A signed id is still one a client can copy from its own page: `hosting` refuses any request that names a
session at all, so a page only ever gets an id the server made for it.
"""

from __future__ import annotations

import time

from bokeh.settings import settings
from bokeh.util.token import (
    check_session_id_signature,
    check_token_signature,
    generate_secret_key,
    generate_session_id,
    get_token_payload,
)

MIN_KEY_CHARS = 32  # Bokeh's own advice for a secret key

_key: bytes | None = None


def secret_key() -> bytes:
    """This process's key: `BOKEH_SECRET_KEY`, else one made on first use (before any worker forks)."""
    global _key
    if _key is None:
        _key = (settings.secret_key() or generate_secret_key()).encode("utf-8")
    return _key


def key_problem() -> str | None:
    """What is wrong with the key given in `BOKEH_SECRET_KEY`, or None."""
    given = settings.secret_key()
    if given is not None and len(given) < MIN_KEY_CHARS:
        return (f"BOKEH_SECRET_KEY must be at least {MIN_KEY_CHARS} characters, not {len(given)} "
                "(`bokeh secret` makes one)")
    return None


def server_options() -> dict:
    """Bokeh's settings for signed session ids, for `pn.serve(**...)`."""
    return {"secret_key": secret_key(), "sign_sessions": True}


def new_session_id() -> str:
    """An id as the server would make it for a page (signed with this process's key)."""
    return generate_session_id(secret_key=secret_key(), signed=True)


def token_problem(token: str, secret_key: bytes | None, signed: bool) -> str | None:
    """What makes a page's token (from its websocket's subprotocol header) one Bokeh would refuse, or None.
    Checked before Bokeh does, which logs a traceback for each one any client can send."""
    try:
        valid = check_token_signature(token, secret_key=secret_key, signed=signed)
        expiry = get_token_payload(token).get("session_expiry")
    except Exception:  # not a token at all: Bokeh's own reading of it raises
        return "the page's token cannot be read"
    if not valid:
        return "the page's token is not one this server made"
    if not isinstance(expiry, int | float) or expiry <= time.time():
        return "the page's token has expired: reload the page"
    return None


def accepted_by(session_id: str, tornado_app) -> bool:
    """Whether the server behind `tornado_app` (Bokeh's tornado Application) takes `session_id` as its own."""
    return check_session_id_signature(session_id, secret_key=tornado_app.secret_key, signed=tornado_app.sign_sessions)
