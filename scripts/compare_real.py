"""The app and the real TensorFlow Playground measured side by side, same browser, same method
(`bench_app.py --compare-real DIR`).

DIR is the real site's own build (e.g. ../shared/reference/tfp-site, served here with `http.server`). Per
config and per site, in a fresh tab each time:
- load: from navigation start until the page shows the link's own network with its epoch-0 test loss (ours:
  the network canvas has drawn a frame with the link's neurons and training points, and the losses read
  epoch 0; the real site: its test loss and the counter at 000,000), measured in the page
  (`performance.now()`), median over --loads tabs after one unmeasured tab, the real site, ours and a bare
  Panel page taking turns tab by tab (a machine that slows down mid-run slows all alike); ours also records the neuron
  count of the first frame it drew, which must be the link's (never another network first), and when the
  parts that follow that frame (the data column, the notes) have come too: `.complete` on the app's root;
- with --bandwidth MBPS, each of those tabs loads at MBPS megabit/s each way with `LATENCY_MS` of latency
  (Chrome's network emulation): a student's share of a school's Wi-Fi, where the bytes a page pulls count
  (a load on this machine's loopback counts its scripts' running only); the bytes each page pulled are
  printed with every run;
- epochs/s and frames/s while training, as in bench_app (animation frames showing a new counter value), in
  one more tab per site.
Ratios are ours / real; the issue's targets: frames/s ≥ 1×, epochs/s ≥ 3× on A and ≥ 1.5× on B and C,
load ≤ 3×. Below the table, the floor of that last ratio: a bare Panel page (scripts/bare_panel_page.py)
timed the same way, taking turns with both sites.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bare_panel_page import SHOWN_CLASS
from bench_app import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CONFIGS,
    VIEWPORT,
    expected_view,
    load_average,
    stop_servers,
    wait_listening,
    with_engine,
)
from bench_app_page import DEEP_JS, choose_speed
from playwright.sync_api import sync_playwright

from playground.server.ports import free_port

EPS_TARGET = {"A": 3.0, "B": 1.5, "C": 1.5}
WATCH_EPS_RANGE = (0.75, 1.33)  # `--speed watch`: about the real site's one epoch per drawn frame
LOAD_TARGET = 3.0
# After each tab, before the next: what a closed tab leaves the server doing (ours builds the next page's
# session once a page is complete, ~0.1–0.3 s here) ends before the next tab, whichever site that is.
SETTLE_S = 0.5
LOAD_TIMEOUT_MS = 60_000
LATENCY_MS = 20  # with --bandwidth: a school's network, one Wi-Fi hop and a switch

# Every byte the page pulled to get there (its HTML, scripts, stylesheets, images), as sent.
SENT_JS = """() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
  .reduce((sum, entry) => sum + entry.transferSize, 0)"""

# Installed before any page script: once per animation frame, until the condition holds, checks it and
# records when it first held (seconds since navigation start) and, for ours, the first network drawn.
# Runs before the page's own scripts; the shadow-DOM lookups are bench_app's (DEEP_JS has no '%' in it).
LOAD_PROBE = """
(() => {
  const want = %(want)s;""" + DEEP_JS + """
  const shown = () => { %(condition)s };
  const complete = () => { %(complete)s };
  window.__load = {shownAt: null, completeAt: null, firstNeurons: null};
  const tick = () => {
    if (!document.body) { requestAnimationFrame(tick); return; }
    const now = performance.now() / 1000;
    try { if (window.__load.shownAt === null && shown()) window.__load.shownAt = now; } catch (e) {}
    try { if (window.__load.shownAt !== null && complete()) { window.__load.completeAt = now; return; } } catch (e) {}
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
"""

OURS_SHOWN = """
  const picture = deepFind(document, '.network-picture[data-frame]');
  if (!picture) return false;
  if (window.__load.firstNeurons === null) window.__load.firstNeurons = +picture.dataset.neurons;
  const train = deepFind(document, '.train-loss'), test = deepFind(document, '.test-loss');
  return +picture.dataset.neurons === want.neurons && +picture.dataset.trainPoints === want.train
    && train && train.dataset.epoch === '0' && test && /[0-9]/.test(test.textContent);
"""
REAL_SHOWN = """
  const test = document.querySelector('#loss-test'), counter = document.querySelector('#iter-number');
  return !!(test && counter && /[0-9]/.test(test.textContent) && counter.textContent.trim() === '000,000');
"""


OURS_COMPLETE = "\n  return !!deepFind(document, '.playground-app.complete');\n"


@dataclass(frozen=True)
class Site:
    name: str
    shown_js: str
    counter: str  # the epoch counter's selector
    play: str  # the play button's selector
    complete_js: str = "return true;"  # the whole page is there (a static page: once shown)


OURS = Site("ours", OURS_SHOWN, ".epoch-counter", ".play-button button", OURS_COMPLETE)
REAL = Site("real", REAL_SHOWN, "#iter-number", "#play-pause-button")

COUNTER_PROBE = """(selector) => {
  const deepFind = (root, sel) => { const hit = root.querySelector(sel); if (hit) return hit;
    for (const node of root.querySelectorAll('*')) if (node.shadowRoot) { const f = deepFind(node.shadowRoot, sel);
      if (f) return f; } return null; };
  const epochOf = (text) => parseInt(text.replace(/\\D/g, '') || '0', 10);
  let el = null;
  const text = () => { if (!el || !el.isConnected) el = deepFind(document, selector); return el ? el.textContent : ''; };
  let last = text();
  const probe = {frames: 0, epoch: epochOf(last)};
  const tick = () => { const t = text(); if (t !== last) { last = t; probe.frames++; probe.epoch = epochOf(t); }
    requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  window.__counterProbe = probe;
}"""
SNAPSHOT = "() => ({...window.__counterProbe, t: performance.now() / 1000})"


BARE_SHOWN = f"\n  return !!deepFind(document, '.{SHOWN_CLASS}');\n"
BARE = Site("bare", BARE_SHOWN, "", "")


def serve_bare_panel(port: int) -> subprocess.Popen:
    """scripts/bare_panel_page.py in its own process, once it listens."""
    script = Path(__file__).with_name("bare_panel_page.py")
    server = subprocess.Popen([sys.executable, str(script), str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    return wait_listening(server, port, "the bare Panel page")


def serve_real(directory: Path, port: int) -> subprocess.Popen:
    if not (directory / "index.html").is_file():
        raise SystemExit(f"bench_app: --compare-real {directory}: no index.html there (the real site's build)")
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(directory)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return wait_listening(server, port, "the real site's server")


def load_page(browser, url: str, site: Site, want: dict, viewport: dict, bandwidth_mbps: float | None = None):
    page = browser.new_page(viewport=viewport)
    if bandwidth_mbps:
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        rate = bandwidth_mbps * 1e6 / 8  # bytes per second
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": LATENCY_MS,
                                                      "downloadThroughput": rate, "uploadThroughput": rate})
    page.add_init_script(LOAD_PROBE % {"want": json.dumps(want), "condition": site.shown_js,
                                       "complete": site.complete_js})
    page.goto(url)
    page.wait_for_function("() => window.__load && window.__load.completeAt !== null", timeout=LOAD_TIMEOUT_MS)
    return page, {**page.evaluate("() => window.__load"), "sentBytes": page.evaluate(SENT_JS)}


def interleaved_loads(browser, sites: list[tuple[str, Site]], want: dict, viewport: dict, loads: int,
                      bandwidth_mbps: float | None = None) -> list[dict]:
    """Each site's load time in `loads` fresh tabs (after one unmeasured tab each), the sites taking turns tab
    by tab, so that all see the same machine: a machine that slows down mid-run slows all alike. Each tab
    starts `SETTLE_S` after the last one closed."""
    records: list[list[dict]] = [[] for _ in sites]
    for attempt in range(loads + 1):
        for index, (url, site) in enumerate(sites):
            page, load = load_page(browser, url, site, want, viewport, bandwidth_mbps)
            page.close()
            time.sleep(SETTLE_S)
            if attempt:
                records[index].append(load)
    return [{"load_s": statistics.median(r["shownAt"] for r in rs), "loads_s": [r["shownAt"] for r in rs],
             "complete_s": statistics.median(r["completeAt"] for r in rs),
             "sent_mb": statistics.median(r["sentBytes"] for r in rs) / 1e6,
             "first_neurons": [r["firstNeurons"] for r in rs]} for rs in records]


def training_rates(browser, url: str, site: Site, want: dict, viewport: dict, warmup: float, seconds: float,
                   speed: str | None = None) -> dict:
    """Epochs/s and frames/s while training, in a tab of their own."""
    page, _ = load_page(browser, url, site, want, viewport)
    try:
        page.evaluate(COUNTER_PROBE, site.counter)
        if site is OURS:
            choose_speed(page, speed)
        page.locator(site.play).click()
        time.sleep(warmup)
        start = page.evaluate(SNAPSHOT)
        time.sleep(seconds)
        end = page.evaluate(SNAPSHOT)
        page.locator(site.play).click()
    finally:
        page.close()
    window = end["t"] - start["t"]
    return {"site": site.name, "epochs_per_s": (end["epoch"] - start["epoch"]) / window,
            "frames_per_s": (end["frames"] - start["frames"]) / window}


def compare(browser, ours_url: str, real_url: str, bare_url: str, config, want: dict, viewport: dict, loads: int,
            warmup: float, seconds: float, speed: str | None = None, bandwidth_mbps: float | None = None) -> dict:
    real_url, ours_url = f"{real_url}#{config.link}", f"{ours_url}#{config.link}"
    real_loads, ours_loads, bare = interleaved_loads(browser, [(real_url, REAL), (ours_url, OURS), (bare_url, BARE)],
                                                     want, viewport, loads, bandwidth_mbps)
    real = {**real_loads, **training_rates(browser, real_url, REAL, want, viewport, warmup, seconds)}
    ours = {**ours_loads, **training_rates(browser, ours_url, OURS, want, viewport, warmup, seconds, speed)}
    ratio = {key: ours[key] / real[key] if real[key] else float("inf")
             for key in ("epochs_per_s", "frames_per_s", "load_s")}
    ratio["bare_load_s"] = bare["load_s"] / real["load_s"]
    ratio["over_bare"] = ours["load_s"] / bare["load_s"]
    low, high = WATCH_EPS_RANGE if speed == "watch" else (EPS_TARGET[config.name], float("inf"))
    passed = {"epochs_per_s": low <= ratio["epochs_per_s"] <= high,
              "frames_per_s": ratio["frames_per_s"] >= 1.0 or ours["frames_per_s"] >= 59.0,
              "load_s": ratio["load_s"] <= LOAD_TARGET,
              "own_network_first": all(n == want["neurons"] for n in ours["first_neurons"])}
    return {"config": config.name, "description": config.description, "real": real, "ours": ours, "bare": bare,
            "ratio": ratio, "passed": passed, "eps_target": f"{low:g}–{high:g}" if speed == "watch" else f"≥ {low:g}"}


def markdown(rows: list[dict], meta: dict) -> str:
    lines = [
        f"Side by side with the real playground ({meta['real_dir']}): {meta['cpus']} CPUs, load average "
        f"{meta['load_before']} before / {meta['load_after']} after; {meta['window_s']:g} s window after "
        f"{meta['warmup_s']:g} s warm-up; load = median of {meta['loads']} fresh tabs"
        + (f", each at {meta['bandwidth_mbps']:g} Mbit/s with {LATENCY_MS} ms latency" if meta["bandwidth_mbps"] else "")
        + "; ours at "
        + (f"the {meta['speed']} speed." if meta["speed"] else "the link's own speed."),
        "",
        "| config | real: epochs/s @ frames/s | ours: epochs/s @ frames/s | real load | ours load "
        "| ours complete | epochs/s ours/real | frames/s ours/real | load ours/real | own network first |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for row in rows:
        real, ours, ratio, ok = row["real"], row["ours"], row["ratio"], row["passed"]
        mark = {True: "✓", False: "✗"}
        lines.append(
            f"| {row['config']}: {row['description']} | {real['epochs_per_s']:.1f} @ {real['frames_per_s']:.1f} "
            f"| {ours['epochs_per_s']:.1f} @ {ours['frames_per_s']:.1f} | {real['load_s']:.2f} s "
            f"| {ours['load_s']:.2f} s | {ours['complete_s']:.2f} s | {ratio['epochs_per_s']:.2f}× ({row['eps_target']}) "
            f"{mark[ok['epochs_per_s']]} | {ratio['frames_per_s']:.2f}× (≥ 1) {mark[ok['frames_per_s']]} "
            f"| {ratio['load_s']:.2f}× (≤ {LOAD_TARGET:g}) {mark[ok['load_s']]} "
            f"| {mark[ok['own_network_first']]} (first drawn: {ours['first_neurons']} neurons) |")
    lines += ["", "Ours complete: the data column and the notes under the network, which follow the first frame, "
              "are there too. Each tab's load, in the order they took turns (s):", ""]
    lines += [f"- {row['config']}: real {' '.join(f'{t:.2f}' for t in row['real']['loads_s'])}; "
              f"ours {' '.join(f'{t:.2f}' for t in row['ours']['loads_s'])}; "
              f"bare Panel {' '.join(f'{t:.2f}' for t in row['bare']['loads_s'])}; pulled: real "
              f"{row['real']['sent_mb']:.2f} MB, ours {row['ours']['sent_mb']:.2f} MB, bare Panel "
              f"{row['bare']['sent_mb']:.2f} MB" for row in rows]
    lines += ["", "The floor: a bare Panel page (one Markdown pane, the app's scripts, `scripts/bare_panel_page.py`), "
              "taking turns with both sites:", ""]
    lines += [f"- {row['config']}: {row['bare']['load_s']:.2f} s, {row['ratio']['bare_load_s']:.2f}× the real site's "
              f"load; ours {row['ratio']['over_bare']:.2f}× the bare page's" for row in rows]
    return "\n".join(lines)


def run(args, server: subprocess.Popen, base_url: str, load_before: str) -> int:
    """`bench_app.py --compare-real`: both sites, the configs asked for, printed as a table or JSON."""
    real_port, bare_port = free_port(), free_port()
    real_server = serve_real(args.compare_real, real_port)
    bare_server = serve_bare_panel(bare_port)
    rows = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for name in args.configs:
                config = with_engine(CONFIGS[name], args.engine)
                print(f"bench_app: {name} side by side ...", file=sys.stderr, flush=True)
                rows.append(compare(browser, base_url, f"http://127.0.0.1:{real_port}/", f"http://127.0.0.1:{bare_port}/",
                                    config, expected_view(config.link), VIEWPORT, args.loads, args.warmup,
                                    args.seconds, args.speed, args.bandwidth))
            browser.close()
    finally:
        stop_servers(server, real_server, bare_server)
    meta = {"real_dir": str(args.compare_real), "warmup_s": args.warmup, "window_s": args.seconds,
            "loads": args.loads, "cpus": os.cpu_count(), "load_before": load_before, "speed": args.speed,
            "bandwidth_mbps": args.bandwidth,
            "load_after": load_average()}
    if args.format == "json":
        print(json.dumps({"meta": meta, "rows": rows}, indent=2))
    else:
        print(markdown(rows, meta))
    return 0
