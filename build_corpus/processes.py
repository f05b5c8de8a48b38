"""The build's processes beside the main one: a job forked beside this process (`beside`), pipes between
them, and the names `top` shows for them. No stage's code: what runs in them is the stages' business.
"""
from __future__ import annotations

import gc
import multiprocessing
import sys
import threading
import traceback
from collections.abc import Callable
from typing import TypeVar

from . import remembered


def name_process(name: str) -> None:
    """The name `top` and /proc/<pid>/comm show for this process (Linux; up to 15 bytes): how the benchmark
    tells the build's processes apart (bc-pipeline, bc-beside, bc-markdown, bc-templates, bc-search-index,
    bc-subsite). Elsewhere, nothing."""
    try:
        import ctypes
        ctypes.CDLL(None).prctl(15, name.encode()[:15], 0, 0, 0)   # PR_SET_NAME
    except (OSError, AttributeError, TypeError):
        pass


A = TypeVar("A")
B = TypeVar("B")


class BesideError(RuntimeError):
    """The forked half of `beside` raised or died; the message holds its traceback or exit code."""


def can_fork() -> bool:
    """Linux only (macOS has fork, but its system libraries may break in a forked copy, which is why
    Python does not fork there by default), and no other thread running: a fork copies only the
    calling thread, so a lock another thread held (`mkdocs serve`'s watcher and server) could stay
    locked forever in the copy."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


PIPE_BYTES = 1 << 20   # what a pipe between two of the build's processes holds before its writer waits


def widen_pipe(fd: int) -> None:
    """Room for PIPE_BYTES in a pipe (Linux; elsewhere, or above the system's limit, the default 64 KB),
    so the process writing it can run that far ahead of the one reading it."""
    try:
        import fcntl
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass


def beside(here: Callable[[], A], there: Callable[[], B]) -> tuple[A, B]:
    """`here()` in this process while `there()` runs in a forked copy of it; both results, as if run
    one after the other (`there` sees the state from before `here` ran, and what it changes stays
    in the copy: it must return everything it makes). Without fork, one after the other."""
    if not can_fork():
        return here(), there()
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_send_result, args=(there, sending), name="beside", daemon=True)
    # Objects from before the fork are left out of both processes' garbage collection from now on (they
    # live as long as the build, as the corpus _cyclic_gc_paused froze): a collection writes to every
    # object it visits, and each page of memory written is then copied (the copy's memory at 3,000
    # reports: ~1 GB, most of it pages the parent also holds).
    gc.collect()
    gc.freeze()
    child.start()
    sending.close()
    with receiving:
        try:
            first = here()
        except BaseException:
            child.terminate()
            child.join()
            raise
        try:
            ok, second = receiving.recv()
        except EOFError:
            ok, second = False, None
        child.join()
    if not ok:
        raise BesideError(second or f"the second process died (exit code {child.exitcode})")
    second, learned = second
    remembered.adopt(learned)
    return first, second


def _send_result(job: Callable, sending) -> None:
    """The job's result, and what its memos learned (remembered.py: kept for the next build by the parent)."""
    name_process("bc-beside")
    start = remembered.mark()
    try:
        result = (True, (job(), remembered.since(start)))
    except BaseException:
        result = (False, traceback.format_exc())
    sending.send(result)
    sending.close()
