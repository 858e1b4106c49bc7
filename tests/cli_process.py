"""Helpers for tests that run the command line as a user does: in a subprocess, with stderr on a terminal
(a pseudo-terminal) when a test needs one, and with a look at the processes it starts."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COMMAND = [sys.executable, "-m", "playground.cli"]


class TerminalStderr:
    """A `playground` process whose stderr is a terminal; what it writes there is collected as it comes."""

    def __init__(self, *args: str, stdout=subprocess.PIPE, cwd=REPO):
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # rows, columns: a terminal's
        self.proc = subprocess.Popen([*COMMAND, *map(str, args)], stdout=stdout, stderr=slave, cwd=cwd,
                                     start_new_session=True)  # its own process group, as a shell job is
        os.close(slave)
        self._master = master
        self._chunks: list[bytes] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self._master, 4096)
            except OSError:  # EIO: the process closed its end
                return
            if not chunk:
                return
            self._chunks.append(chunk)

    @property
    def stderr(self) -> str:
        return b"".join(self._chunks).decode("utf-8", "replace")

    def finish(self, timeout: float = 120) -> tuple[int, str, str]:
        """Wait for the process: (exit code, stdout, everything written to the terminal)."""
        out, _ = self.proc.communicate(timeout=timeout)
        self._reader.join(timeout=10)
        os.close(self._master)
        return self.proc.returncode, (out or b"").decode(), self.stderr


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process from /proc, or None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()  # after "pid (name) ": the name may hold spaces
    return fields[0], int(fields[1])


def kernels_of(pid: int) -> list[int]:
    """The Jupyter kernels `pid` started (processes below it running ipykernel), from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            parents[int(entry.name)] = stat[1]
    found = []
    for child, _parent in parents.items():
        ancestor = child
        while ancestor in parents and ancestor != pid:
            ancestor = parents[ancestor]
        if ancestor != pid or child == pid:
            continue
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"ipykernel" in cmdline:
            found.append(child)
    return found


def is_gone(pid: int) -> bool:
    """True once the process has exited (a zombie waiting for its parent counts: it runs nothing)."""
    stat = _stat(pid)
    return stat is None or stat[0] in ("Z", "X")
