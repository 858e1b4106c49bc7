"""Run a notebook's cells in a kernel, bounded in time and stopped when told.

nbclient runs the cells; this module owns the kernel's life around it. The kernel is a child process in
a session of its own (jupyter_client starts it so, and so Ctrl+C in a terminal never reaches it): every
way out of `execute_notebook` (the end, a failed cell, the time limit, Ctrl+C or SIGTERM to this process)
kills its process group before returning, so no kernel is left computing. The time limit counts from the
kernel's start to the last cell, and nbclient's own per-cell limit is the same number.
"""

from __future__ import annotations

import asyncio
import functools
import signal
import subprocess
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

from ..errors import Interrupted
from .errors import ExportFailed

__all__ = ["execute_notebook"]


def execute_notebook(nb: nbformat.NotebookNode, cwd=None, timeout: int = 600,
                     status: Callable[[str], None] | None = None) -> nbformat.NotebookNode:
    """Run every cell in a fresh kernel of *this* interpreter (ipykernel's own spec: the venv's python).

    `timeout` bounds each cell and the whole run (the kernel's start included). The kernel never outlives
    this call: past the time, on a failed cell, or on Ctrl+C/SIGTERM it is killed at once (with anything it
    started), then `ExportFailed` or `Interrupted` is raised. `status` hears what is being done.
    """
    run = functools.partial(asyncio.run, _execute(nb, cwd, timeout, status or (lambda _doing: None)))
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return run()
    with ThreadPoolExecutor(1) as pool:  # called from a running event loop (a notebook's): run beside it
        return pool.submit(run).result()


async def _execute(nb, cwd, timeout: int, status: Callable[[str], None]) -> nbformat.NotebookNode:
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient

    # No kernel directories: only ipykernel's built-in spec, whose argv is sys.executable, so a
    # user-level "python3" kernelspec pointing at another Python cannot take over.
    km = AsyncKernelManager(kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=[]))
    client = NotebookClient(nb, km=km, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd or Path.cwd())}})
    loop = asyncio.get_running_loop()
    stop = loop.create_future()  # set to a signal's number, or to None when the time is up

    def stop_for(reason) -> None:
        if not stop.done():
            stop.set_result(reason)

    restore = _on_signals(loop, stop_for)
    deadline = loop.call_later(timeout, stop_for, None)
    work = asyncio.ensure_future(_run_cells(client, nb, status))
    try:
        await asyncio.wait({work, stop}, return_when=asyncio.FIRST_COMPLETED)
        if stop.done():  # cut short: stop waiting on the kernel (which `finally` kills)
            work.cancel()
            await asyncio.gather(work, return_exceptions=True)
            if stop.result() is not None:
                raise Interrupted(stop.result())
            raise ExportFailed(f"running the notebook took longer than {timeout} s (the time limit); "
                               f"stopped in cell {client.code_cells_executed} of {_code_cells(nb)}")
        _raise_failure(work.exception(), timeout)
        return nb
    finally:
        deadline.cancel()
        await _kill_kernel(client, km)  # then the handlers: a second signal meanwhile only sets `stop` again
        restore()


def _code_cells(nb) -> int:
    return sum(1 for cell in nb.cells if cell.cell_type == "code")


async def _run_cells(client, nb, status: Callable[[str], None]) -> None:
    status("starting a python3 kernel")
    await client.async_start_new_kernel(stderr=subprocess.DEVNULL)  # its own log lines are not ours to print
    await client.async_start_new_kernel_client()
    info = await client.async_wait_for_reply(client.kc.kernel_info())
    if info is not None and "language_info" in info["content"]:
        nb.metadata["language_info"] = info["content"]["language_info"]
    total, done = _code_cells(nb), 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            done += 1
            status(f"running cell {done} of {total} in a python3 kernel")
            await client.async_execute_cell(cell, index, execution_count=done)


def _raise_failure(exc: BaseException | None, timeout: int) -> None:
    """The error a finished run's exception (if any) means to a user, as one line."""
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    if exc is None:
        return
    if isinstance(exc, CellTimeoutError):
        raise ExportFailed(f"running the notebook took longer than {timeout} s (the time limit) in one cell")
    if isinstance(exc, CellExecutionError):
        raise ExportFailed(f"running the notebook failed: {exc.ename}: {exc.evalue}")
    if isinstance(exc, DeadKernelError):
        raise ExportFailed("running the notebook failed: its Python kernel died (killed, or out of memory)")
    if isinstance(exc, Exception):  # the kernel died or could not start (DeadKernelError, RuntimeError, ...)
        first = str(exc).splitlines()[0] if str(exc) else repr(exc)
        raise ExportFailed(f"running the notebook failed: {first}")
    raise exc


def _on_signals(loop, stop_for: Callable[[int], None]) -> Callable[[], None]:
    """Ctrl+C and SIGTERM stop the run (in the main thread; elsewhere signals are not ours to take).

    Returns what puts the handlers before it back."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        handler = signal.getsignal(sig)
        try:
            loop.add_signal_handler(sig, stop_for, sig)
        except (RuntimeError, NotImplementedError):  # no signals on this loop (Windows)
            continue
        previous[sig] = handler

    def restore() -> None:
        for sig, handler in previous.items():
            loop.remove_signal_handler(sig)
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
    return restore


async def _kill_kernel(client, km) -> None:
    """Kill the kernel's process group (it runs in a session of its own, so Ctrl+C in the terminal does
    not reach it) and remove its connection file."""
    if client.kc is not None:
        client.kc.stop_channels()
    if km.has_kernel:
        await km.shutdown_kernel(now=True)
    else:
        km.cleanup_connection_file()
