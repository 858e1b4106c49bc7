"""Where one server worker process spends its time under a class of simulated students (py-spy).

    python scripts/profile_server.py --students 15 --seconds 25 [--procs 2] [--top 25] [--port 5891]

It starts `playground serve --classroom` (as `scripts/load_test.py` does), lets the students
(`scripts/simulated_student.py`) join and train for --warmup seconds, then samples the worker process that
holds the most sessions with py-spy (`--nonblocking`: the process is never paused) for --seconds, and prints
the functions by their share of the busy samples:
- inclusive: the samples in which the function is on the stack (itself or anything it called);
- self: the samples in which it is the innermost frame;
- groups: a few named parts of a frame's life (the `GROUPS` below), each the share of samples with any of its
  functions on the stack (a sample counts once per group).
Shares are relative to the busy samples (by default only the thread holding the GIL: py-spy's `--gil`; a
thread waiting for it would count as busy otherwise), so a busy machine distorts them less than absolute
timings; the machine's load is printed with them. py-spy is installed into this
Python's environment with pip if it is missing; sampling another process needs the right to trace it (root,
or `kernel.yama.ptrace_scope` 0).
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from load_server import session_events, start_server, stop_server
from simulated_student import run_students

# A named part of the server's work per frame: (file, function) pairs; a function matches by its last name
# (`step` matches `Experiment.step`).
GROUPS = {
    "training epochs (Experiment.step)": [("experiment.py", "step")],
    "building a frame (FrameBuilder.build)": [("frames.py", "build")],
    "encoding a frame (frame_encoding)": [("frame_encoding.py", "encode_frame"), ("frame_encoding.py", "encode_points")],
    "applying a frame to the views (PlaygroundApp._apply_frame)": [("app.py", "_apply_frame")],
    "param watchers": [("parameterized.py", "_call_watcher")],
    "Bokeh model changes and patches": [("document.py", "_trigger_on_change"), ("document.py", "apply_json_patch"),
                                       ("callbacks.py", "trigger_on_change"), ("reactive.py", "_update_model")],
    "serialising messages (Bokeh)": [("serializer.py", "serialize"), ("serialization.py", "serialize")],
    "websocket writes": [("websocket.py", "write_message"), ("connection.py", "send_patch_document"),
                         ("connection.py", "write_message"), ("message_writes.py", "write_whole")],
    "the page's messages (acks, clicks)": [("ws.py", "on_message")],
    "building sessions (pages joining)": [("contexts.py", "create_session_if_needed")],
    "a page's first document (PULL-DOC)": [("pull_doc_reply.py", "create"), ("session.py", "_handle_pull")],
    "a page's held-back parts (StagedPage)": [("staged_page.py", "_show_the_rest")],
}
# Where a thread waits (py-spy's idle detection misses some with --nonblocking): not busy.
IDLE = {("threading.py", "wait"), ("selectors.py", "select"), ("threading.py", "_wait_for_tstate_lock")}
# The frames every stack of a thread starts with: left out of the inclusive table.
ENTRY_FILES = {"<frozen runpy>", "threading.py", "base_events.py", "events.py", "asyncio.py", "cli.py",
               "__main__.py", "selector_events.py"}
ENTRY_FUNCTIONS = {("serve.py", "run"), ("server.py", "serve"), ("server.py", "get_server"),
                   ("worker_router.py", "start"), ("worker_router.py", "run")}
FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} ({os.cpu_count()} cores)"


def py_spy() -> str:
    """The py-spy executable, installed into this environment first if it is not there."""
    beside = Path(sys.executable).with_name("py-spy")
    found = str(beside) if beside.exists() else shutil.which("py-spy")
    if found:
        return found
    print("installing py-spy (pip) ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "py-spy"], check=True)
    return str(beside) if beside.exists() else shutil.which("py-spy") or "py-spy"


def busiest_worker(log_path: Path) -> int | None:
    """The worker process id that holds the most sessions now (from the server's session log lines)."""
    live: dict[int, int] = {}
    for _, pid, _, _, count in session_events(log_path):
        live[pid] = count
    return max(live, key=live.get) if live else None


def label(frame: str) -> str:
    """'function (path/to/file.py:12)' -> 'file.py:function' (lines folded: shares are per function)."""
    match = FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    path = match.group("file")
    parts = Path(path).parts
    # keep one folder for names that repeat across packages (document.py, session.py, ...)
    short = "/".join(parts[-2:]) if len(parts) > 1 and parts[-2] in {"messages", "views", "live", "server"} else parts[-1] if parts else path
    return f"{short}:{match.group('function')}"


def _parts(name: str) -> tuple[str, str]:
    """'file.py:Class.function' -> ('file.py', 'function') (the folder kept for some files is dropped)."""
    where, _, function = name.rpartition(":")
    return where.rsplit("/", 1)[-1], function.rsplit(".", 1)[-1]


def read_raw(path: Path) -> list[tuple[list[str], int]]:
    """py-spy's raw (collapsed) output: one 'frame;frame;... count' line per distinct stack, outermost first."""
    stacks = []
    for line in path.read_text(errors="replace").splitlines():
        head, _, count = line.rpartition(" ")
        if head and count.isdigit():
            stacks.append(([label(f) for f in head.split(";")], int(count)))
    return stacks


def shares(stacks: list[tuple[list[str], int]]) -> dict:
    idle = sum(count for frames, count in stacks if _parts(frames[-1]) in IDLE)
    stacks = [(frames, count) for frames, count in stacks if _parts(frames[-1]) not in IDLE]
    total = sum(count for _, count in stacks)
    inclusive: collections.Counter = collections.Counter()
    own: collections.Counter = collections.Counter()
    groups: collections.Counter = collections.Counter()
    for frames, count in stacks:
        for name in set(frames):
            inclusive[name] += count
        own[frames[-1]] += count
        named = {_parts(frame) for frame in frames}
        for group, members in GROUPS.items():
            if named.intersection(members):
                groups[group] += count
    return {"total": total, "idle": idle, "inclusive": inclusive, "self": own, "groups": groups}


def table(title: str, counter: collections.Counter, total: int, top: int) -> list[str]:
    rows = [f"### {title}", "", "| share | function |", "|--:|---|"]
    rows += [f"| {100 * n / total:.1f} % | `{name}` |" for name, n in counter.most_common(top)]
    return [*rows, ""]


def report(result: dict, top: int, header: str) -> str:
    total = result["total"]
    if not total:
        return header + "\n\nno busy samples (was the worker idle?)"
    lines = [header, "", f"busy samples: {total} (and {result['idle']} waiting, left out)", ""]
    lines += ["### groups", "", "| share | part |", "|--:|---|"]
    lines += [f"| {100 * result['groups'][g] / total:.1f} % | {g} |" for g in GROUPS]
    lines.append("")
    inclusive = collections.Counter({k: v for k, v in result["inclusive"].items()
                                     if _parts(k)[0] not in ENTRY_FILES and _parts(k) not in ENTRY_FUNCTIONS
                                     and not k.endswith("<module>")})
    lines += table("inclusive (on the stack)", inclusive, total, top)
    lines += table("self (innermost frame)", result["self"], total, top)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=15)
    parser.add_argument("--seconds", type=float, default=25.0, help="how long to sample")
    parser.add_argument("--warmup", type=float, default=20.0, help="seconds after the students start, before sampling")
    parser.add_argument("--procs", type=int, default=None, help="server worker processes (default: one per core)")
    parser.add_argument("--port", type=int, default=5891)
    parser.add_argument("--rate", type=int, default=100, help="samples per second")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--gil", action=argparse.BooleanOptionalAction, default=True,
                        help="count only samples of the thread holding the GIL (default): in a process of many "
                             "training threads, a thread waiting for the GIL would otherwise count as busy")
    parser.add_argument("--raw", type=Path, default=None, help="also keep py-spy's raw stacks in this file")
    parser.add_argument("--read", type=Path, default=None, help="only print the shares of raw stacks kept before")
    args = parser.parse_args(argv)
    if args.read:
        print(report(shares(read_raw(args.read)), args.top, f"## py-spy: {args.read}"))
        return 0
    spy = py_spy()
    folder = Path(tempfile.mkdtemp(prefix="playground-profile-"))
    log_path, raw = folder / "server.log", args.raw or folder / "stacks.txt"
    before = load()
    server = start_server(args.port, args.procs, log_path)
    try:
        start = time.time() + 1.0
        stop_at = start + args.warmup + args.seconds + 10
        queue = multiprocessing.get_context("spawn").Queue()
        plan = (args.students, f"http://127.0.0.1:{args.port}", 0, 30.0, min(10.0, args.warmup / 2), start,
                stop_at, queue, f"http://localhost:{args.port}")
        client = multiprocessing.get_context("spawn").Process(target=run_students,
                                                               args=(list(range(args.students)), *plan))
        client.start()
        time.sleep(max(0.0, start + args.warmup - time.time()))
        pid = busiest_worker(log_path) or server.pid
        sampled_load = load()
        subprocess.run([spy, "record", "--pid", str(pid), "--duration", str(round(args.seconds)), "--rate",
                        str(args.rate), "--nonblocking", "--format", "raw", "--output", str(raw),
                        *(["--gil"] if args.gil else [])],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client.join(timeout=stop_at - time.time() + 60)
        if client.is_alive():
            client.terminate()
    finally:
        stop_server(server)
    live = [count for _, p, _, _, count in session_events(log_path) if p == pid]
    header = (f"## py-spy: one worker process (pid {pid}, {max(live, default=0)} of {args.students} students' "
              f"sessions), {args.seconds:g} s at {args.rate} Hz{', GIL holder only' if args.gil else ''}\n\n{before} before the server started; "
              f"{sampled_load} when sampling began; {load()} after")
    print(report(shares(read_raw(raw)), args.top, header))
    return 0


if __name__ == "__main__":
    sys.exit(main())
