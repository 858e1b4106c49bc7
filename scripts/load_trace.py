"""Where the browser's main thread goes while a page loads, between the document's arrival and the page's
own link applied (`profile_page.py --trace`): the window `load_timeline.py` shows as "views built" and
"link applied", where the page waits on nothing but itself.

Each load is a fresh browser context traced through the Chrome DevTools Protocol (Playwright's
`start_tracing`). An init script marks the window with User Timing marks (`performance.mark`), which the
trace carries on its own clock: "doc-received" when the websocket message holding the document arrives
(the content two frames after the PULL-DOC-REPLY header), "link-applied" when the app's root has `.ready`.
Within the window it sums, on the renderer's main thread:
- trace events by self time (their duration less their children's): script, style, layout, paint, GC;
- V8's CPU samples (the trace's ProfileChunk events) by script and by function, as `profile_page.py` does.
"""

from __future__ import annotations

import json
from collections import Counter

from bench_app_page import DEEP_JS

TRACE_CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "blink.user_timing", "v8",
                    "disabled-by-default-v8.cpu_profiler"]

WINDOW_PROBE = """
(() => {""" + DEEP_JS + """
  let docFrame = -1, messages = 0;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        messages++;
        const text = typeof event.data === 'string' ? event.data : '';
        if (docFrame < 0 && text.includes('"PULL-DOC-REPLY"')) docFrame = messages + 2;
        if (messages === docFrame) performance.mark('doc-received');
      });
    }
  };
  const poll = () => {
    if (document.body && deepFind(document, '.playground-app.ready')) { performance.mark('link-applied'); window.__linkApplied = true; return; }
    setTimeout(poll, 2);
  };
  poll();
})();
"""


def _main_thread(events: list[dict]) -> set[tuple]:
    return {(e["pid"], e["tid"]) for e in events
            if e.get("name") == "thread_name" and e.get("args", {}).get("name") == "CrRendererMain"}


def _event_self_times(events: list[dict], main: set, start: float, end: float) -> Counter:
    """Complete events on the main thread inside the window, by name, less their nested children."""
    inside = sorted((e for e in events if (e["pid"], e["tid"]) in main and e.get("ph") == "X" and "dur" in e
                     and start <= e["ts"] <= end), key=lambda e: (e["ts"], -e["dur"]))
    children: dict[int, float] = {}
    stack: list[dict] = []
    for event in inside:
        while stack and stack[-1]["ts"] + stack[-1]["dur"] <= event["ts"]:
            stack.pop()
        if stack:
            children[id(stack[-1])] = children.get(id(stack[-1]), 0.0) + event["dur"]
        stack.append(event)
    totals: Counter = Counter()
    for event in inside:
        totals[event["name"]] += (event["dur"] - children.get(id(event), 0.0)) / 1000
    return totals


def _samples(events: list[dict]) -> list[tuple[float, dict]]:
    """(time, call frame) of every CPU sample, on the trace's clock."""
    nodes: dict[int, dict] = {}
    clock = next((e["args"]["data"]["startTime"] for e in events if e.get("name") == "Profile"), None)
    out = []
    for chunk in sorted((e for e in events if e.get("name") == "ProfileChunk"), key=lambda e: e["ts"]):
        data = chunk["args"]["data"]
        profile = data.get("cpuProfile", {})
        for node in profile.get("nodes", []):
            nodes[node["id"]] = node
        for sample, delta in zip(profile.get("samples", []), data.get("timeDeltas", []), strict=False):
            clock = (clock or 0) + delta
            out.append((clock, nodes[sample]["callFrame"]))
    return out


def _script(frame: dict) -> str:
    return frame.get("url", "").split("/")[-1].split("?")[0] or "(native)"


def _function(frame: dict) -> str:
    """A sample's function: its name, or where it is (script and line, 1-based) when it has none."""
    name = frame.get("functionName")
    return f"{name} ({_script(frame)})" if name else f"(anonymous) ({_script(frame)}:{frame.get('lineNumber', -1) + 1})"


def trace_once(browser, url: str, viewport: dict, timeout_ms: int) -> dict:
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.add_init_script(WINDOW_PROBE)
        browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
        try:
            page.goto(url)
            page.wait_for_function("() => window.__linkApplied === true", timeout=timeout_ms)
        finally:
            events = json.loads(browser.stop_tracing())["traceEvents"]
    finally:
        context.close()
    marks = {e["name"]: e["ts"] for e in events if "user_timing" in e.get("cat", "")
             and e["name"] in ("doc-received", "link-applied")}
    start, end = marks["doc-received"], marks["link-applied"]
    samples = _samples(events)
    scripts, functions = Counter(), Counter()
    for (at, frame), (following, _) in zip(samples, samples[1:], strict=False):  # a sample lasts until the next
        if start <= at <= end:
            ms = (following - at) / 1000
            scripts[_script(frame)] += ms
            functions[_function(frame)] += ms
    return {"window_ms": (end - start) / 1000, "events": _event_self_times(events, _main_thread(events), start, end),
            "scripts": scripts, "functions": functions}


def measure(browser, url: str, viewport: dict, loads: int, timeout_ms: int = 60_000) -> dict:
    """Means over `loads` fresh contexts, after one unmeasured load."""
    runs = [trace_once(browser, url, viewport, timeout_ms) for _ in range(loads + 1)][1:]

    def mean(key: str) -> Counter:
        total: Counter = Counter()
        for run in runs:
            total.update(run[key])
        return Counter({name: ms / len(runs) for name, ms in total.items()})

    return {"window_ms": sum(run["window_ms"] for run in runs) / len(runs), "events": mean("events"),
            "scripts": mean("scripts"), "functions": mean("functions"), "loads": len(runs)}


def markdown(result: dict, top: int) -> list[str]:
    lines = [f"Document received → link applied: {result['window_ms']:.0f} ms (mean of {result['loads']} loads).",
             "", "| trace event (main thread) | self ms |", "|---|--:|"]
    lines += [f"| {name} | {ms:.1f} |" for name, ms in result["events"].most_common(12)]
    lines += ["", "| script (CPU samples) | ms |", "|---|--:|"]
    lines += [f"| {name} | {ms:.1f} |" for name, ms in result["scripts"].most_common(8)]
    lines += ["", "| function (CPU samples) | ms |", "|---|--:|"]
    lines += [f"| `{name}` | {ms:.1f} |" for name, ms in result["functions"].most_common(top)]
    return lines
