"""A CSV uploaded to the console, kept in Redis between its dry run and its import (one hour).

The file, the admin who uploaded it, the dry run's result and, after a synchronous import,
the activation codes (handed out once, like `import_jobs.take_codes`).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from app.redis_client import get_redis

PREFIX = "melek:console:upload:"
TTL = 3600


def key(upload_id: str) -> str:
    return PREFIX + upload_id


def keep(data: bytes, owner: str, filename: str) -> str:
    """Store an uploaded file for its owner; returns its id."""
    upload_id = uuid.uuid4().hex
    with get_redis().pipeline() as pipe:
        pipe.hset(key(upload_id), mapping={"data": data, "owner": owner, "filename": filename[:100]})
        pipe.expire(key(upload_id), TTL)
        pipe.execute()
    return upload_id


def load(upload_id: str, owner: str) -> dict[str, Any] | None:
    """The upload (data, filename, result, import_id, phase) if it exists and is `owner`'s."""
    if not upload_id.isalnum():
        return None
    raw: dict[bytes, bytes] = get_redis().hgetall(key(upload_id))  # type: ignore[assignment]
    if not raw or raw.get(b"owner", b"").decode() != owner:
        return None
    found: dict[str, Any] = {"id": upload_id, "data": raw[b"data"], "filename": raw[b"filename"].decode()}
    found["result"] = json.loads(raw[b"result"]) if b"result" in raw else None
    found["import_id"] = raw[b"import_id"].decode() if b"import_id" in raw else None
    found["phase"] = raw.get(b"phase", b"dry_run").decode()  # dry_run, import (a job) or done
    return found


def update(upload_id: str, **fields: Any) -> None:
    """Store the dry run's result (JSON), the import job's id or the phase with the upload."""
    values = {name: json.dumps(value) if name == "result" else str(value) for name, value in fields.items()}
    get_redis().hset(key(upload_id), mapping=values)  # type: ignore[arg-type]  # invariant Mapping key


def keep_codes(upload_id: str, codes: list[dict[str, str]]) -> None:
    get_redis().set(key(upload_id) + ":codes", json.dumps(codes), ex=TTL)


def take_codes(upload_id: str) -> list[dict[str, str]] | None:
    """The import's activation codes the first time they are asked for; None afterwards."""
    raw = get_redis().getdel(key(upload_id) + ":codes")
    return json.loads(raw) if raw else None
