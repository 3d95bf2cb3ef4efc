"""`flask worker`: an RQ worker (with the scheduler and the periodic jobs) on the Melek queues."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from app.queues import ALL


@click.command("worker")
@click.option("--queue", "-q", "queues", multiple=True, type=click.Choice(ALL), help="Queues (default: all).")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@with_appcontext
def worker_command(queues: tuple[str, ...], burst: bool) -> None:
    """Run an RQ worker (with the scheduler) on the Melek queues."""
    from app import worker

    worker.run(current_app._get_current_object(), queues or ALL, burst=burst)  # type: ignore[attr-defined]


def init_app(app: Flask) -> None:
    app.cli.add_command(worker_command)
