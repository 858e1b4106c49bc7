"""How fast the web app trains and draws, measured in a real (headless) browser.

For each config it starts a fresh tab on a `playground serve` subprocess, presses Play, lets it warm up, then
measures over a window:
- epochs/s: the epoch counter shown in the page, its change over the window divided by the window's length;
- frames/s: animation frames in which the page showed a new epoch counter (a frame the browser drew, not
  a requestAnimationFrame tick and not a message that was overwritten before it was painted);
- heatmap/s: animation frames in which the output heatmap's pixels changed (a downscaled fingerprint of
  its canvases, taken once per animation frame);
- server CPU % and browser CPU % (all chromium processes) over the window, as % of one core, so on a
  2-core machine 200 % is everything.
The app's own speed read-out at the end of the window is printed as a cross-check.

    python scripts/bench_app.py [--seconds 8] [--warmup 2] [--configs A,B,C] [--engine numpy] [--format json]
    python scripts/bench_app.py --screenshot assets/screenshot-spiral.png   # only the README screenshot
    python scripts/bench_app.py --compare-real ../shared/reference/tfp-site   # side by side with the real site

With --compare-real DIR it serves the real playground's build from DIR as well and prints, per config, both
sites' epochs/s, frames/s and load time and the ratios the targets use (scripts/compare_real.py says how).
`--speed watch` picks the app's "Watch" speed (one epoch per drawn frame, as lessons start) before Play.

Needs Debian's chromium at /usr/bin/chromium (never `playwright install`). Other busy processes on the
machine lower every figure: the load average is printed with the results.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from bench_app_page import (
    EPOCH_REACHED_JS,
    LOSS_SHOWN_JS,
    PROBE_JS,
    READ_OUT_JS,
    SHOWN_JS,
    SHOWS_LINK_JS,
    SNAPSHOT_JS,
    SPEED_LABELS,
    choose_speed,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from playground.server.ports import free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 1000}
READY_TIMEOUT_MS = 60_000  # a fresh session builds its views and first frame; slow on a busy machine
STALE_TIMEOUT_MS = 10_000  # after this, a page that still shows another network is taken as stale
SCREENSHOT_EPOCH = 400  # the README screenshot: config B, training, just past this epoch

# The real playground's default link (see tests/fixtures/reference/README.md).
DEFAULT_HASH = ("activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane&learningRate=0.03"
                "&regularizationRate=0&noise=0&networkShape=4,2&seed=0.59704&showTestData=false&discretize=false"
                "&percTrainData=50&x=true&y=true&xTimesY=false&xSquared=false&ySquared=false&cosX=false"
                "&sinX=false&cosY=false&sinY=false&collectStats=false&problem=classification&initZero=false"
                "&hideText=false")


def with_changes(link: str, **changes: str) -> str:
    """`link` with the given keys set (replaced in place, new ones appended)."""
    parts = [part.split("=", 1) for part in link.split("&")]
    keys = [key for key, _ in parts]
    out = [f"{key}={changes.get(key, value)}" for key, value in parts]
    out += [f"{key}={value}" for key, value in changes.items() if key not in keys]
    return "&".join(out)


@dataclass(frozen=True)
class Config:
    name: str
    description: str
    link: str
    target_eps: float
    target_fps: float
    real_playground_eps: float  # what the original TensorFlow Playground reached on this machine


CONFIGS = {c.name: c for c in [
    Config("A", "default link (circle, 4,2)", DEFAULT_HASH, 100, 25, 60),
    Config("B", "spiral, 6 layers of 8, 7 features, 90% train",
           with_changes(DEFAULT_HASH, dataset="spiral", networkShape="8,8,8,8,8,8", x="true", y="true",
                        xSquared="true", ySquared="true", xTimesY="true", sinX="true", sinY="true",
                        percTrainData="90"), 40, 15, 14),
    Config("C", "regression, multi gaussian, 8,8",
           with_changes(DEFAULT_HASH, problem="regression", regDataset="reg-gauss", networkShape="8,8"),
           60, 20, 31),
]}


def with_engine(config: Config, engine: str | None) -> Config:
    return replace(config, link=with_changes(config.link, engine=engine)) if engine else config


@dataclass
class Result:
    config: str
    description: str
    epochs_per_s: float
    frames_per_s: float
    heatmap_frames_per_s: float
    target_eps: float
    target_fps: float
    passed: bool
    server_cpu_percent: float
    browser_cpu_percent: float | None
    app_readout: str
    real_playground_eps: float
    window_s: float
    stale_loads: int  # page loads thrown away because the browser kept showing another network


# ---------------------------------------------------------------- processes and CPU time
def _process_table() -> dict[int, tuple[int, str, float]]:
    """pid → (parent pid, name, user + system CPU seconds, all threads) for every process, from /proc."""
    table, tick = {}, os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:  # it ended while we looked
            continue
        name, fields = stat[stat.index("(") + 1: stat.rindex(")")], stat[stat.rindex(")") + 2:].split()
        table[int(entry)] = (int(fields[1]), name, (int(fields[11]) + int(fields[12])) / tick)
    return table


def cpu_seconds(server_pid: int) -> tuple[float, dict[int, float]]:
    """CPU seconds of the server, and of every chromium process under this one (Playwright's driver starts
    the browser; other chromiums on the machine do not count)."""
    table = _process_table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _name, _cpu) in table.items():
        children.setdefault(ppid, []).append(pid)
    below, todo = [], [os.getpid()]
    while todo:
        kids = children.get(todo.pop(), [])
        below += kids
        todo += kids
    browser = {pid: table[pid][2] for pid in below if "chrom" in table[pid][1].lower()}
    return table.get(server_pid, (0, "", 0.0))[2], browser


def _cpu_percent(before: dict[int, float], after: dict[int, float], seconds: float) -> float | None:
    if not after:
        return None
    used = sum(after[pid] - before.get(pid, 0.0) for pid in after)  # a process started meanwhile counts fully
    return 100.0 * used / seconds


def start_server(port: int) -> subprocess.Popen:
    """`playground serve` in its own process, so its CPU is measured apart from the browser's."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    server = subprocess.Popen([sys.executable, "-m", "playground", "serve", "--port", str(port), "--no-show"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return wait_listening(server, port, "`playground serve`")


