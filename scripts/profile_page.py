"""Where the browser spends its time while the app trains: a CPU profile of the served page, and the
websocket traffic per frame.

It serves the app (`playground serve`, as scripts/bench_app.py does), opens a config's link in headless
Debian chromium, and through the Chrome DevTools Protocol:
- counts every websocket message the page receives (Network.webSocketFrameReceived) and its payload bytes
  (text frames: UTF-8 length; binary frames: decoded length), from the page load on;
- first paint: bytes and messages received until the page shows the link's own network with its losses;
- presses Play, trains for --warmup seconds, then records a `Profiler` CPU profile for --seconds while
  counting the frames the page shows (animation frames with a new epoch counter value);
- prints the top self-time functions (aggregated by function name + script), the share per script, and
  bytes and messages per shown frame over the profiled window.

With --timeline it instead loads the link in --loads fresh tabs (after one unmeasured) and prints when each
load phase ended (median): HTML, scripts, websocket open, document received, views built, link applied,
first frame, shown (scripts/load_timeline.py says how each is read). With --trace it traces --loads fresh
tabs and prints where the main thread went between the document's arrival and the link applied
(scripts/load_trace.py).

    python scripts/profile_page.py [--config A] [--seconds 5] [--warmup 2] [--top 25] [--format json]
    python scripts/profile_page.py --timeline [--config B] [--loads 5]
    python scripts/profile_page.py --trace [--loads 3] [--top 25]

Other busy processes on the machine change every figure: the load average is printed with the results.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

import load_timeline
import load_trace
from bench_app import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CONFIGS,
    VIEWPORT,
    expected_view,
    load_average,
    open_app,
    start_server,
    stop_servers,
    toggle_play,
    with_engine,
)
from bench_app_page import page_js
from playwright.sync_api import sync_playwright

from playground.server.ports import free_port

# Counts the animation frames that showed a new epoch counter (cheap: one text read per frame).
COUNTER_PROBE_JS = page_js("""
  let counterRoot = null;
  const counterText = () => {
    let el = counterRoot && counterRoot.querySelector('.epoch-counter');
    if (!el) { el = deepFind(document, '.epoch-counter'); counterRoot = el ? el.getRootNode() : null; }
    return el ? el.textContent : '';
  };
  let last = counterText();
  const probe = {frames: 0, epoch: epochOf(last)};
  const tick = () => {
    const text = counterText();
    if (text !== last) { last = text; probe.frames++; probe.epoch = epochOf(text); }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  window.__profileProbe = probe;""")
PROBE_SNAPSHOT_JS = "() => ({...window.__profileProbe, t: performance.now() / 1000})"


class SocketTraffic:
    """Websocket messages the page received, counted from CDP events."""

    def __init__(self, cdp):
        self.messages = 0
        self.bytes = 0
        self.binary_messages = 0
        cdp.on("Network.webSocketFrameReceived", self._received)

    def _received(self, event) -> None:
        response = event.get("response", {})
        payload = response.get("payloadData", "")
        if response.get("opcode") == 2:  # binary: CDP gives it base64-encoded
            self.bytes += len(base64.b64decode(payload))
            self.binary_messages += 1
        else:
            self.bytes += len(payload.encode())
        self.messages += 1

    def snapshot(self) -> tuple[int, int]:
        return self.messages, self.bytes


def self_times(profile: dict) -> tuple[dict, float]:
    """Self time (ms) per (function, script), and the total, from a CDP Profiler profile."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    per_node: dict[int, float] = defaultdict(float)
    for node_id, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        per_node[node_id] += delta / 1000.0  # µs → ms; the delta precedes the sample: close enough
    totals: dict[tuple[str, str], float] = defaultdict(float)
    for node_id, ms in per_node.items():
        frame = nodes[node_id]["callFrame"]
        script = Path(frame.get("url", "")).name.split("?")[0] or "(native)"
        totals[(frame.get("functionName") or "(anonymous)", script)] += ms
    return dict(totals), sum(per_node.values())


def by_script(totals: dict) -> dict[str, float]:
    scripts: dict[str, float] = defaultdict(float)
    for (function, script), ms in totals.items():
        scripts[function if function.startswith("(") and script == "(native)" else script] += ms
    return dict(scripts)


class _TabOpener:
    """What `bench_app.open_app` needs of a browser (`new_page`): a tab whose websocket traffic CDP counts
    from before the page loads."""

    def __init__(self, context):
        self.context, self.cdp, self.traffic = context, None, None

    def new_page(self, **kwargs):
        tab = self.context.new_page()
        if "viewport" in kwargs:
            tab.set_viewport_size(kwargs["viewport"])
        self.cdp = self.context.new_cdp_session(tab)
        self.cdp.send("Network.enable")
        self.traffic = SocketTraffic(self.cdp)
        return tab


def profile_config(browser, base_url: str, config, warmup: float, seconds: float) -> dict:
    context = browser.new_context()
    opener = _TabOpener(context)
    started = time.monotonic()
    page, stale = open_app(opener, base_url, config)
    load_s = time.monotonic() - started
    cdp, traffic = opener.cdp, opener.traffic
    first_messages, first_bytes = traffic.snapshot()
    try:
        page.evaluate(COUNTER_PROBE_JS)
        toggle_play(page, now="Pause")
        time.sleep(warmup)
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 500})
        start = page.evaluate(PROBE_SNAPSHOT_JS)
        messages0, bytes0 = traffic.snapshot()
        cdp.send("Profiler.start")
        time.sleep(seconds)
        profile = cdp.send("Profiler.stop")["profile"]
        end = page.evaluate(PROBE_SNAPSHOT_JS)
        messages1, bytes1 = traffic.snapshot()
        toggle_play(page, now="Play")
    finally:
        context.close()
    totals, total_ms = self_times(profile)
    frames = max(end["frames"] - start["frames"], 1)
    window = end["t"] - start["t"]
    return {
        "config": config.name, "description": config.description, "stale_loads": stale,
        "load_s": load_s, "first_paint_messages": first_messages, "first_paint_bytes": first_bytes,
        "window_s": window, "frames": end["frames"] - start["frames"],
        "frames_per_s": (end["frames"] - start["frames"]) / window,
        "epochs_per_s": (end["epoch"] - start["epoch"]) / window,
        "messages_per_frame": (messages1 - messages0) / frames, "bytes_per_frame": (bytes1 - bytes0) / frames,
        "profile_ms": total_ms,
        "top": sorted(([f, s, ms] for (f, s), ms in totals.items()), key=lambda row: -row[2]),
        "scripts": sorted(by_script(totals).items(), key=lambda row: -row[1]),
    }


