"""Work done in a forked process, its result or its exception brought back."""

from __future__ import annotations

import os
import threading

import pytest

from papernotes.forked import ForkFailed, Forked


def test_the_result_comes_back_from_another_process():
    forked = Forked(lambda: (os.getpid(), [1, 2, 3]))
    pid, items = forked.result()
    assert pid != os.getpid() and items == [1, 2, 3]


def test_what_the_work_raised_is_raised_here():
    def fails() -> None:
        raise ValueError("no such file")

    with pytest.raises(ValueError, match="no such file"):
        Forked(fails).result()


def test_a_result_that_cannot_travel_is_told():
    with pytest.raises(ForkFailed, match="could not be sent"):
        Forked(lambda: threading.Lock()).result()


def test_work_stopped_unfinished_leaves_no_process():
    forked = Forked(lambda: threading.Event().wait())
    forked.stop()
    with pytest.raises(ChildProcessError):
        os.waitpid(forked.pid, 0)