def wait_listening(server: subprocess.Popen, port: int, what: str) -> subprocess.Popen:
    """`server` once it listens on `port`; exits naming `what` if it stops first or is not listening in 60 s."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = server.stderr.read() if server.stderr else ""
            raise SystemExit(f"bench_app: {what} exited ({server.returncode}):\n{output}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return server
        time.sleep(0.1)
    server.kill()
    raise SystemExit(f"bench_app: {what} did not listen on port {port} within 60 s")


def stop_servers(*servers: subprocess.Popen) -> None:
    """Terminate each server, killing one that has not exited within 10 s."""
    for server in servers:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def load_average() -> str:
    """The machine's 1/5/15-minute load, printed beside every figure."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# ---------------------------------------------------------------- the page
def expected_view(link: str) -> dict:
    """What a page on `link` must show: hidden + output neurons, and the number of training points."""
    values = dict(part.split("=", 1) for part in link.split("&"))
    neurons = sum(int(units) for units in values.get("networkShape", "").split(",") if units) + 1
    points = 1200 if values.get("problem") == "regression" else 500
    return {"neurons": neurons, "train": points * int(values.get("percTrainData", "50")) // 100}


def open_app(browser, base_url: str, config: Config, attempts: int = 6):
    """A new tab on the config's link, once the browser shows the link's network and data; and how many
    loads before it were stale.

    Some page loads show the link's settings but keep the previous network diagram and data points for good
    (the server's models are right; the browser never gets them): such a tab would measure the wrong
    drawing, so it is closed and the page loaded again."""
    want = expected_view(config.link)
    for attempt in range(1, attempts + 1):
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(f"{base_url}#{config.link}")
        page.wait_for_selector(".playground-app.ready.complete", state="attached", timeout=READY_TIMEOUT_MS)
        page.wait_for_function(LOSS_SHOWN_JS, timeout=READY_TIMEOUT_MS)
        try:
            page.wait_for_function(SHOWS_LINK_JS, arg=want, timeout=STALE_TIMEOUT_MS)
            return page, attempt - 1
        except PlaywrightTimeout:
            shown = page.evaluate(SHOWN_JS)
            print(f"bench_app: config {config.name}, load {attempt}: the browser shows {shown['neurons']} neurons "
                  f"and {shown['train']} training points, not {want['neurons']} and {want['train']} (stale view, "
                  "an app bug); loading the page again", file=sys.stderr, flush=True)
            page.close()
    raise SystemExit(f"bench_app: config {config.name}: the page never showed the link's network")


def toggle_play(page, now: str, by_key: bool = False) -> None:
    """Press Play/Pause (or the space bar) and wait until the button says `now` ("Pause" once playing,
    "Play" once paused)."""
    if by_key:
        page.keyboard.press("Space")
    else:  # a CSS locator: resolving the accessible name walks the whole page and can stall a busy renderer
        page.locator(".play-button button").click()
    page.locator(".play-button button", has_text=now).wait_for(timeout=READY_TIMEOUT_MS)


def measure(browser, base_url: str, config: Config, server_pid: int, warmup: float, seconds: float,
            speed: str | None = None) -> Result:
    page, stale_loads = open_app(browser, base_url, config)
    try:
        if page.evaluate(PROBE_JS) == 0:
            raise SystemExit("bench_app: found no canvas under .output-plot; has the page layout changed?")
        choose_speed(page, speed)
        toggle_play(page, now="Pause")
        time.sleep(warmup)
        start = page.evaluate(SNAPSHOT_JS)
        server0, browser0 = cpu_seconds(server_pid)
        time.sleep(seconds)
        end = page.evaluate(SNAPSHOT_JS)
        server1, browser1 = cpu_seconds(server_pid)
        readout = page.evaluate(READ_OUT_JS)
        toggle_play(page, now="Play")  # a closed tab's session lives on for a while: stop it training
    finally:
        page.close()
    window = end["t"] - start["t"]
    eps = (end["epoch"] - start["epoch"]) / window
    fps = (end["frames"] - start["frames"]) / window
    return Result(config=config.name, description=config.description, epochs_per_s=eps, frames_per_s=fps,
                  heatmap_frames_per_s=(end["heatmapFrames"] - start["heatmapFrames"]) / window,
                  target_eps=config.target_eps, target_fps=config.target_fps,
                  passed=eps >= config.target_eps and fps >= config.target_fps,
                  server_cpu_percent=100.0 * (server1 - server0) / window,
                  browser_cpu_percent=_cpu_percent(browser0, browser1, window),
                  app_readout=readout, real_playground_eps=config.real_playground_eps, window_s=window,
                  stale_loads=stale_loads)


def take_screenshot(browser, base_url: str, config: Config, path: Path) -> None:
    """Config B while training, once past SCREENSHOT_EPOCH (live speed read-outs), the app's area, as PNG."""
    page, _stale_loads = open_app(browser, base_url, config)
    try:
        toggle_play(page, now="Pause", by_key=True)  # no hover tooltip
        page.wait_for_function(EPOCH_REACHED_JS, arg=SCREENSHOT_EPOCH, timeout=120_000)
        box = page.locator(".main-row").bounding_box()  # down to the end of the content, not the empty page
        height = min(VIEWPORT["height"], int(box["y"] + box["height"]) + 24) if box else VIEWPORT["height"]
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), type="png", scale="css", animations="disabled", caret="hide",
                        clip={"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height})
        shown = page.locator(".epoch-counter").inner_text()
    finally:
        page.close()
    print(f"bench_app: wrote {path} ({path.stat().st_size // 1024} KiB) at epoch {shown}")


# ---------------------------------------------------------------- output
def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}"