def markdown(result: dict, top: int, meta: dict) -> str:
    total = result["profile_ms"] or 1.0
    lines = [
        f"Page profile, config {result['config']} ({result['description']}): {meta['cpus']} CPUs, load average "
        f"{meta['load_before']} before / {meta['load_after']} after.",
        "",
        f"- load until the link's network and losses show: {result['load_s']:.2f} s "
        f"(stale loads thrown away: {result['stale_loads']})",
        f"- first paint: {result['first_paint_bytes'] / 1024:.0f} KB in {result['first_paint_messages']} "
        "websocket messages",
        f"- profiled {result['window_s']:.1f} s while training: {result['epochs_per_s']:.1f} epochs/s, "
        f"{result['frames_per_s']:.1f} frames/s shown",
        f"- per shown frame: {result['bytes_per_frame'] / 1024:.1f} KB in {result['messages_per_frame']:.1f} "
        "websocket messages",
        "",
        "| share | self ms | script |",
        "|---:|---:|---|",
    ]
    lines += [f"| {100 * ms / total:.1f} % | {ms:.0f} | {script} |" for script, ms in result["scripts"][:12]]
    lines += ["", "| share | self ms | function | script |", "|---:|---:|---|---|"]
    lines += [f"| {100 * ms / total:.1f} % | {ms:.0f} | `{function}` | {script} |"
              for function, script, ms in result["top"][:top]]
    return "\n".join(lines)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default="A", choices=sorted(CONFIGS), help="which link (default A)")
    parser.add_argument("--seconds", type=float, default=5.0, help="profiled window (default 5)")
    parser.add_argument("--warmup", type=float, default=2.0, help="training before the window (default 2)")
    parser.add_argument("--top", type=int, default=25, help="functions to list (default 25)")
    parser.add_argument("--engine", default=None, help="engine=NAME added to the link")
    parser.add_argument("--format", choices=["markdown", "json"], default="markdown")
    parser.add_argument("--timeline", action="store_true", help="time the load phases instead of profiling")
    parser.add_argument("--trace", action="store_true",
                        help="trace the load between document and link applied instead of profiling")
    parser.add_argument("--loads", type=int, default=5,
                        help="with --timeline or --trace: fresh tabs measured (default 5)")
    args = parser.parse_args(argv)
    if args.seconds <= 0 or args.warmup < 0 or args.top <= 0 or args.loads < 1:
        parser.error("--seconds, --top and --loads must be positive, --warmup not negative")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if not os.path.exists(CHROMIUM):
        print(f"profile_page: {CHROMIUM} not found (apt-get install chromium)", file=sys.stderr)
        return 2
    port = free_port()
    server = start_server(port)
    load_before = load_average()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            config = with_engine(CONFIGS[args.config], args.engine)
            if args.trace:
                result = load_trace.measure(browser, f"http://127.0.0.1:{port}/#{config.link}", VIEWPORT, args.loads)
            elif args.timeline:
                result = load_timeline.measure(browser, f"http://127.0.0.1:{port}/#{config.link}",
                                               expected_view(config.link), VIEWPORT, args.loads)
            else:
                result = profile_config(browser, f"http://127.0.0.1:{port}/", config, args.warmup, args.seconds)
            browser.close()
    finally:
        stop_servers(server)
    meta = {"cpus": os.cpu_count(), "load_before": load_before,
            "load_after": load_average()}
    if args.trace:
        if args.format == "json":
            print(json.dumps({"meta": meta, "result": {k: dict(v) if isinstance(v, dict) else v
                                                       for k, v in result.items()}}, indent=2))
        else:
            print("\n".join([f"Load trace, config {args.config} ({CONFIGS[args.config].description}): {meta['cpus']} "
                             f"CPUs, load average {meta['load_before']} before / {meta['load_after']} after.", "",
                             *load_trace.markdown(result, args.top)]))
    elif args.timeline:
        if args.format == "json":
            print(json.dumps({"meta": meta, "result": result}, indent=2))
        else:
            print("\n".join([f"Load timeline, config {args.config} ({CONFIGS[args.config].description}), median of "
                             f"{args.loads} fresh tabs: {meta['cpus']} CPUs, load average {meta['load_before']} "
                             f"before / {meta['load_after']} after.", "", *load_timeline.markdown(result)]))
    elif args.format == "json":
        print(json.dumps({"meta": meta, "result": {**result, "top": result["top"][:args.top]}}, indent=2))
    else:
        print(markdown(result, args.top, meta))
    return 0


if __name__ == "__main__":
    sys.exit(main())
