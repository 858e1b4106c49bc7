"""Hovering a neuron or an input shows its picture in the output plot at the grid's full resolution (100×100),
as the playground does; the 10×10 thumbnail only until the server's frame brings it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from playground.views import network_layout as nl

from .test_app_editing import START, geometry, plot_point

pytestmark = pytest.mark.browser

TIMEOUT_MS = 20_000


def _hover(page, x: float, y: float) -> None:
    position = plot_point(page, float(x), float(y))
    page.mouse.move(position["x"] - 20, position["y"] - 20)
    page.mouse.move(position["x"], position["y"], steps=3)


def test_a_hovered_neuron_and_input_are_drawn_at_full_resolution(open_app):
    page = open_app(START)
    picture = page.locator(".network-picture")
    g = geometry(page)
    _hover(page, g.neurons["cx"][5], g.neurons["cy"][5])  # layer 2's second neuron
    expect(picture).to_have_attribute("data-detail", "neuron-5", timeout=TIMEOUT_MS)
    first_input = g.inputs["name"].index("x")
    _hover(page, g.inputs["cx"][first_input], g.inputs["cy"][first_input])
    expect(picture).to_have_attribute("data-detail", f"input-{nl.FEATURE_NAMES.index('x')}", timeout=TIMEOUT_MS)
    page.mouse.move(5, 5)  # off the network: the output plot shows the network's output again
    expect(picture).to_have_attribute("data-detail", "", timeout=TIMEOUT_MS)
