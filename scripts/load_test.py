"""Load test for `playground serve --classroom`: simulated students on one server; prints figures.

    python scripts/load_test.py --students 30 --minutes 5 [--port 5890] [--procs N] [--format markdown|json]
    python scripts/load_test.py --students 30 --through http://localhost:8080   # through a balancer (deploy/)

It starts the server (`playground serve --classroom --port PORT --no-show`, log captured to a file;
scripts/load_server.py), waits until every worker process has answered a page, as a teacher's server has
before the class arrives, then the students, each doing on the wire exactly what a browser tab does (Bokeh's websocket protocol):
  1. GET /: the server creates the session and renders the page, which carries the session token;
  2. opens /ws (subprotocols "bokeh" + token, with the page's Origin), waits for the server's ACK, sends
     PULL-DOC-REQ for the document, then what its views send once rendered: each live component's
     {listening: true} (live_component.py) and the `document_ready` event (Panel then runs the app's onload);
  3. presses Play (the top bar's `data_event` {action: click, button: playButton}), and again if training
     stops (the top bar's `playing` turns false);
  4. acknowledges every frame as the network canvas's JavaScript does: when a PATCH-DOC changes the canvas's
     `frame` (frame_encoding) or carries a frame in a message to the canvas (Panel's `esm_event`), it sends
     the canvas's `data_event` {ack: frame id} on the next 60 Hz animation frame (after the page has
     reported it is drawn, as a tab does once its views are built);
  5. every 20-40 s (--change-every 30, jittered by a third) changes the learning rate (the top bar's `data_event`
     {action: choose, menu: learningRate, value}), or the noise (the slider's `value`, set when it is let go).
Students do not draw: the server's work per tab is the same, and the client stays light enough to share the
machine. They (scripts/simulated_student.py) are asyncio tasks over --client-procs processes, keeping cookies.

With `--through URL` the students open URL (a balancer, e.g. deploy/haproxy.cfg) instead of the server,
with URL's origin; the server the load test starts (on --port, with `--use-xheaders` and that origin
allowed) must be where the balancer sends them. Only that server's CPU, memory and log are counted.

Figures (definitions):
- join: from requesting the page to the first frame (p50, p90, max), and how many students got frames at all;
  whole page: to the data column's arrival (it follows the first frame once the class is in: page_joins.py).
- frames/s: frames a student received from its first frame until it closed, over that time (min, median).
- frame interval: time between two consecutive frames of one student (p50, p95: stutter).
- action latency: from sending a noise change to receiving the first frame with the regenerated points
  (the student sees the change); p50, p95. This is the latency the target is about.
- echo latency: from sending any setting change to receiving the URL-hash update the server makes when it
  handles it on the session's event loop (p50, p95: event-loop responsiveness).
- server CPU: CPU seconds of all server processes over the run, per second of wall time (1.0 = one core),
  and the share of it spent in the kernel (system time: sockets, waking threads);
  memory: RSS summed over server processes, sampled every 10 s; "growth" compares the last sample with the
  one at 1 minute, or once every student got its first frame if that is later (judged only when 30 s or
  more of samples follow it); per page: the last sample (every student on) less the first (none yet), over
  the students (each worker process's first page, its imports and caches, included); and once they have
  left and their sessions are freed, against the first (what stays: those first pages, and memory the
  allocator keeps for reuse).
- errors: server log lines with "Traceback" or "ERROR", plus protocol ERROR replies and connection failures.
- freed: `--classroom` logs "session ID opened (N live in this process)" and "session ID closed, training
  thread stopped (N live ...)". Per student: seconds from its close to its session's (last) closed line.
  Overall: seconds from the last close until every worker's last line says 0 live and the server's thread
  count is back to what it was before the students came (holding for 2 s).
- sessions built: a page whose websocket reaches another worker process, or arrives after the unused-session
  lifetime (a busy server), has its session built twice; the figure shows builds per page (the server-ready
  probes' pages included).
- server CPU per delivered frame: the server's CPU over the run, over every frame the students received (ms).
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from load_server import (
    SAMPLE_EVERY,
    log_errors,
    sample,
    sessions_built,
    start_server,
    stop_server,
    wait_until_freed,
)
from simulated_student import run_students


# ------------------------------------------------------------------ figures
def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


def figures(args, students: list[dict], samples: list[dict], client_cpu: float, wall: float, freed: dict,
            log_path: Path) -> dict:
    errors, disconnects = log_errors(log_path)
    pages, builds = sessions_built(log_path)
    rates, changing, intervals = [], [], []
    for s in students:
        frames = s["frames"]
        span = s["closed_at"] - frames[0] if frames else 0.0
        rates.append((len(frames) - 1) / span if span > 0 else 0.0)
        changing.append((len(s["new_weights"]) - 1) / span if span > 0 else 0.0)
        intervals += [b - a for a, b in zip(frames, frames[1:], strict=False)]
    joins = [s["frames"][0] - s["opened_at"] for s in students if s["frames"]]
    whole = [s["whole_page_at"] - s["opened_at"] if s["whole_page_at"] else math.inf for s in students]
    action = [x for s in students for x in s["action"]]
    echo = [x for s in students for x in s["echo"]]
    client_errors = [f"student {i}: {e}" for i, s in enumerate(students) for e in s["errors"]]
    delivered = sum(len(s["frames"]) for s in students)
    server_cpu_s = samples[-1]["cpu_s"] - samples[0]["cpu_s"]
    t0 = samples[0]["t"]
    # the reference: 1 minute in, and not before every student is in (on a busy machine joining takes longer)
    settled = max([t0 + 60, *(s["frames"][0] for s in students if s["frames"])])
    at_minute = next((x for x in samples if x["t"] >= settled), None)
    judged = at_minute is not None and samples[-1]["t"] - at_minute["t"] >= 30
    growth = samples[-1]["rss_mb"] - at_minute["rss_mb"] if judged else None
    ms = 1000.0
    result = {
        "students": args.students, "minutes": args.minutes, "server_procs": args.procs or "one per core",
        "frames_per_second": _min_median(rates),
        "new_weights_per_second": _min_median(changing),
        "students_with_frames": len(joins),
        "join_s": {"p50": _scaled(percentile(joins, 50), 1), "p90": _scaled(percentile(joins, 90), 1),
                   "max": _scaled(max(joins, default=None), 1)},
        "whole_page_s": {"p50": _scaled(percentile(whole, 50), 1), "max": _scaled(max(whole, default=None), 1)},
        "frame_interval_ms": {"p50": _scaled(percentile(intervals, 50), ms), "p95": _scaled(percentile(intervals, 95), ms)},
        "action_latency_ms": {"p50": _scaled(percentile(action, 50), ms), "p95": _scaled(percentile(action, 95), ms),
                              "count": len(action), "noise_changes": sum(s["noise_changes"] for s in students)},
        "echo_latency_ms": {"p50": _scaled(percentile(echo, 50), ms), "p95": _scaled(percentile(echo, 95), ms),
                            "count": len(echo)},
        "sessions_built": {"pages": pages, "builds": builds, "per_page": builds / pages if pages else None},
        "frames_delivered": delivered,
        "server_cpu_ms_per_frame": 1000 * server_cpu_s / delivered if delivered else None,
        "setting_changes": sum(s["changes"] for s in students),
        "play_restarts": sum(s["restarts"] for s in students),
        "server_cpu_cores": server_cpu_s / max(samples[-1]["t"] - t0, 1e-9),
        "server_cpu_system_share": (samples[-1]["system_s"] - samples[0]["system_s"]) / server_cpu_s
                                   if server_cpu_s > 0 else None,
        "client_cpu_cores": client_cpu / wall,
        "memory_mb": [(round(x["t"] - t0), round(x["rss_mb"], 1)) for x in samples],
        "memory_growth_after_first_minute_mb": growth,
        "memory_per_page_mb": (samples[-1]["rss_mb"] - samples[0]["rss_mb"]) / args.students,
        "memory_after_pages_freed_mb": freed["rss_mb"] - samples[0]["rss_mb"],
        "server_log_errors": errors[:20], "closed_tab_write_errors": disconnects, "client_errors": client_errors[:20],
        "freed": freed, "server_log": str(log_path),
    }
    wanted_fps = 12 if args.students <= 30 else 6  # the classroom's targets (docs/classroom.md)
    result["targets"] = {
        f"every student >= {wanted_fps} frames/s": result["frames_per_second"]["min"] >= wanted_fps,
        "first frame within 5 s for everyone": len(joins) == len(students) and max(joins, default=0) <= 5,
        "action latency p95 < 250 ms": (result["action_latency_ms"]["p95"] or math.inf) < 250,
        "zero errors": not errors and not client_errors,
        "memory flat after the first minute (< 5% growth)": growth < 0.05 * at_minute["rss_mb"] if judged else None,
        "one session built per page": builds == pages,
        "server CPU per delivered frame <= 3 ms": (result["server_cpu_ms_per_frame"] or math.inf) <= 3,
        "every session freed within 10 s": freed["freed"] == freed["sessions"] and not freed["worker_still_running"]
                                            and (freed["all_freed_s"] or math.inf) < 10,
    }
    return result


def _min_median(values: list[float]) -> dict:
    return {"min": min(values, default=0.0), "median": statistics.median(values) if values else 0.0}


def _scaled(value: float | None, factor: float) -> float | None:
    return None if value is None else round(value * factor, 1)


def markdown(r: dict) -> str:
    f, growth = r["freed"], r["memory_growth_after_first_minute_mb"]
    rows = [
        ("students × minutes", f"{r['students']} × {r['minutes']:g} (server processes: {r['server_procs']})"),
        ("page opened → first frame (p50 / p90 / max)",
         f"{r['join_s']['p50']} / {r['join_s']['p90']} / {r['join_s']['max']} s "
         f"({r['students_with_frames']} students got frames)"),
        ("page opened → whole page, the data column in (p50 / max)",
         f"{r['whole_page_s']['p50']} / {r['whole_page_s']['max']} s"),
        ("frames/s per student (min / median)", f"{r['frames_per_second']['min']:.1f} / {r['frames_per_second']['median']:.1f}"),
        ("of which frames with new weights, per second (min / median; the rest show the same network)",
         f"{r['new_weights_per_second']['min']:.1f} / {r['new_weights_per_second']['median']:.1f}"),
        ("frame interval p50 / p95", f"{r['frame_interval_ms']['p50']} / {r['frame_interval_ms']['p95']} ms"),
        ("action latency p50 / p95 (noise change → new points)",
         f"{r['action_latency_ms']['p50']} / {r['action_latency_ms']['p95']} ms ({r['action_latency_ms']['count']} "
         f"of {r['action_latency_ms']['noise_changes']} noise changes answered)"),
        ("echo latency p50 / p95 (any change → URL hash)",
         f"{r['echo_latency_ms']['p50']} / {r['echo_latency_ms']['p95']} ms ({r['echo_latency_ms']['count']} changes)"),
        ("sessions built per page (incl. the server-ready probes)",
         f"{r['sessions_built']['per_page']:.2f} ({r['sessions_built']['builds']} for {r['sessions_built']['pages']}; "
         "more than 1: a websocket reached another process, or came after the unused-session lifetime)"),
        ("setting changes / Play pressed again", f"{r['setting_changes']} / {r['play_restarts']}"),
        ("server CPU (cores; share in the kernel)",
         f"{r['server_cpu_cores']:.2f} ({100 * (r['server_cpu_system_share'] or 0):.0f} % system)"),
        ("server CPU per delivered frame", f"{r['server_cpu_ms_per_frame']:.2f} ms ({r['frames_delivered']} frames)"
         if r["server_cpu_ms_per_frame"] is not None else "no frames"),
        ("client CPU (cores)", f"{r['client_cpu_cores']:.2f}"),
        ("server memory (RSS MB, every 10 s)", ", ".join(f"{t}s: {mb:g}" for t, mb in r["memory_mb"])),
        ("memory growth after the first minute", "run too short" if growth is None else f"{growth:+.1f} MB"),
        ("memory per page (all on, less before any; first pages included) / after all were freed",
         f"{r['memory_per_page_mb']:.1f} MB / {r['memory_after_pages_freed_mb']:+.1f} MB against before any"),
        ("errors (server log / client)", f"{len(r['server_log_errors'])} / {len(r['client_errors'])}"),
        ("frames cut off by a closing tab (tornado's WebSocketClosedError, not counted)",
         str(r["closed_tab_write_errors"])),
        ("sessions freed after close (max / median)",
         f"{f['freed']}/{f['sessions']}, {f['max_s'] and round(f['max_s'], 1)} / {f['median_s'] and round(f['median_s'], 1)} s"),
        ("no session left and threads back to baseline, after the last close",
         f"{f['all_freed_s'] and round(f['all_freed_s'], 1)} s ({f['built_after_student_left']} sessions were "
         f"built after their student had left; {f['worker_still_running']} training threads outlived a session)"),
    ]
    lines = ["| figure | value |", "|---|---|", *(f"| {k} | {v} |" for k, v in rows), "", "| target | met |", "|---|---|"]
    verdicts = {True: "yes", False: "NO", None: "not judged (run too short)"}
    lines += [f"| {k} | {verdicts[ok]} |" for k, ok in r["targets"].items()]
    lines += ["", f"server log: {r['server_log']}", *(f"server error: {e}" for e in r["server_log_errors"]),
              *(f"client error: {e}" for e in r["client_errors"])]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--port", type=int, default=5890)
    parser.add_argument("--procs", type=int, default=None, help="server worker processes (default: one per core)")
    parser.add_argument("--client-procs", type=int, default=1, help="processes the students are split over")
    parser.add_argument("--change-every", type=float, default=30.0,
                        help="mean seconds between a student's setting changes (jittered by a third either way)")
    parser.add_argument("--ramp", type=float, default=10.0, help="seconds over which the students arrive")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--format", choices=["markdown", "json"], default="markdown")
    parser.add_argument("--raw", type=Path, metavar="FILE", help="also write every student's timings to FILE (JSON)")
    parser.add_argument("--through", metavar="URL", default=None,
                        help="students open URL (a balancer in front of this server) instead of the server")
    args = parser.parse_args(argv)
    if args.students < 1 or args.client_procs < 1 or min(args.minutes, args.change_every, args.ramp + 1) <= 0:
        parser.error("--students and --client-procs must be at least 1; --minutes and --change-every positive")
    log_path = Path(tempfile.mkdtemp(prefix="playground-load-")) / "server.log"
    base, origin, extra = f"http://127.0.0.1:{args.port}", f"http://localhost:{args.port}", []
    if args.through:
        through = urlsplit(args.through)
        if through.scheme not in ("http", "https") or not through.netloc:
            parser.error(f"--through needs an http(s) URL, not {args.through!r}")
        base, origin = args.through.rstrip("/"), f"{through.scheme}://{through.netloc}"
        extra = ["--use-xheaders", "--allow-websocket-origin", through.netloc]
    server = start_server(args.port, args.procs, log_path, extra)
    try:
        samples = [sample(server)]
        baseline_threads = samples[0]["threads"]
        start = time.time() + 1.0
        stop_at = start + args.minutes * 60
        queue = multiprocessing.get_context("spawn").Queue()
        groups = [list(range(args.students))[k::args.client_procs] for k in range(args.client_procs)]
        plan = (args.students, base, args.seed, args.change_every, args.ramp, start, stop_at, queue, origin)
        clients = [multiprocessing.get_context("spawn").Process(target=run_students, args=(g, *plan)) for g in groups]
        for c in clients:
            c.start()
        while time.time() < stop_at:
            time.sleep(min(SAMPLE_EVERY, max(0.0, stop_at - time.time())))
            samples.append(sample(server))
        students, client_cpu = [], 0.0
        for _ in clients:
            outcome, cpu = queue.get(timeout=120)
            students += outcome
            client_cpu += cpu
        for c in clients:
            c.join()
        freed = wait_until_freed(server, log_path, students, baseline_threads)
        freed["rss_mb"] = sample(server)["rss_mb"]
        result = figures(args, students, samples, client_cpu, stop_at - start, freed, log_path)
        if args.raw:
            args.raw.write_text(json.dumps({"start": start, "students": students}))
    finally:
        stop_server(server)
    print(json.dumps(result, indent=2) if args.format == "json" else markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
