"""The app in a real browser: it loads, Play trains (counter and heatmap change), Pause stops."""

from __future__ import annotations

import pytest

from .conftest import epoch_of

pytestmark = pytest.mark.browser


def test_play_changes_counter_and_heatmap_then_pause_stops(open_app):
    page = open_app("#dataset=circle&networkShape=4,2&seed=0.59704")
    assert page.locator(".epoch-counter").inner_text() == "000,000"
    heatmap_before = page.locator(".output-plot").screenshot()

    page.get_by_role("button", name="Play").click()
    page.wait_for_function(
        """() => { const find = (root) => { const el = root.querySelector('.epoch-counter'); if (el) return el;
                     for (const n of root.querySelectorAll('*')) if (n.shadowRoot) { const f = find(n.shadowRoot);
                     if (f) return f; } return null; };
                   const el = find(document); return el && parseInt(el.textContent.replace(/\\D/g, '')) >= 50; }""",
        timeout=20_000)
    assert page.locator(".output-plot").screenshot() != heatmap_before

    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for(timeout=5_000)
    page.wait_for_timeout(300)  # a frame already on its way may still land
    stopped_at = epoch_of(page)
    page.wait_for_timeout(700)
    assert epoch_of(page) == stopped_at
    assert stopped_at >= 50


def test_keyboard_space_plays_and_arrow_steps(open_app):
    page = open_app("#seed=0.5")
    page.locator(".output-plot").click(position={"x": 5, "y": 5}, modifiers=["Alt"])  # focus the page, not a widget
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => true")
    page.locator(".epoch-counter", has_text="000,001").wait_for(timeout=5_000)
    page.keyboard.press("Space")
    page.get_by_role("button", name="Pause").wait_for(timeout=5_000)
    page.keyboard.press("Space")
    page.get_by_role("button", name="Play").wait_for(timeout=5_000)
