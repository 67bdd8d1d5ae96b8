"""Work done in a forked process while this one goes on, its result brought back through a pipe.

The child starts with this process's memory as it is (the graph, the pages planned) and sends
back what ``work`` returns, pickled, or the exception it raised; it then ends at once, running
no exit handler and flushing none of the buffers it inherited.
"""

from __future__ import annotations

import os
import pickle
import signal
from typing import Callable, Generic, TypeVar

Result = TypeVar("Result")


class ForkFailed(Exception):
    """The forked process ended without sending its result."""


class Forked(Generic[Result]):
    """``work`` running in a forked process; ``result`` waits for what it returns."""

    def __init__(self, work: Callable[[], Result]) -> None:
        reading, writing = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            try:
                os.close(reading)
                try:
                    answer: tuple[bool, object] = (True, work())
                except BaseException as exc:  # told to the parent, which raises it
                    answer = (False, exc)
                try:
                    data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
                except Exception as exc:  # a result or an exception that cannot be pickled
                    data = pickle.dumps((False, ForkFailed(f"its result could not be sent: {exc}")))
                with os.fdopen(writing, "wb") as pipe:
                    pipe.write(data)
            finally:
                os._exit(0)
        os.close(writing)
        self.pid, self.reading = pid, reading

    def result(self) -> Result:
        """What ``work`` returned; what it raised is raised here."""
        with os.fdopen(self.reading, "rb") as pipe:
            data = pipe.read()
        os.waitpid(self.pid, 0)
        if not data:
            raise ForkFailed("a forked process ended without its result")
        done, value = pickle.loads(data)
        if not done:
            raise value
        return value

    def stop(self) -> None:
        """End the work unfinished (this process failed meanwhile)."""
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        try:
            os.close(self.reading)
        except OSError:
            pass
