"""A circuit breaker kept in Redis, shared by every worker process and host.

Closed: calls go through, failures are counted. After `threshold` failures in a row the
circuit opens: calls fail at once (the job is retried later) instead of tying up workers
on a dead back office. After `cooloff` seconds it is half-open: one trial call goes
through; success closes the circuit, failure opens it again for another cool-off.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import redis

from app.backoffice.base import TransientError

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half-open"


class CircuitOpen(TransientError):
    """The back office failed too often lately; not even trying."""


class CircuitBreaker:
    """Failure counting and open/half-open state under `melek:breaker:<name>:*`."""

    def __init__(
        self,
        client: redis.Redis,
        name: str,
        threshold: int = 5,
        cooloff: float = 30.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.redis, self.threshold, self.cooloff, self.clock = client, threshold, cooloff, clock
        prefix = f"melek:breaker:{name}:"
        self.failures_key, self.open_key, self.trial_key = prefix + "failures", prefix + "open", prefix + "trial"

    def state(self) -> str:
        """closed, open or half-open (cool-off over, waiting for a trial call)."""
        open_until = self.redis.get(self.open_key)
        if open_until is None:
            return CLOSED
        return OPEN if self.clock() < float(open_until) else HALF_OPEN

    def before_call(self) -> None:
        """Raise CircuitOpen unless a call may go through now."""
        state = self.state()
        if state == OPEN:
            raise CircuitOpen("back office circuit is open")
        # Half-open: exactly one caller gets the trial; the others keep waiting.
        if state == HALF_OPEN and not self.redis.set(self.trial_key, b"1", nx=True, ex=max(1, int(self.cooloff))):
            raise CircuitOpen("back office circuit is half-open; a trial call is in flight")

    def record_success(self) -> None:
        """Close the circuit and forget past failures."""
        self.redis.delete(self.failures_key, self.open_key, self.trial_key)

    def record_failure(self) -> None:
        """Count a failure; open (or re-open) the circuit when there are too many."""
        with self.redis.pipeline() as pipe:
            pipe.incr(self.failures_key)
            pipe.expire(self.failures_key, max(60, int(self.cooloff * 10)))
            pipe.exists(self.open_key)
            failures, _, was_open = pipe.execute()
        if failures >= self.threshold or was_open:
            with self.redis.pipeline() as pipe:
                pipe.set(self.open_key, str(self.clock() + self.cooloff).encode())
                pipe.delete(self.trial_key)
                pipe.execute()
