"""`flask jobs failed` and `flask jobs retry`: the jobs that gave up, and a second chance."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from rq.job import Job
from rq.registry import FailedJobRegistry

from app.queues import ALL, get_queue

jobs_cli = AppGroup("jobs", help="Inspect and requeue failed jobs.")


def failed_registries(queue: str | None) -> list[FailedJobRegistry]:
    return [FailedJobRegistry(queue=get_queue(name)) for name in ((queue,) if queue else ALL)]


def reason(job: Job) -> str:
    """The last line of the job's traceback: the exception and its message."""
    result = job.latest_result()
    exc_string = (result.exc_string if result else None) or ""
    lines = [line for line in exc_string.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "(no reason recorded)"


@jobs_cli.command("failed")
@click.option("--queue", "-q", type=click.Choice(ALL), help="Only this queue.")
def list_failed(queue: str | None) -> None:
    """List failed jobs: queue, id, function, when, why."""
    count = 0
    for registry in failed_registries(queue):
        for job in Job.fetch_many(
            registry.get_job_ids(), connection=registry.connection, serializer=registry.serializer
        ):
            if job is None:
                continue
            count += 1
            when = job.ended_at.isoformat(timespec="seconds") if job.ended_at else "-"
            click.echo(f"{job.origin}\t{job.id}\t{job.func_name}\t{when}\t{reason(job)}")
    click.echo(f"{count} failed job(s).")


@jobs_cli.command("retry")
@click.argument("job_ids", nargs=-1)
@click.option("--all", "retry_all", is_flag=True, help="Requeue every failed job.")
@click.option("--queue", "-q", type=click.Choice(ALL), help="Only this queue.")
def retry_failed(job_ids: tuple[str, ...], retry_all: bool, queue: str | None) -> None:
    """Requeue failed jobs by id (or all of them with --all)."""
    if not job_ids and not retry_all:
        raise click.UsageError("Give job ids or --all.")
    requeued = 0
    for registry in failed_registries(queue):
        for job_id in registry.get_job_ids():
            if retry_all or job_id in job_ids:
                registry.requeue(job_id)
                requeued += 1
    click.echo(f"Requeued {requeued} job(s).")
    if requeued < len(job_ids):
        raise click.ClickException("Some job ids were not in a failed registry.")


def init_app(app: Flask) -> None:
    app.cli.add_command(jobs_cli)
