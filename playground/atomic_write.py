"""Files written whole or not at all: the command line's outputs (notebooks, HTML pages, benchmark reports).

The text goes to a temporary file in the target's own folder, is flushed to disk, then renamed over the
target (`os.replace`, atomic within one file system). A full disk, a signal or a crash mid-write leaves
the old file as it was and no temporary file behind; a reader never sees half a notebook. A target that is
not a regular file (`/dev/stdout`, a named pipe, `/dev/full`) cannot be swapped: it is written in place.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

__all__ = ["write_text"]


def _new_file_mode() -> int:
    """The mode `open(path, "w")` would give a new file: 0o666 less the process's umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_text(path, text: str, encoding: str = "utf-8") -> None:
    """Write `text` to `path` atomically (see the module's docstring); OSError as `open`/`write` raise it."""
    target = Path(os.path.realpath(path))  # through a symlink: replace the file, keep the link
    try:
        existing = os.stat(target)
    except FileNotFoundError:
        existing = None
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        target.write_text(text, encoding=encoding)
        return
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else _new_file_mode()
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "w", encoding=encoding) as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
