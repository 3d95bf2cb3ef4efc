"""A hard time budget for one USSD hop: blocking I/O past the budget is interrupted.

Socket timeouts alone do not bound a hop (several slow calls add up), so on the main thread
(gunicorn's sync workers, the test client) an interval timer raises HopTimeout inside
whatever call is blocking. In other threads (gunicorn's gthread workers) signals cannot be
used: there the budget rests on the clients' timeouts and the job wait's `remaining()`.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class HopTimeout(BaseException):  # noqa: N818 - BaseException so library `except Exception` cannot swallow it
    """The hop ran out of its budget."""


class Deadline:
    """When the current hop must have answered."""

    def __init__(self, seconds: float) -> None:
        self.ends = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self.ends - time.monotonic())

    def check(self) -> None:
        """Raise HopTimeout if the budget is spent."""
        if self.remaining() <= 0:
            raise HopTimeout


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise HopTimeout


@contextmanager
def hard_deadline(seconds: float) -> Iterator[Deadline]:
    """Run the block with a budget of `seconds`; interrupt it when the budget ends (main thread)."""
    deadline = Deadline(seconds)
    armed = threading.current_thread() is threading.main_thread() and seconds > 0
    if armed:
        if signal.getsignal(signal.SIGALRM) is not _on_alarm:
            signal.signal(signal.SIGALRM, _on_alarm)  # once per process; harmless while the timer is off
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield deadline
    finally:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
