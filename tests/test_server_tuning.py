"""Server tuning is one module used by both ways of serving: `playground serve` and `panel serve
playground/app.py` (which imports the app module). Each check runs in a fresh interpreter, because the BLAS
thread limit only works if it is set before numpy loads."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from playground.server import tuning as server_tuning

# Records whether numpy was loaded when set_environment ran, then does what `run` says.
PROBE = """
import json, os, sys
from playground.server import tuning as server_tuning
calls = []
original = server_tuning.set_environment
def recording():
    calls.append("numpy" in sys.modules)
    original()
server_tuning.set_environment = recording
{run}
from bokeh.server.views.ws import WSHandler
print(json.dumps({{"numpy_loaded_first": calls, "env": {{k: os.environ.get(k) for k in server_tuning.ENVIRONMENT}},
                  "nodelay": getattr(WSHandler.open, "_playground_nodelay", False)}}))
"""


def probe(run: str) -> dict:
    import json

    env = {k: v for k, v in os.environ.items() if k not in server_tuning.ENVIRONMENT}
    done = subprocess.run([sys.executable, "-c", PROBE.format(run=run)], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_panel_serve_of_app_py_is_tuned():
    seen = probe("import playground.app")
    assert seen["numpy_loaded_first"] == [False]
    assert seen["env"] == server_tuning.ENVIRONMENT
    assert seen["nodelay"] is True


def test_playground_serve_sets_the_environment_before_numpy_loads():
    # An out-of-range port stops `serve` after parsing, before it serves anything.
    seen = probe("from playground import cli\nassert cli.main(['serve', '--port', '70000']) == 2")
    assert seen["numpy_loaded_first"] == [False]
    assert seen["env"] == server_tuning.ENVIRONMENT


def test_other_commands_leave_the_environment_alone():
    seen = probe("from playground import cli\nassert cli.main(['engines']) == 0")
    assert seen["numpy_loaded_first"] == [] and seen["env"] == {name: None for name in server_tuning.ENVIRONMENT}


def test_a_value_the_user_set_wins(monkeypatch):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "4")
    server_tuning.set_environment()
    assert os.environ["OPENBLAS_NUM_THREADS"] == "4"


def test_classroom_tuning_shortens_the_switch_interval_and_raises_gc_thresholds():
    import gc

    before = sys.getswitchinterval(), gc.get_threshold()
    try:
        server_tuning.tune_for_classroom()
        assert sys.getswitchinterval() == pytest.approx(server_tuning.CLASSROOM_SWITCH_INTERVAL_S)
        assert gc.get_threshold() == server_tuning.CLASSROOM_GC_THRESHOLDS
    finally:
        sys.setswitchinterval(before[0])
        gc.set_threshold(*before[1])
        gc.unfreeze()
