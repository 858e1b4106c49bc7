"""Where a fresh tab's load time goes, phase by phase (`profile_page.py --timeline`).

An init script, installed before any page script, records in the page's own clock (ms since navigation
start): the websocket opening and every message it receives (Bokeh sends a message as header, metadata and
content frames: the content two frames after the PULL-DOC-REPLY header is the document), and once per
animation frame whether the app's root has been built, the page's own link has been applied (`.ready`), the
network canvas has drawn its first frame, the link's own network shows with its epoch-0 losses (the
condition compare_real.py times), and the parts that follow the first frame have come (`.complete`). The HTML and script downloads come from the Resource Timing entries.
Each load is a fresh browser context (nothing cached), as in `bench_app.py --compare-real`.
"""

from __future__ import annotations

import json
import statistics

from bench_app_page import DEEP_JS
from compare_real import OURS_SHOWN

TIMELINE_PROBE = """
(() => {
  const want = %(want)s;""" + DEEP_JS + """
  const t = () => performance.now();
  const marks = {socketOpen: null, documentReceived: null, documentBytes: null, rootBuilt: null,
                 linkApplied: null, firstFrame: null, shown: null, complete: null, firstNeurons: null,
                 messages: 0};
  window.__load = marks;
  const Native = window.WebSocket;
  let docFrame = -1;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('open', () => { if (marks.socketOpen === null) marks.socketOpen = t(); });
      this.addEventListener('message', (event) => {
        marks.messages++;
        const text = typeof event.data === 'string' ? event.data : '';
        if (docFrame < 0 && text.includes('"PULL-DOC-REPLY"')) docFrame = marks.messages + 2;
        if (marks.messages === docFrame) { marks.documentReceived = t(); marks.documentBytes = text.length; }
      });
    }
  };
  const shown = () => { %(condition)s };
  const tick = () => {
    if (document.body) {
      const root = deepFind(document, '.playground-app');
      if (root && marks.rootBuilt === null) marks.rootBuilt = t();
      if (root && marks.linkApplied === null && root.classList.contains('ready')) marks.linkApplied = t();
      if (marks.firstFrame === null && deepFind(document, '.network-picture[data-frame]')) marks.firstFrame = t();
      try { if (marks.shown === null && shown()) marks.shown = t(); } catch (e) {}
      if (marks.shown !== null && root && root.classList.contains('complete')) { marks.complete = t(); return; }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
"""

# The resource entries the phases read: the page itself and the scripts its HTML loads (the components'
# bundle, fetched by es-module-shims once the document has come, is not one of them).
RESOURCES_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const scripts = performance.getEntriesByType('resource').filter(r => r.initiatorType === 'script');
  return {htmlStart: nav.responseStart, htmlEnd: nav.responseEnd, domReady: nav.domContentLoadedEventEnd,
          scriptsEnd: Math.max(0, ...scripts.map(r => r.responseEnd)),
          scriptBytes: scripts.reduce((sum, r) => sum + (r.encodedBodySize || 0), 0), scriptCount: scripts.length};
}"""

# (key, label) in the order they happen: each row's time is from navigation start.
PHASES = [
    ("htmlStart", "HTML first byte (the server builds the session meanwhile)"),
    ("htmlEnd", "HTML received"),
    ("scriptsEnd", "the HTML's scripts downloaded"),
    ("domReady", "scripts parsed and run (DOMContentLoaded)"),
    ("socketOpen", "websocket open"),
    ("documentReceived", "document received"),
    ("rootBuilt", "views built (the app's root in the page)"),
    ("linkApplied", "page's own link applied (`.ready`)"),
    ("firstFrame", "first network frame drawn"),
    ("shown", "link's network and epoch-0 losses shown"),
    ("complete", "the parts after the first frame there (`.complete`)"),
]


def load_once(browser, url: str, want: dict, viewport: dict, timeout_ms: int) -> dict:
    """One load in a fresh browser context: every phase's time (ms since navigation start) and sizes."""
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.add_init_script(TIMELINE_PROBE % {"want": json.dumps(want), "condition": OURS_SHOWN})
        page.goto(url)
        page.wait_for_function("() => window.__load && window.__load.complete !== null", timeout=timeout_ms)
        return {**page.evaluate("() => window.__load"), **page.evaluate(RESOURCES_JS)}
    finally:
        context.close()


def measure(browser, url: str, want: dict, viewport: dict, loads: int, timeout_ms: int = 60_000) -> dict:
    """Median of each phase over `loads` fresh contexts, after one unmeasured load."""
    runs = [load_once(browser, url, want, viewport, timeout_ms) for _ in range(loads + 1)][1:]
    median = {key: statistics.median(run[key] for run in runs if run[key] is not None)
              for key in runs[0] if any(isinstance(run[key], (int, float)) for run in runs)}
    return {"median": median, "runs": runs}


def markdown(result: dict) -> list[str]:
    median = result["median"]
    lines = ["| phase | at (ms) | step (ms) |", "|---|--:|--:|"]
    previous = 0.0
    for key, label in PHASES:
        if key in median:
            lines.append(f"| {label} | {median[key]:.0f} | {median[key] - previous:+.0f} |")
            previous = median[key]
    lines += ["", f"- scripts: {median.get('scriptCount', 0):.0f} files, {median.get('scriptBytes', 0) / 1e6:.2f} MB "
              f"on the wire; document: {median.get('documentBytes', 0) / 1024:.0f} KB; websocket messages until "
              f"shown: {median.get('messages', 0):.0f}",
              "- per load, shown at (ms): " + ", ".join(f"{run['shown']:.0f}" for run in result["runs"])]
    return lines