def markdown(results: list[Result], meta: dict) -> str:
    lines = [
        f"App benchmark: engine {meta['engine']}, {meta['window_s']:g} s window after {meta['warmup_s']:g} s "
        f"warm-up, {meta['cpus']} CPUs, load average {meta['load_before']} before / {meta['load_after']} after.",
        "",
        "| config | epochs/s | frames/s | heatmap/s | target (ep/s @ fps) | pass | server CPU % | browser CPU % "
        "| app read-out (ep/s / fps) | real playground ep/s |",
        "|---|---:|---:|---:|---|---|---:|---:|---|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.config}: {r.description} | {r.epochs_per_s:.0f} | {r.frames_per_s:.1f} | "
            f"{r.heatmap_frames_per_s:.1f} | ≥ {r.target_eps:g} @ ≥ {r.target_fps:g} | "
            f"{'pass' if r.passed else 'FAIL'} | {_pct(r.server_cpu_percent)} | {_pct(r.browser_cpu_percent)} | "
            f"{r.app_readout} | {r.real_playground_eps:g} |")
    lines += [
        "",
        "frames/s: animation frames that showed a new epoch; heatmap/s: those whose output heatmap pixels "
        "changed; CPU % is of one core. Targets are for a quiet 2-core machine: other load lowers every figure.",
    ]
    stale = {r.config: r.stale_loads for r in results if r.stale_loads}
    if stale:
        lines.append("Stale page loads reloaded (the browser kept another network; an app bug): "
                     + ", ".join(f"{name} ×{count}" for name, count in stale.items()) + ".")
    return "\n".join(lines)


