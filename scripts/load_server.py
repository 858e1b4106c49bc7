"""The server under `scripts/load_test.py` and `scripts/profile_server.py`: `playground serve --classroom` in
its own process group, started and ready (every worker process has answered a page, as a teacher's server has
before the class arrives), sampled (CPU, memory, threads), read back from its log (sessions opened and
closed, errors), and stopped.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from http.cookies import SimpleCookie
from pathlib import Path

import psutil

from playground.server.worker_process import COOKIE as WORKER_COOKIE  # names the worker that answered

SAMPLE_EVERY = 10.0  # seconds between server CPU/memory samples
FREE_TIMEOUT = 30.0  # give up waiting for sessions to be freed after this
CONTINUATION = ("Traceback", "During handling", "The above exception", "future:")
DISCONNECT = re.compile(r"WebSocketClosedError|StreamClosedError")
# A session id can open twice: in a second worker process, or again after its page waited too long to connect.
SESSION_LINE = re.compile(r"^(\S+ \S+) pid=(\d+) INFO \S+: session (\S+) (opened|closed, training thread "
                          r"(stopped|still running)) \((\d+) live in this process\)")


def server_processes(server: subprocess.Popen) -> list[psutil.Process]:
    try:
        root = psutil.Process(server.pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def sample(server: subprocess.Popen) -> dict:
    rss = cpu = system = threads = 0
    for proc in server_processes(server):
        try:
            with proc.oneshot():
                rss += proc.memory_info().rss
                times = proc.cpu_times()
                cpu += times.user + times.system
                system += times.system
                threads += proc.num_threads()
        except psutil.NoSuchProcess:
            pass
    return {"t": time.time(), "rss_mb": rss / 2**20, "cpu_s": cpu, "system_s": system, "threads": threads}


def start_server(port: int, procs: int | None, log_path: Path, extra: list[str] | None = None) -> subprocess.Popen:
    with socket.socket() as probe:  # else the readiness check below could be answered by someone else's server
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does: TIME_WAIT is no owner
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise SystemExit(f"port {port} is in use: pick another with --port") from None
    cmd = [sys.executable, "-m", "playground", "serve", "--classroom", "--port", str(port), "--no-show"]
    if procs:
        cmd += ["--num-procs", str(procs)]
    cmd += extra or []
    log = open(log_path, "w")  # noqa: SIM115 - the server writes to it for its whole life
    server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline, answered = time.time() + 120, set()  # the worker processes that answered a page
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited ({server.returncode}); see {log_path}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as page:
                page.read()
                cookies = SimpleCookie()
                for line in page.headers.get_all("Set-Cookie") or []:
                    cookies.load(line)
                worker = cookies.get(WORKER_COOKIE)
            answered.add(worker.value if worker is not None else "the only one")
            if worker is None or len(answered) >= (procs or os.cpu_count() or 1):
                return server
        except OSError:
            time.sleep(0.5)
    stop_server(server)
    raise SystemExit(f"the server did not answer on port {port} within 120 s; see {log_path}")


def stop_server(server: subprocess.Popen) -> None:
    """The server and its worker processes (its own process group)."""
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def session_events(log_path: Path) -> list[tuple[float, int, str, str, int]]:
    """(time, pid, session id, "opened" / "stopped" / "still running", sessions live in that process)."""
    events = []
    for line in log_path.read_text(errors="replace").splitlines():
        if match := SESSION_LINE.match(line):
            when = datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S,%f").timestamp()
            events.append((when, int(match.group(2)), match.group(3), match.group(5) or "opened",
                           int(match.group(6))))
    return events


def wait_until_freed(server, log_path: Path, students: list[dict], baseline_threads: int) -> dict:
    """After the students closed: when the server held no session any more (every worker's last log line
    says 0 live) and its thread count was back to the baseline, for 2 s in a row; and per student, seconds
    from its close to the server logging its session closed (the last copy, if it was built twice)."""
    last_close = max((s["closed_at"] for s in students), default=time.time())
    quiet_since = None
    while time.time() < last_close + FREE_TIMEOUT:
        live = {pid: count for _, pid, _, _, count in session_events(log_path)}
        quiet = sum(live.values()) == 0 and sample(server)["threads"] <= baseline_threads
        quiet_since = (quiet_since or time.time()) if quiet else None
        if quiet_since and time.time() - quiet_since >= 2.0:
            break
        time.sleep(0.25)
    events = session_events(log_path)
    closed = {sid: (when, what) for when, _, sid, what, _ in events if what != "opened"}
    ids = {s["session_id"]: s["closed_at"] for s in students if s["session_id"]}
    delays = [closed[sid][0] - at for sid, at in ids.items() if sid in closed]
    late = sum(1 for when, _, sid, what, _ in events if what == "opened" and sid in ids and when > ids[sid])
    return {"sessions": len(ids), "freed": len(delays),
            "worker_still_running": sum(1 for _, _, _, what, _ in events if what == "still running"),
            "max_s": max(delays, default=None), "median_s": statistics.median(delays) if delays else None,
            "all_freed_s": quiet_since - last_close if quiet_since else None, "built_after_student_left": late}


def sessions_built(log_path: Path) -> tuple[int, int]:
    """(session ids, sessions built): more builds than ids means pages whose session was built twice."""
    opened = [sid for _, _, sid, what, _ in session_events(log_path) if what == "opened"]
    return len(set(opened)), len(opened)


def log_errors(log_path: Path) -> tuple[list[str], int]:
    """Errors in the server log (one summary line each), and how many were only a closed tab's websocket.

    A record is a log line plus its indented traceback. Tornado reports a frame that was still being written
    when its tab closed as "Task exception was never retrieved ... WebSocketClosedError": that is a tab
    leaving, not a fault, so it is counted apart (it only counts as an error if playground code is involved).
    """
    records: list[list[str]] = []
    for line in log_path.read_text(errors="replace").splitlines():
        if records and (not line or line[0].isspace() or line.startswith(CONTINUATION)):
            records[-1].append(line)
        else:
            records.append([line])
    errors, disconnects = [], 0
    for record in records:
        text = "\n".join(record)
        if "Traceback" not in text and "ERROR" not in text:
            continue
        if DISCONNECT.search(text) and "/playground/" not in text:
            disconnects += 1
        else:
            errors.append(f"{record[0][:160]} ... {record[-1][:160]}" if len(record) > 1 else record[0][:200])
    return errors, disconnects
