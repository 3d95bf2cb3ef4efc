"""Large CSV imports from the API run as a job on the `bulk` queue and report progress.

The file waits in Redis (it is at most a few MB); the status hash holds who asked, the
progress and, once done, the same result the CLI prints. The import itself is one
transaction, so a job killed midway leaves nothing behind and its retry starts afresh.
"""

from __future__ import annotations

import json
import uuid
from enum import StrEnum
from typing import Any

from rq import Retry

from app import jobs
from app.queues import BULK, enqueue
from app.redis_client import get_redis
from app.registry.audit import Actor
from app.registry.csvfile import row_count
from app.registry.importer import import_csv

PREFIX = "melek:import:"
TTL = 24 * 3600


class ImportState(StrEnum):
    """A queued CSV import's progress."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"


def status_key(import_id: str) -> str:
    return f"{PREFIX}{import_id}"


def start(data: bytes, actor: Actor, owner: str, *, dry_run: bool, skip_invalid: bool) -> str:
    """Keep the file, record a queued status and enqueue the job; returns the import id."""
    import_id = uuid.uuid4().hex
    fields: dict[str, str | int] = {
        "state": ImportState.QUEUED,
        "owner": owner,
        "actor": actor.name,
        "regency_code": actor.regency_code or "",
        "dry_run": int(dry_run),
        "skip_invalid": int(skip_invalid),
        "total": row_count(data),
        "done": 0,
    }
    pipe = get_redis().pipeline()
    pipe.set(status_key(import_id) + ":data", data, ex=TTL)
    pipe.hset(status_key(import_id), mapping=fields)  # type: ignore[arg-type]  # invariant Mapping key
    pipe.expire(status_key(import_id), TTL)
    pipe.execute()
    enqueue(
        BULK,
        jobs.IMPORT_HANDSETS,
        import_id,
        job_id=f"import-{import_id}",
        timeout=900,
        retry=Retry(max=2, interval=[10, 60]),
    )
    return import_id


def status(import_id: str) -> dict[str, Any] | None:
    """The import's state, progress and (when finished) result; None if unknown or expired."""
    fields = read_fields(import_id)
    if not fields:
        return None
    answer: dict[str, Any] = {
        "id": import_id,
        "state": fields["state"],
        "owner": fields["owner"],
        "regency_code": fields["regency_code"] or None,
        "total": int(fields["total"]),
        "done": int(fields["done"]),
    }
    if "result" in fields:
        answer["result"] = json.loads(fields["result"])
    return answer


def take_codes(import_id: str) -> list[Any] | None:
    """The import's activation codes, the first time they are asked for; None afterwards."""
    raw = get_redis().getdel(status_key(import_id) + ":codes")
    return json.loads(raw) if raw else None


def read_fields(import_id: str) -> dict[str, str]:
    raw: dict[bytes, bytes] = get_redis().hgetall(status_key(import_id))  # type: ignore[assignment]
    return {key.decode(): value.decode() for key, value in raw.items()}


def advance(key: str, step: int) -> None:
    get_redis().hincrby(key, "done", step)


def run(import_id: str) -> dict[str, Any]:
    """The job: import the stored file as the admin who uploaded it, updating progress."""
    redis = get_redis()
    key = status_key(import_id)
    fields = read_fields(import_id)
    if not fields or fields["state"] == ImportState.DONE:
        return {"state": fields.get("state", "unknown")}
    data = redis.get(key + ":data") or b""
    actor = Actor(fields["actor"], fields["regency_code"] or None)
    redis.hset(key, mapping={"state": ImportState.RUNNING, "done": 0})
    result = import_csv(
        data,
        actor,
        dry_run=fields["dry_run"] == "1",
        skip_invalid=fields["skip_invalid"] == "1",
        progress=lambda step: advance(key, step),
    )
    body = result.as_dict()
    # Activation codes are shown once: kept apart from the result and handed out by take_codes().
    codes = body.pop("activation_codes", [])
    body["activation_codes"] = []
    with redis.pipeline() as pipe:
        pipe.hset(key, mapping={"state": ImportState.DONE, "result": json.dumps(body)})
        pipe.set(key + ":codes", json.dumps(codes), ex=TTL)
        pipe.delete(key + ":data")
        pipe.execute()
    return {"state": ImportState.DONE, "imported": body["imported"], "rejected": len(body["rejected"])}
