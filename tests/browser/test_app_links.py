"""Opening a playground link in a real browser: every control shows the link's settings, the first loss is
the one the command line computes for the same link, and `<control>_hide=true` hides that control."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from playground.views.network_layout import FEATURE_LABELS

from .test_app_training import exact_loss, exact_test_loss

pytestmark = pytest.mark.browser

LINK = ("#activation=relu&batchSize=7&dataset=xor&regDataset=reg-plane&learningRate=0.1&regularizationRate=0.001"
        "&noise=15&networkShape=5,3&seed=0.31415&showTestData=false&discretize=true&percTrainData=60&x=true&y=true"
        "&xTimesY=true&sinX=false&sinY=false&collectStats=false&problem=classification&initZero=false"
        "&hideText=false&regularization=L2")
TIMEOUT_MS = 30_000


def cli_initial_losses(link: str) -> tuple[float, float]:
    """(train, test) loss at epoch 0 from `playground run --url LINK --epochs 0 --format json`."""
    done = subprocess.run([sys.executable, "-m", "playground", "run", "--url", link, "--epochs", "0",
                           "--format", "json"], capture_output=True, text=True, timeout=120, check=True)
    first = json.loads(done.stdout)["epochs"][0]
    assert first["epoch"] == 0
    return first["train_loss"], first["test_loss"]


def select_value(page, name: str) -> str:
    return page.locator(f".{name}-select select").input_value()


def slider_value(page, name: str) -> float:
    return float(page.locator(f".{name}-slider input[type=range]").input_value())


def toggle_on(page, feature: str) -> bool:
    """Whether the feature's toggle (a button named by its label, X₁ …) shows the feature as fed in."""
    toggle = page.get_by_role("button", name=FEATURE_LABELS[feature], exact=True)
    assert f"feature-{feature}" in toggle.get_attribute("class").split()
    pressed = toggle.get_attribute("aria-pressed")
    assert pressed in ("true", "false"), pressed
    return pressed == "true"


def test_a_link_sets_every_control_and_the_first_loss_matches_the_cli(open_app):
    page = open_app(LINK)

    assert "selected" in page.locator(".dataset-thumb.dataset-xor").get_attribute("class").split()
    assert page.locator(".dataset-thumb.selected").count() == 1
    assert select_value(page, "learning-rate") == "0.1"
    assert select_value(page, "activation") == "ReLU"
    assert select_value(page, "regularization") == "L2"
    assert select_value(page, "regularization-rate") == "0.001"
    assert select_value(page, "problem") == "Classification"
    assert (slider_value(page, "ratio"), slider_value(page, "noise"), slider_value(page, "batch-size")) == (60, 15, 7)
    toggles = {name: toggle_on(page, name) for name in ("x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY")}
    assert toggles == {"x": True, "y": True, "xSquared": False, "ySquared": False, "xTimesY": True,
                       "sinX": False, "sinY": False}
    assert page.locator(".layer-count-number").inner_text() == "2"
    assert page.locator(".layer-1-controls").get_by_text("5 neurons").is_visible()
    assert page.locator(".layer-2-controls").get_by_text("3 neurons").is_visible()
    assert page.locator(".discretize-output input").is_checked()
    assert not page.locator(".show-test-data input").is_checked()

    train, test = cli_initial_losses(LINK)
    assert page.locator(".epoch-counter").inner_text() == "000,000"
    assert page.locator(".test-loss").inner_text() == f"{test:.3f}"
    assert page.locator(".train-loss").inner_text() == f"{train:.3f}"
    epoch, shown_train = exact_loss(page)
    assert epoch == 0
    assert shown_train == pytest.approx(train, abs=1e-12)
    assert exact_test_loss(page) == pytest.approx(test, abs=1e-12)


def test_learning_rate_hide_removes_the_control(open_app, page):
    open_app("#learningRate_hide=true&seed=0.31415")
    page.locator(".learning-rate-select").first.wait_for(state="hidden", timeout=TIMEOUT_MS)
    assert page.locator(".activation-select select").is_visible()  # only the named control goes

    open_app("#seed=0.31415", target=page.context.new_page())
    shown = page.context.pages[-1]
    assert shown.locator(".learning-rate-select select").is_visible()
    shown.close()


# What the browser's network canvas draws: its links and its training points (data attributes on its root).
BROWSER_SHOWN = """() => { const find = (root) => { const el = root.querySelector('.network-picture[data-frame]');
    if (el) return el; for (const n of root.querySelectorAll('*'))
      if (n.shadowRoot) { const f = find(n.shadowRoot); if (f) return f; } return null; };
  const el = find(document);
  return el ? {links: +el.dataset.links, train: +el.dataset.trainPoints} : null; }"""


def test_link_reaches_the_browser_on_every_load(open_app):
    """Regression: a link applied before Panel saw the page as loaded never reached the browser, which kept
    the default 4,2 network and circle points (about one load in three under load)."""
    link = "#dataset=spiral&networkShape=8,8,8,8,8,8&percTrainData=90&xSquared=true&ySquared=true&seed=0.2"
    links = 4 * 8 + 5 * 8 * 8 + 8  # inputs→8, 5 × 8→8, 8→output
    for _ in range(5):
        page = open_app(link)
        page.locator(".layer-6-controls .neuron-count").wait_for(state="attached", timeout=TIMEOUT_MS)
        page.wait_for_function(f"() => ({BROWSER_SHOWN})()?.links === {links}", timeout=TIMEOUT_MS)
        shown = page.evaluate(BROWSER_SHOWN)
        assert shown["train"] == 450, shown  # 90 % of 500 spiral points are training points
        page.goto("about:blank")