def parse_args(argv=None):
    import engine

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="measured window per config (default 8)")
    parser.add_argument("--warmup", type=float, default=2.0, help="training before the window (default 2)")
    parser.add_argument("--configs", default="A,B,C", help="comma-separated configs from A, B, C (default all)")
    parser.add_argument("--engine", choices=engine.backend_names(), default=None,
                        help="compute backend, added to each link as engine=NAME (default: the app's default)")
    parser.add_argument("--format", choices=["markdown", "json"], default="markdown")
    parser.add_argument("--compare-real", type=Path, metavar="DIR",
                        help="also serve the real playground's build from DIR and print both rows and the ratios")
    parser.add_argument("--loads", type=int, default=5, help="with --compare-real: fresh tabs per load time")
    parser.add_argument("--bandwidth", type=float, metavar="MBPS",
                        help="with --compare-real: load each tab at MBPS megabit/s (a student's share "
                             "of a school's Wi-Fi; default: no limit)")
    parser.add_argument("--speed", choices=sorted(SPEED_LABELS), help="the app's speed menu before Play")
    parser.add_argument("--screenshot", type=Path, metavar="PATH",
                        help=f"only save a PNG of config B paused at epoch {SCREENSHOT_EPOCH} (no benchmark)")
    args = parser.parse_args(argv)
    names = [n.strip().upper() for n in args.configs.split(",") if n.strip()]
    unknown = [n for n in names if n not in CONFIGS]
    if unknown or not names:
        parser.error(f"--configs: unknown {', '.join(unknown) or '(none given)'}; choose from {', '.join(CONFIGS)}")
    if args.seconds <= 0 or args.warmup < 0 or args.loads < 1 or (args.bandwidth is not None and args.bandwidth <= 0):
        parser.error("--seconds, --loads and --bandwidth must be positive and --warmup not negative")
    args.configs = names
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if not os.path.exists(CHROMIUM):
        print(f"bench_app: {CHROMIUM} not found (apt-get install chromium)", file=sys.stderr)
        return 2
    port = free_port()
    server = start_server(port)
    base_url = f"http://127.0.0.1:{port}/"
    results: list[Result] = []
    load_before = load_average()
    if args.compare_real:
        import compare_real  # it uses this script's configs and browser setup

        return compare_real.run(args, server, base_url, load_before)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            if args.screenshot:
                take_screenshot(browser, base_url, with_engine(CONFIGS["B"], args.engine), args.screenshot)
                return 0
            for name in args.configs:
                config = with_engine(CONFIGS[name], args.engine)
                print(f"bench_app: measuring {name} ({config.description}) ...", file=sys.stderr, flush=True)
                results.append(measure(browser, base_url, config, server.pid, args.warmup, args.seconds,
                                       args.speed))
            browser.close()
    finally:
        stop_servers(server)
    meta = {"engine": args.engine or "app default", "warmup_s": args.warmup, "window_s": args.seconds,
            "cpus": os.cpu_count(), "load_before": load_before,
            "load_after": load_average()}
    if args.format == "json":
        print(json.dumps({"meta": meta, "results": [asdict(r) for r in results]}, indent=2))
    else:
        print(markdown(results, meta))
    return 0


if __name__ == "__main__":
    sys.exit(main())
