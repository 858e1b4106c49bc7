"""Training in a real browser as a user drives it: Step, Reset, Play with a learning rate or engine change
mid-run, and a run that collapses and stops by itself.

Exact numbers come from the training loss read-out, which carries the full-precision loss in its `title`
(shown on hover) and the epoch it belongs to in `data-epoch`; they are compared with a headless
`Experiment` built from the same link, which the page must reproduce.
"""

from __future__ import annotations

import re

import pytest

from playground.domain.experiment import Experiment

from .conftest import epoch_of

pytestmark = pytest.mark.browser

LINK = "#dataset=circle&networkShape=4,2&seed=0.59704"
TIMEOUT_MS = 30_000
ENGINE_TOLERANCE = 1e-6  # engines agree to ~1e-9 in float64; a reset or a jump is far larger

FIND = """(cls) => { const find = (root) => { const el = root.querySelector(cls); if (el) return el;
             for (const n of root.querySelectorAll('*')) if (n.shadowRoot) { const f = find(n.shadowRoot);
             if (f) return f; } return null; }; return find(document); }"""


def exact_loss(page) -> tuple[int, float]:
    """(epoch, training loss at full precision), read from one element so they belong together."""
    epoch, title = page.locator(".train-loss").evaluate("e => [e.dataset.epoch, e.title]")
    return int(epoch), float(title)


def exact_test_loss(page) -> float:
    return float(page.locator(".test-loss").get_attribute("title"))


def wait_for_epoch(page, at_least: int, timeout: int = TIMEOUT_MS) -> int:
    page.wait_for_function(
        f"""(n) => {{ const el = ({FIND})('.epoch-counter');
                      return el && parseInt(el.textContent.replace(/\\D/g, '')) >= n; }}""",
        arg=at_least, timeout=timeout)
    return epoch_of(page)


def play(page) -> None:
    page.get_by_role("button", name="Play").click()
    page.get_by_role("button", name="Pause").wait_for(timeout=TIMEOUT_MS)


def pause(page) -> None:
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for(timeout=TIMEOUT_MS)


def step(page) -> None:
    before = epoch_of(page)
    page.locator(".step-button button").click()
    wait_for_epoch(page, before + 1)


def watch_epochs(page) -> None:
    """Record every epoch the counter shows from now on into `window.__epochs`."""
    page.evaluate(f"""() => {{ const el = ({FIND})('.epoch-counter'); const root = el.getRootNode();
        window.__epochs = [];
        const read = () => {{ const c = root.querySelector('.epoch-counter');
                             if (c) window.__epochs.push(parseInt(c.textContent.replace(/\\D/g, ''))); }};
        new MutationObserver(read).observe(root, {{subtree: true, childList: true, characterData: true}});
        read(); }}""")


def headless_losses(link: str, epochs: int) -> list[float]:
    """The training loss after each epoch 0..epochs of the same link, trained without a browser."""
    experiment = Experiment.from_link(link)
    experiment.step(epochs)
    return [entry["train_loss"] for entry in experiment.history]


def test_step_trains_one_epoch(open_app):
    page = open_app(LINK)
    epoch, loss = exact_loss(page)
    assert (page.locator(".epoch-counter").inner_text(), epoch) == ("000,000", 0)
    expected = headless_losses(LINK, 1)
    assert loss == pytest.approx(expected[0], abs=1e-12)  # the page built the same network from the link

    step(page)
    assert page.locator(".epoch-counter").inner_text() == "000,001"
    epoch, stepped = exact_loss(page)
    assert epoch == 1 and stepped != loss
    assert stepped == pytest.approx(expected[1], abs=1e-12)
    assert page.locator(".train-loss").inner_text() == f"{expected[1]:.3f}"


def test_reset_goes_back_to_epoch_zero_with_fresh_weights(open_app):
    page = open_app(LINK)
    play(page)
    wait_for_epoch(page, 30)
    pause(page)
    trained_epoch, trained = exact_loss(page)
    assert trained_epoch >= 30

    page.locator(".reset-button button").click()
    page.locator(".epoch-counter", has_text="000,000").wait_for(timeout=TIMEOUT_MS)
    # Reset draws new initial weights from the seed's continuing random stream (as the playground's
    # reset() does), so the losses are those of the headless experiment after its own reset().
    fresh = Experiment.from_link(LINK)
    fresh.reset()
    train, test = fresh.losses()
    epoch, loss = exact_loss(page)
    assert epoch == 0 and loss == pytest.approx(train, abs=1e-12) and loss != trained
    assert exact_test_loss(page) == pytest.approx(test, abs=1e-12)
    assert page.get_by_role("button", name="Play").is_visible()


