"""K classes and per-layer activations driven from the UI: the classes picker, a layer header's activation."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from playground.domain.experiment import Experiment
from playground.live.class_colors import CLASS_COLORS

from .test_app_training import TIMEOUT_MS, exact_loss, pause, play, step, wait_for_epoch

pytestmark = pytest.mark.browser


def _hue(color: str) -> float:
    r, g, b = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return _hues(np.array([[[r, g, b]]]))[0, 0]


def _hues(rgb: np.ndarray) -> np.ndarray:
    """Hue in degrees of float RGB pixels (…, 3) in 0..1."""
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    high, low = rgb.max(axis=-1), rgb.min(axis=-1)
    span = np.where(high > low, high - low, 1.0)
    hue = np.where(high == r, (g - b) / span % 6, np.where(high == g, (b - r) / span + 2, (r - g) / span + 4))
    return hue * 60.0


def class_shares(png: bytes, classes: int) -> list[float]:
    """Per class, the share of the plot's pixels that are clearly (saturated) that class's colour."""
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float) / 255
    high, low = rgb.max(axis=-1), rgb.min(axis=-1)
    saturation = np.where(high > 0, (high - low) / np.where(high > 0, high, 1), 0)
    hue = _hues(rgb)
    shares = []
    for color in CLASS_COLORS[:classes]:
        distance = np.abs((hue - _hue(color) + 180) % 360 - 180)
        shares.append(float(np.mean((saturation > 0.25) & (distance < 12))))
    return shares


def test_three_classes_picked_in_the_ui_train_and_colour_the_heatmap(open_app):
    page = open_app("#dataset=circle&networkShape=4&seed=0.1&learningRate=0.1")
    page.locator(".dataset-thumb.dataset-gauss").click()
    page.wait_for_function("() => location.hash.includes('dataset=gauss')", timeout=TIMEOUT_MS)
    page.locator(".classes-picker").get_by_role("button", name="3", exact=True).click()
    page.wait_for_function("() => location.hash.includes('numClasses=3')", timeout=TIMEOUT_MS)
    page.locator(".class-legend .class-swatch").first.wait_for(timeout=TIMEOUT_MS)
    assert page.locator(".class-legend .class-swatch").count() == 3
    plot = page.locator(".output-plot canvas").first
    untrained = class_shares(plot.screenshot(), 3)

    play(page)
    wait_for_epoch(page, 60)
    pause(page)
    epoch, loss = exact_loss(page)
    assert loss < 1.0  # cross-entropy starts near ln 3 ≈ 1.1 on three balanced classes
    trained = class_shares(plot.screenshot(), 3)
    # every class owns a clearly coloured part of the heatmap (the points alone cover ~2% each)
    assert min(trained) > 0.08, (untrained, trained)
    assert sum(trained) > sum(untrained) + 0.1  # surer after training: stronger colours
    text = page.locator(".train-accuracy").inner_text()
    assert int(text.rstrip("%")) > 80  # three well separated clusters: far better than guessing one of three


def test_a_layer_headers_activation_reaches_the_engine_and_the_global_one_sets_all(open_app):
    link = "#dataset=xor&networkShape=4,4&seed=0.1"
    page = open_app(link)
    first, second = page.locator(".layer-1-activation select"), page.locator(".layer-2-activation select")
    assert first.input_value() == second.input_value() == "Tanh"  # Panel's option values are the labels
    first.select_option(label="ReLU")
    page.wait_for_function("() => location.hash.includes('activations=relu,tanh')", timeout=TIMEOUT_MS)
    page.locator(".epoch-counter", has_text="000,000").wait_for(timeout=TIMEOUT_MS)
    step(page)
    epoch, loss = exact_loss(page)

    headless = Experiment.from_link(link)
    headless.apply(activations=["relu", "tanh"])  # the same change: a reset with the continuing stream
    assert [layer.activation for layer in headless.model.layers] == ["relu", "tanh", "tanh"]
    headless.step(1)
    assert epoch == 1 and loss == pytest.approx(headless.history[-1]["train_loss"], abs=1e-12)
    uniform = Experiment.from_link(link)
    uniform.apply(activation="relu")
    uniform.step(1)
    assert abs(loss - uniform.history[-1]["train_loss"]) > 1e-9  # not all-relu either

    page.locator(".activation-select select").select_option(label="Sigmoid")
    page.wait_for_function("() => location.hash.includes('activation=sigmoid') && !location.hash.includes('activations=')",
                           timeout=TIMEOUT_MS)
    expect(first).to_have_value("Sigmoid", timeout=TIMEOUT_MS)
    expect(second).to_have_value("Sigmoid", timeout=TIMEOUT_MS)
