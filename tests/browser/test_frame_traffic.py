"""What the page costs on the wire: a first document that already shows the page's own link (posted early,
`playground/server/early_link.py`) and holds back what the network does not need; while training, one PATCH-DOC per
frame and no OK for the page's acknowledgements (`playground/server/patches/frame_acks.py`)."""

from __future__ import annotations

import json
import re

import pytest

from .test_app_training import LINK, TIMEOUT_MS, pause, play

pytestmark = pytest.mark.browser

FRAMES = 30  # frames drawn while counting: an OK per acknowledgement would be at least as many


def _received_frames(page) -> list[str]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")  # before the page opens its websocket: CDP reports only sockets opened later
    received: list[str] = []
    cdp.on("Network.webSocketFrameReceived", lambda event: received.append(event["response"]["payloadData"]))
    return received


def _first_document(received: list[str]) -> str:
    return next(text for text in received if '"doc":' in text and '"roots":' in text)


def test_acknowledged_frames_get_no_ok_and_take_one_patch_each(page, open_app):
    received = _received_frames(page)
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


# Once per animation frame until the canvas has drawn: where it is, and whether the held-back parts are there.
FIRST_FRAME_PROBE = """(() => {
  const deepFind = (root, sel) => { const hit = root.querySelector(sel); if (hit) return hit;
    for (const node of root.querySelectorAll('*')) if (node.shadowRoot) { const f = deepFind(node.shadowRoot, sel);
      if (f) return f; } return null; };
  const tick = () => {
    const picture = document.body && deepFind(document, '.network-picture[data-frame]');
    if (!picture) { requestAnimationFrame(tick); return; }
    const box = picture.getBoundingClientRect();
    window.__firstFrame = {x: box.x, y: box.y, width: box.width, height: box.height,
                           picker: !!deepFind(document, '.dataset-picker'), complete: !!deepFind(document, '.complete')};
  };
  requestAnimationFrame(tick);
})();"""


def test_the_first_document_shows_the_pages_link_and_the_rest_follows_without_moving_it(page, app_url):
    """The page posts its hash before its scripts load, so the document it receives already has the link
    applied (`.ready`) and its first frame; the data column, the notes and the text under the tool follow
    once the page has loaded and drawn that frame, and the network does not move when they come."""
    received = _received_frames(page)
    page.add_init_script(FIRST_FRAME_PROBE)
    page.goto(app_url + "#" + LINK.lstrip("#"))
    page.locator(".playground-app.ready.complete").wait_for(state="attached", timeout=TIMEOUT_MS)
    page.get_by_text("What is this?").wait_for(timeout=TIMEOUT_MS)
    document = _first_document(received)
    assert "Tinker With a" in document  # the first document: its header is there
    assert re.search(r'"css_classes":\[[^\]]*"ready"', document)  # the link was applied before it was sent
    assert re.search(r'"frame":"\d+:[A-Za-z0-9+/=]{40,}"', document)  # with the link's first frame
    for held_back in ("What is this?", "dataset-picker", "ratio-slider", "network-notes-pane", "show-test-data"):
        assert held_back not in document, held_back
    first = page.evaluate("() => window.__firstFrame")
    assert first is not None and not first["picker"] and not first["complete"]  # drawn before the rest came
    box = page.locator(".network-picture").bounding_box()
    assert (first["x"], first["y"], first["width"], first["height"]) == (box["x"], box["y"], box["width"],
                                                                        box["height"])
    assert page.locator(".dataset-thumb").first.is_visible() and page.get_by_text("What is this?").is_visible()


def test_a_page_whose_early_post_fails_gets_its_link_applied_once_loaded(page, app_url):
    """The early post is an optimisation only: without it the page's link is applied once the page has loaded,
    as Location reports it."""
    page.route("**/page-link", lambda route: route.abort())
    received = _received_frames(page)
    page.goto(app_url + "#dataset=xor&networkShape=3&seed=0.25")
    page.locator(".playground-app.ready.complete").wait_for(state="attached", timeout=TIMEOUT_MS)
    assert not re.search(r'"css_classes":\[[^\]]*"ready"', _first_document(received))
    assert page.locator(".network-picture").get_attribute("data-neurons") == "4"  # 3 hidden + the output
    assert "networkShape=3" in page.url and "dataset=xor" in page.url
