"""`flask worker`: registered by wsgi.py so that app/ never imports workers/."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from app.queues import ALL
from workers import runner


@click.command("worker")
@click.option("--queue", "-q", "queues", multiple=True, type=click.Choice(ALL), help="Queues (default: all).")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@with_appcontext
def worker_command(queues: tuple[str, ...], burst: bool) -> None:
    """Run an RQ worker (with the scheduler) on the Melek queues."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    runner.run(app, queues or ALL, burst=burst)
