"""A school across machines: deploy/haproxy.cfg in front of two `playground serve --classroom` backends, with a
class of simulated students (scripts/simulated_student.py) through it; one backend is killed mid-class."""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .class_servers import SCRIPTS, Server, run_async
from .served import free_port, listening, wait

HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
CONFIG = Path(__file__).resolve().parent.parent / "deploy" / "haproxy.cfg"
STUDENTS = 8
KILL_AT_S = 25.0  # after the students started: all of them are training by then
CLASS_S = 55.0
KEY = "a-key-both-machines-share-0123456789abcdef"  # BOKEH_SECRET_KEY: signed session ids work on either

pytestmark = pytest.mark.skipif(
    not os.path.exists(HAPROXY),
    reason="haproxy is not installed (apt-get install haproxy; scripts/test.sh installs it, as CI does)")


@pytest.fixture
def school(tmp_path):
    """Two backends (two worker processes each) and the balancer; yields (balancer URL, backends by cookie)."""
    balancer_port = free_port()
    public = f"localhost:{balancer_port}"
    env_key = {"BOKEH_SECRET_KEY": KEY}
    backends, balancer = {}, None
    old = {k: os.environ.get(k) for k in env_key}
    os.environ.update(env_key)
    try:
        for name in ("machine1", "machine2"):
            backends[name] = Server(free_port(), tmp_path / f"{name}.log", "--num-procs", "2", "--use-xheaders",
                                    "--allow-websocket-origin", public)
        for backend in backends.values():
            backend.wait_until_serving()
        env = {**os.environ, "PLAYGROUND_LISTEN": f"127.0.0.1:{balancer_port}",
               "PLAYGROUND_BACKEND_1": f"127.0.0.1:{backends['machine1'].port}",
               "PLAYGROUND_BACKEND_2": f"127.0.0.1:{backends['machine2'].port}"}
        log = open(tmp_path / "haproxy.log", "w")  # noqa: SIM115 - closed below
        balancer = subprocess.Popen([HAPROXY, "-db", "-f", str(CONFIG)], env=env, stdout=log, stderr=subprocess.STDOUT)
        wait(lambda: listening(balancer_port) or balancer.poll() is not None)
        assert balancer.poll() is None, (tmp_path / "haproxy.log").read_text()
        yield f"http://127.0.0.1:{balancer_port}", f"http://{public}", backends
    finally:
        for key, value in old.items():
            os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)
        if balancer is not None:
            balancer.terminate()
            balancer.wait(timeout=10)
            log.close()
        for backend in backends.values():
            backend.stop()


def run_class(base: str, origin: str, kill) -> list[dict]:
    """The students, arriving over 5 s, each reloading its page when its connection is lost; `kill()` runs
    KILL_AT_S after they start (in a thread: the students go on meanwhile)."""
    sys.path.insert(0, str(SCRIPTS))
    try:
        from simulated_student import Student
    finally:
        sys.path.remove(str(SCRIPTS))
    from tornado.httpclient import AsyncHTTPClient

    async def main():
        AsyncHTTPClient.configure(None, max_clients=STUDENTS)
        start = time.time() + 0.5
        students = [Student(i, base, random.Random(i), change_every=15.0, origin=origin, reload_on_loss=True)
                    for i in range(STUDENTS)]
        runs = [s.run(start + 5.0 * i / STUDENTS, start + CLASS_S) for i, s in enumerate(students)]
        killer = asyncio.get_running_loop().run_in_executor(None, lambda: (time.sleep(KILL_AT_S + 0.5), kill()))
        results = await asyncio.gather(*runs)
        await killer
        return results

    return run_async(main)


def frames_between(student: dict, start: float, end: float) -> int:
    return sum(1 for t in student["frames"] if start <= t < end)


def test_a_class_through_the_balancer_trains_and_survives_a_machine_that_fails(school, capsys):
    base, origin, backends = school
    killed_at: list[float] = []

    def kill() -> None:
        killed_at.append(time.time())
        backends["machine1"].kill()

    students = run_class(base, origin, kill)
    (kill_time,) = killed_at
    on = {name: [s for s in students if s["backends"][0] == name] for name in backends}
    report = [f"students per machine at the start: {', '.join(f'{k} {len(v)}' for k, v in on.items())}"]
    for i, s in enumerate(students):
        first = s["frames"][0] - s["opened_at"] if s["frames"] else None
        reload = s["reloads"][0] if s["reloads"] else None
        back = f"{reload['back_at'] - reload['at']:.1f} s" if reload and reload["back_at"] else "-"
        report.append(f"student {i}: {' -> '.join(map(str, s['backends']))}; first frame after "
                      f"{first and round(first, 1)} s; frames {len(s['frames'])}; frames after the kill "
                      f"{frames_between(s, kill_time + 1, s['closed_at'])}; reloads {len(s['reloads'])} "
                      f"(back training after {back}); errors {s['errors']}")
    with capsys.disabled():
        print("\n" + "\n".join(report))

    assert all(on.values()), "the balancer sent every student to one machine"
    for s in students:
        assert not s["errors"], s["errors"]
        assert frames_between(s, kill_time - 10, kill_time) >= 10, "a student was not training before the kill"
        assert frames_between(s, kill_time + 15, s["closed_at"]) >= 10, "a student was not training at the end"
    for s in on["machine1"]:  # lost its page: the notice (tests/browser/test_connection_lost.py), a reload
        assert len(s["reloads"]) == 1 and s["backends"][-1] == "machine2" and s["reloads"][0]["back_at"]
        assert s["reloads"][0]["back_at"] - s["reloads"][0]["at"] < 15
    for s in on["machine2"]:  # undisturbed: no reload, never two seconds without a frame
        assert s["reloads"] == [] and len(set(s["backends"])) == 1
        around = [t for t in s["frames"] if kill_time - 5 <= t <= kill_time + 10]
        assert max(b - a for a, b in zip(around, around[1:], strict=False)) < 2.0
    # a noise change reaches the page as new points; one pending while a machine is killed is lost with the page
    noise_changes, answered = sum(s["noise_changes"] for s in students), sum(len(s["action"]) for s in students)
    assert noise_changes > 0 and answered >= noise_changes - len(on["machine1"]), (answered, noise_changes)
    # no session built twice: every session opened once, on one machine, and each page's session is one of them
    opened = [sid for backend in backends.values() for _, sid in backend.sessions_opened()]
    pages = [sid for s in students for sid in s["session_ids"]]
    assert len(opened) == len(set(opened)), "a session was built twice"
    assert set(pages) <= set(opened)
    assert len(opened) <= len(pages) + 2  # plus at most the balancer's or a probe's stray page, never a rebuild
