"""Stopping a command politely: SIGTERM (and SIGHUP, a closed terminal) raised as
``KeyboardInterrupt`` in the main thread, so that a build stopped by ``kill``, a CI timeout or a
service manager cleans up as one stopped with Ctrl-C does (its staging and scratch folders
removed, its search documents in ``/dev/shm`` with them); and SIGINT (Ctrl-C) the same way, its
worker processes ended with it."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any, Callable, Iterator, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Executor

SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
#: Ctrl-C, taken over while Python's own handler has it (not when it is ignored: a command
#: started in the background): Python raises it as ``KeyboardInterrupt`` too, but leaves the
#: workers, which a terminal interrupts at the same time, to catch it in the task at hand and
#: wait for ever to send it back to a command that has ended.
INTERRUPT = signal.SIGINT
GRACE = 30.0  # seconds a stopped command has to clean up before it is ended outright
RESEND = 0.01  # seconds after which an interrupt lost where it was raised is sent again
Pool = TypeVar("Pool", bound="Executor")


@contextlib.contextmanager
def stopped_as_interrupted(stuck: Callable[[], None] | None = None) -> Iterator[None]:
    """While inside, SIGTERM, SIGHUP and SIGINT raise ``KeyboardInterrupt`` (in the main thread only:
    elsewhere signals cannot be handled, and nothing changes), after the worker processes this
    one started are killed (they would finish their share of the pages before the build could
    clean up; they hold nothing to clean up, their writes being in the folders this one
    removes). ``stuck`` is called if the command has not ended ``GRACE`` seconds later. A process
    forked meanwhile inherits the handler (a pool's worker, which the pool's shutdown may end by
    SIGTERM): there the signal ends it as it would without one, rather than as an interrupt
    raised in the worker, whose traceback multiprocessing prints."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    taken: list[int] = []  # the signals raised as KeyboardInterrupt so far
    command = os.getpid()

    def interrupt(signum: int, frame: object) -> None:
        if os.getpid() != command:  # a worker forked meanwhile: ended by the signal, as without this handler
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        import multiprocessing  # here: loaded already wherever a pool was started

        if not taken:
            for child in multiprocessing.active_children():
                child.kill()
            if stuck is not None:
                last_resort = threading.Timer(GRACE, stuck)
                last_resort.daemon = True  # a command that cleans up in time ends before it
                last_resort.start()
        taken.append(signum)
        raise KeyboardInterrupt

    def unraisable(unraised: Any) -> None:
        """The interrupt raised where no exception can go on (a callback Python runs around a
        fork, such as logging's, while a pool starts a worker) is sent again, to be raised at
        the next point that can take it; any other such exception is told as before."""
        if isinstance(unraised.exc_value, KeyboardInterrupt) and taken:
            again = threading.Timer(RESEND, os.kill, (os.getpid(), taken[-1]))
            again.daemon = True
            again.start()
        else:
            told(unraised)

    taken_over = (*SIGNALS, INTERRUPT) if signal.getsignal(INTERRUPT) is signal.default_int_handler else SIGNALS
    previous = {number: signal.signal(number, interrupt) for number in taken_over}
    told, sys.unraisablehook = sys.unraisablehook, unraisable
    try:
        yield
    finally:
        sys.unraisablehook = told
        for number, handler in previous.items():
            signal.signal(number, handler)


@contextlib.contextmanager
def left_when_stopped(pool: Pool) -> Iterator[Pool]:
    """``pool`` for a ``with`` block, shut down without waiting for it when the block ends by an
    exception: its workers were killed (``interrupt``), and one killed while sending a result
    leaves the pool's reader waiting for the rest of it forever."""
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
