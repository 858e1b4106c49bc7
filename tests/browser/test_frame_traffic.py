"""What a frame costs on the wire while training: one PATCH-DOC each, and no OK for the page's
acknowledgements (`playground/frame_acks.py`)."""

from __future__ import annotations

import json

import pytest

from .test_app_training import LINK, TIMEOUT_MS, pause, play

pytestmark = pytest.mark.browser

FRAMES = 30  # frames drawn while counting: an OK per acknowledgement would be at least as many


def test_acknowledged_frames_get_no_ok_and_take_one_patch_each(page, open_app):
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")  # before the page opens its websocket: CDP reports only sockets opened later
    received: list[str] = []
    cdp.on("Network.webSocketFrameReceived", lambda event: received.append(event["response"]["payloadData"]))
    open_app(LINK)
    received.clear()
    picture = page.locator(".network-picture")
    first = int(picture.get_attribute("data-frame"))
    play(page)
    page.wait_for_function(
        "([el, n]) => +el.dataset.frame >= n", arg=[picture.element_handle(), first + FRAMES], timeout=TIMEOUT_MS)
    pause(page)
    kinds = [json.loads(text).get("msgtype") for text in received if text.startswith('{"msgid"')]
    oks, patches = kinds.count("OK"), kinds.count("PATCH-DOC")
    assert patches >= FRAMES
    assert oks <= 4, f"{oks} OK replies for {patches} frames: acknowledgements are being answered"
    # header, metadata and content per message, nothing else (no binary buffers)
    assert len(received) == 3 * (patches + oks)


def test_the_text_under_the_tool_comes_after_the_first_frame_not_in_the_first_document(page, app_url):
    """The first paint carries only what the first screen shows: "What is this?" (below the fold) is sent
    once the page has drawn its first frame."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    received: list[str] = []
    cdp.on("Network.webSocketFrameReceived", lambda event: received.append(event["response"]["payloadData"]))
    page.goto(app_url + "#" + LINK.lstrip("#"))
    page.locator(".about-pane").wait_for(timeout=TIMEOUT_MS)
    document = next(text for text in received if '"doc":' in text and '"roots":' in text)
    assert "Tinker With a" in document  # the first document: its header is there
    assert "What is this?" not in document  # but not the text under the tool
    assert page.locator(".network-picture[data-frame]").count() == 1  # shown after a frame was drawn
    assert page.get_by_text("What is this?").is_visible()