def test_learning_rate_change_applies_to_the_running_network(open_app):
    page = open_app(LINK)
    for _ in range(3):
        step(page)
    page.locator(".learning-rate-select select").select_option("1")
    page.wait_for_function("() => location.hash.includes('learningRate=1&') || location.hash.endsWith('learningRate=1')",
                           timeout=TIMEOUT_MS)
    for _ in range(3):
        step(page)
    epoch, loss = exact_loss(page)
    assert epoch == 6  # the change did not reset the network

    changed = Experiment.from_link(LINK)
    changed.step(3)
    changed.set_learning_rate(1.0)
    changed.step(3)
    unchanged = headless_losses(LINK, 6)
    assert loss == pytest.approx(changed.history[-1]["train_loss"], abs=1e-12)
    assert abs(loss - unchanged[6]) > 1e-6  # so the new rate really was used for epochs 4-6

    # While playing: the counter keeps rising through the change, never going back.
    play(page)
    start = wait_for_epoch(page, 20)
    watch_epochs(page)
    page.locator(".learning-rate-select select").select_option("0.1")
    page.wait_for_function("() => location.hash.includes('learningRate=0.1')", timeout=TIMEOUT_MS)
    wait_for_epoch(page, start + 60)
    pause(page)
    seen = page.evaluate("window.__epochs")
    assert seen and seen[0] >= start and seen[-1] >= start + 60
    assert all(a <= b for a, b in zip(seen, seen[1:], strict=False)), f"the counter went back: {seen}"
    assert page.locator(".learning-rate-select select").input_value() == "0.1"


def engine_names(page) -> list[str]:
    return page.locator(".engine-select select").evaluate(
        "e => Array.from(e.options).filter(o => !o.disabled).map(o => o.value)")


def test_switching_engine_mid_training_keeps_the_loss_curve(open_app):
    page = open_app(LINK)
    page.get_by_role("button", name="Advanced").click()  # the engine is one of the advanced settings
    engines = engine_names(page)
    assert page.locator(".engine-select select").input_value() == "numpy"
    others = [name for name in ("cpu", "gpu") if name in engines]
    assert "cpu" in others, f"the cpu engine should be offered: {engines}"
    route = [*others, "numpy"]

    # Paused: switching keeps the weights, so the loss at the same epoch stays, and the next step agrees.
    for _ in range(2):
        step(page)
    before = exact_loss(page)
    page.locator(".engine-select select").select_option(route[0])
    page.wait_for_function(f"() => location.hash.includes('engine={route[0]}')", timeout=TIMEOUT_MS)
    after = exact_loss(page)
    assert after[0] == before[0] and after[1] == pytest.approx(before[1], abs=ENGINE_TOLERANCE)

    # Playing: every engine carries on from where the last one was; the curve is the one numpy alone draws.
    observed = [after]
    play(page)
    for name in route:
        epoch = wait_for_epoch(page, observed[-1][0] + 25)
        if name != route[0]:
            page.locator(".engine-select select").select_option(name)
            page.wait_for_function(f"() => location.hash.includes('engine={name}') || "
                                   f"('{name}' === 'numpy' && !location.hash.includes('engine='))",
                                   timeout=TIMEOUT_MS)
        observed.append(exact_loss(page))
        assert observed[-1][0] >= epoch
    wait_for_epoch(page, observed[-1][0] + 25)
    pause(page)
    observed.append(exact_loss(page))
    assert not page.get_by_text("not available").count()

    expected = headless_losses(LINK, max(epoch for epoch, _ in observed))
    for epoch, loss in observed:
        assert loss == pytest.approx(expected[epoch], abs=ENGINE_TOLERANCE), f"epoch {epoch}"
    step(page)
    epoch, loss = exact_loss(page)
    assert loss == pytest.approx(headless_losses(LINK, epoch)[epoch], abs=ENGINE_TOLERANCE)


def test_a_collapsing_run_says_so_keeps_training_and_reset_recovers(open_app):
    # Learning rate 10 with ReLU kills every unit of a layer within a few epochs: the output is the same
    # for every point and nothing can change it. The page says so once and, like the real site, trains on.
    page = open_app("#dataset=spiral&activation=relu&learningRate=10&seed=0.59704")
    page.get_by_role("button", name="Play").click()
    message = page.get_by_text(re.compile("The network collapsed at epoch"))
    message.wait_for(timeout=TIMEOUT_MS)
    assert "a smaller learning rate (10 is too large for this network)" in message.inner_text()
    collapsed = int(re.search(r"at epoch (\d+)", message.inner_text()).group(1))
    assert 0 < collapsed < 100
    wait_for_epoch(page, collapsed + 50)  # still training
    pause(page)

    page.locator(".reset-button button").click()
    page.locator(".epoch-counter", has_text="000,000").wait_for(timeout=TIMEOUT_MS)
    page.locator(".learning-rate-select select").select_option("0.03")
    play(page)
    wait_for_epoch(page, 60)
    assert page.get_by_role("button", name="Pause").is_visible()  # still training: no collapse at 0.03
    pause(page)
