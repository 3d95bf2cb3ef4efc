"""Test helpers shared across test modules."""

from __future__ import annotations

from flask import Flask

from app.queues import ALL
from app.worker import make_worker


def run_worker_burst(app: Flask, queues: tuple[str, ...] = ALL) -> bool:
    """Drain the queues through a real RQ SimpleWorker (in this process); True if it ran jobs."""
    worker = make_worker(app, queues)
    return worker.work(burst=True, with_scheduler=False)


def ussd_form(session: str, phone: str, text: str, code: str = "*818#") -> dict[str, str]:
    """An Africa's Talking USSD callback body."""
    return {"sessionId": session, "serviceCode": code, "phoneNumber": phone, "networkCode": "51010", "text": text}
