"""Periodic outbox sweeps (entry points; the logic is app.sms.sweeps)."""

from __future__ import annotations

from app.sms import sweeps


def sweep_outbox() -> int:
    """Re-enqueue replies left `queued`; fail rows stuck `sending`."""
    return sweeps.sweep_outbox()


def sweep_broadcasts() -> int:
    """Restart broadcasts whose job was lost or gave up."""
    return sweeps.sweep_broadcasts()
