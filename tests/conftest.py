"""Shared fixtures. `backend_name` runs a test once per registered engine backend.

A backend that is not available here is skipped, unless `PLAYGROUND_REQUIRE_BACKENDS` (a comma list CI
sets, e.g. "cpu,numpy,gpu") names it: then the test fails, so a broken install cannot pass by skipping.
"""

from __future__ import annotations

import os

import pytest

import engine


def required_backends() -> list[str]:
    raw = os.environ.get("PLAYGROUND_REQUIRE_BACKENDS", "")
    return [name.strip() for name in raw.split(",") if name.strip()]


@pytest.fixture(params=engine.backend_names())
def backend_name(request) -> str:
    """The name of one backend that is available here (all of them, in turn)."""
    name = request.param
    available = engine.available_backends()
    if name not in available:
        reason = engine.backend_info(name).reason
        if name in required_backends():
            pytest.fail(f"backend {name!r} is required by PLAYGROUND_REQUIRE_BACKENDS but unavailable: {reason}")
        pytest.skip(f"backend {name!r} unavailable: {reason}")
    return name
