"""The command line stops when told: `export --html` within its --timeout, and at once on Ctrl+C or SIGTERM,
with its kernel gone; `run` closes its JSON or ends its progress line; no file is ever left half-written."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import threading
import time

import pytest

from playground import atomic_write
from playground.errors import Interrupted

from .cli_process import COMMAND, REPO, TerminalStderr, is_gone, kernels_of

LONG_LINK = "#dataset=xor&networkShape=4,2&seed=0.5"
LONG_EPOCHS = "1000000"  # hours of training in the notebook: only a stop ends it


def _start_export(tmp_path, *extra) -> subprocess.Popen:
    return subprocess.Popen([*COMMAND, "export", "--url", LONG_LINK, "--epochs", LONG_EPOCHS,
                             "--out", str(tmp_path / "run.ipynb"), "--html", str(tmp_path / "run.html"), *extra],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # its own process group, as a shell job is


def _wait_for_kernel(proc: subprocess.Popen, seconds: float = 120) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = kernels_of(proc.pid)
        if found:
            return found[0]
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.1)
    raise AssertionError("the export started no kernel")


def _assert_stopped_cleanly(proc, kernel: int, tmp_path, code: int, words: str) -> None:
    out, err = proc.communicate(timeout=60)  # it stops promptly, or the test fails here
    assert proc.returncode == code, err
    assert err.splitlines() == [err.strip()] and words in err and "Traceback" not in err, err
    deadline = time.monotonic() + 10
    while not is_gone(kernel) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert is_gone(kernel), f"kernel {kernel} still runs after the export ended"
    assert not (tmp_path / "run.html").exists()  # no page from a run that did not finish
    assert json.loads((tmp_path / "run.ipynb").read_text())["cells"]  # the notebook was written whole, first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.ipynb"]  # no temporary file left


@pytest.mark.slow
def test_export_html_stops_its_kernel_at_the_timeout(tmp_path):
    proc = _start_export(tmp_path, "--timeout", "15")
    started = time.monotonic()
    kernel = _wait_for_kernel(proc)
    _assert_stopped_cleanly(proc, kernel, tmp_path, 1, "took longer than 15 s (the time limit)")
    assert time.monotonic() - started < 15 + 60  # bounded: ended near the limit, not after the training


@pytest.mark.slow
@pytest.mark.parametrize("sig, code, name", [(signal.SIGINT, 130, "Ctrl+C"), (signal.SIGTERM, 143, "SIGTERM")])
def test_a_signal_stops_export_and_its_kernel_at_once(tmp_path, sig, code, name):
    proc = _start_export(tmp_path)
    kernel = _wait_for_kernel(proc)
    time.sleep(3)  # the kernel is training by now (or still starting: it must go either way)
    os.killpg(proc.pid, sig)  # what Ctrl+C in a terminal does: the kernel is in a session of its own
    _assert_stopped_cleanly(proc, kernel, tmp_path, code, f"stopped ({name})")


@pytest.mark.slow
def test_export_ends_when_its_kernel_dies(tmp_path):
    proc = _start_export(tmp_path)
    kernel = _wait_for_kernel(proc)
    time.sleep(2)
    os.kill(kernel, signal.SIGKILL)
    _assert_stopped_cleanly(proc, kernel, tmp_path, 1, "its Python kernel died")


# ---------------------------------------------------------------- run, interrupted

@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_json_run_leaves_valid_json(sig, code):
    proc = subprocess.Popen([*COMMAND, "run", "--url", LONG_LINK, "--epochs", LONG_EPOCHS, "--format", "json"],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    head = proc.stdout.read(20_000)  # well into the epochs
    proc.send_signal(sig)
    rest, err = proc.stdout.read(), proc.stderr.read()  # to the end (communicate would skip read-ahead bytes)
    assert proc.wait(timeout=60) == code, err
    result = json.loads(head + rest)  # one whole JSON object
    assert result["interrupted"] is True and result["seed"] == "0.5"
    epochs = [entry["epoch"] for entry in result["epochs"]]
    assert epochs == list(range(len(epochs))) and len(epochs) > 10


def test_an_interrupted_table_run_ends_the_progress_line():
    run = TerminalStderr("run", "--url", LONG_LINK, "--epochs", LONG_EPOCHS)
    deadline = time.monotonic() + 60
    while "epochs/s" not in run.stderr and time.monotonic() < deadline:  # the bar is showing
        time.sleep(0.05)
    assert "\r" in run.stderr, run.stderr
    os.killpg(run.proc.pid, signal.SIGINT)
    code, out, err = run.finish()
    assert code == 130
    assert "\nplayground run: stopped (Ctrl+C)" in err.replace("\r\n", "\n"), repr(err[-300:])
    lines = out.splitlines()
    assert lines[0].startswith("engine numpy, 250 training")
    epochs = [int(line.split()[0]) for line in lines[lines.index(next(x for x in lines if "train loss" in x)) + 1:]]
    assert epochs[0] == 0 and epochs[-1] > 0  # the table so far, to the last epoch trained


# ---------------------------------------------------------------- atomic writes

def test_export_over_a_notebook_on_a_full_disk_keeps_the_old_one(tmp_path):
    """The file-size limit makes a write fail part-way, as a full disk does (the notebook is ~15 KB)."""
    old = tmp_path / "exp.ipynb"
    old.write_text("the notebook from yesterday\n" * 10)
    before = old.read_bytes()

    def small_files() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    done = subprocess.run([*COMMAND, "export", "--url", "#seed=1", "--epochs", "1", "--out", str(old)], cwd=REPO,
                          capture_output=True, text=True, timeout=120, preexec_fn=small_files)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip() == f"playground export: cannot write {old}: File too large"
    assert old.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["exp.ipynb"]


def test_a_write_stopped_midway_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "page.html"
    target.write_text("old")

    def stopped(_fd):
        raise Interrupted(signal.SIGTERM)

    monkeypatch.setattr(os, "fsync", stopped)
    with pytest.raises(Interrupted):
        atomic_write.write_text(target, "new" * 1000)
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_an_atomic_write_keeps_the_mode_and_the_symlink(tmp_path):
    real = tmp_path / "real.ipynb"
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "link.ipynb"
    link.symlink_to(real)
    atomic_write.write_text(link, "new")
    assert link.is_symlink() and real.read_text() == "new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    fresh = tmp_path / "fresh.ipynb"
    atomic_write.write_text(fresh, "x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask


def test_a_target_that_is_not_a_file_is_written_in_place(tmp_path):
    """A named pipe (like /dev/stdout) cannot be swapped for a file: it gets the text, and stays a pipe."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    atomic_write.write_text(fifo, "through the pipe")
    reader.join(timeout=10)
    assert got == ["through the pipe"] and stat.S_ISFIFO(fifo.stat().st_mode)


def test_interrupted_is_a_keyboard_interrupt_with_the_shells_exit_code():
    assert Interrupted(signal.SIGINT).code == 130 and Interrupted(signal.SIGTERM).code == 143
    with pytest.raises(KeyboardInterrupt):
        raise Interrupted(signal.SIGTERM)
