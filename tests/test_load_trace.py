"""`scripts/load_trace.py` reads a Chrome trace as it says: self time is an event's duration less its nested
children's, only the main thread's events inside the window count, and CPU samples are placed on the trace's
clock from the Profile's start and each chunk's time deltas."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "load_trace.py"


@pytest.fixture(scope="module")
def load_trace():
    spec = importlib.util.spec_from_file_location("load_trace", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(SCRIPT.parent))  # it imports its sibling scripts, as when run from there
        spec.loader.exec_module(module)
    return module


MAIN, OTHER = (1, 10), (1, 11)


def _event(name, ts, dur, thread=MAIN):
    return {"name": name, "ph": "X", "ts": ts, "dur": dur, "pid": thread[0], "tid": thread[1]}


def _thread(name, thread):
    return {"name": "thread_name", "ph": "M", "pid": thread[0], "tid": thread[1], "args": {"name": name}}


def test_self_time_leaves_out_nested_children_other_threads_and_events_outside_the_window(load_trace):
    events = [_thread("CrRendererMain", MAIN), _thread("Compositor", OTHER),
              _event("RunTask", 1000, 10_000), _event("Layout", 2000, 3000), _event("Paint", 6000, 1000),
              _event("RunTask", 12_000, 5000), _event("RunTask", 1000, 9000, OTHER), _event("Layout", 50_000, 4000)]
    main = load_trace._main_thread(events)
    totals = load_trace._event_self_times(events, main, start=0, end=20_000)
    assert totals == {"RunTask": 6.0 + 5.0, "Layout": 3.0, "Paint": 1.0}  # ms


def test_samples_are_placed_on_the_trace_clock(load_trace):
    frame = {"functionName": "", "url": "http://x/static/js/bokeh.min.js?v=1", "lineNumber": 220}
    events = [{"name": "Profile", "args": {"data": {"startTime": 5000}}},
              {"name": "ProfileChunk", "ts": 1, "args": {"data": {
                  "cpuProfile": {"nodes": [{"id": 1, "callFrame": frame}], "samples": [1, 1]},
                  "timeDeltas": [100, 250]}}},
              {"name": "ProfileChunk", "ts": 2, "args": {"data": {"cpuProfile": {"samples": [1]}, "timeDeltas": [50]}}}]
    assert [at for at, _ in load_trace._samples(events)] == [5100, 5350, 5400]
    assert load_trace._function(frame) == "(anonymous) (bokeh.min.js:221)"
