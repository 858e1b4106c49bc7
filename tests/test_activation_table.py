"""The one activation table for numpy and torch (engine/backends/array_kernels.py) is also what the
standalone notebook writes out: every activation the app offers trains there exactly as in `playground run`."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from engine.backends import array_kernels
from playground.commands.run import train
from playground.domain.state import ACTIVATIONS
from playground.export.standalone_cells import ACTIVATIONS_CODE
from playground.export.standalone_notebook import build_standalone_notebook
from tests.notebook_cells import run_cells_here


def test_every_app_activation_is_in_the_table():
    assert set(ACTIVATIONS) <= set(array_kernels.ACTIVATIONS)
    for name in ACTIVATIONS:
        assert f"if name == {name!r}:" in ACTIVATIONS_CODE


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_standalone_notebook_trains_each_activation_as_run_does(activation):
    url = f"#dataset=xor&networkShape=3,2&activation={activation}&batchSize=7&seed=0.2"
    last = train(url, 3, "numpy")["epochs"][-1]
    assert run_cells_here(build_standalone_notebook(url, 3)) == (last["train_loss"], last["test_loss"])


def test_the_notebooks_functions_are_the_engines():
    namespace = {"np": np}
    exec(compile(ACTIVATIONS_CODE, "<cell>", "exec"), namespace)  # noqa: S102 - our own generated code
    backend = engine.get_backend("numpy")
    z = np.random.default_rng(0).uniform(-4, 4, (5, 3))
    z[0, 0] = 0.0
    da = np.random.default_rng(1).uniform(-1, 1, (5, 3))
    for name in ACTIVATIONS:
        a = backend.activation(name, z)
        np.testing.assert_array_equal(namespace["activation"](name, z), a)
        np.testing.assert_array_equal(namespace["slope_times"](name, da, z, a), backend._grad_times(name, da, z, a))
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        namespace["activation"]("swish", z)
