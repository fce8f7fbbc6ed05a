"""Ctrl-C for anything that drives an executor: the first stops submitting and lets
running work finish, the second cancels it (kills the workers)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


class Interrupts:
    """How many times Ctrl-C was pressed inside :func:`graceful_interrupts`."""

    count = 0


@contextmanager
def graceful_interrupts(executor: Any, notice: Callable[[], None]) -> Iterator[Interrupts]:
    """First SIGINT: ``executor.stop()`` and ``notice()``; second: KeyboardInterrupt, after
    which the executor's workers are killed.  Outside the main thread it does nothing."""
    state = Interrupts()
    if threading.current_thread() is not threading.main_thread():
        yield state
        return

    def handler(signum: int, frame: Any) -> None:
        state.count += 1
        if state.count == 1:
            executor.stop()
            notice()
        else:
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield state
    except KeyboardInterrupt:
        executor.shutdown(kill=True)
        raise
    finally:
        signal.signal(signal.SIGINT, previous)


class SigintWatch:
    """Whether a real SIGINT arrived inside :func:`watch_sigint`."""

    pressed = False


@contextmanager
def watch_sigint() -> Iterator[SigintWatch]:
    """Note real SIGINTs (then raise ``KeyboardInterrupt`` as Python's default handler
    does), so that a caller can tell a Ctrl-C from a plugin's own ``KeyboardInterrupt``.
    Outside the main thread, or when SIGINT is ignored, it only yields."""
    state = SigintWatch()
    if threading.current_thread() is not threading.main_thread() \
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield state
        return

    def handler(signum: int, frame: Any) -> None:
        state.pressed = True
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield state
    finally:
        signal.signal(signal.SIGINT, previous)
