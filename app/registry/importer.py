"""Bulk import of handsets from CSV: validate every row first, then insert in a few statements.

Rows are checked by `app.registry.rowcheck`. Without `skip_invalid`, one bad row means
nothing is written.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute

from app.extensions import db
from app.models import ActivationCode, Handset, Official
from app.models.base import utcnow
from app.models.handset import HandsetStatus
from app.registry import activation
from app.registry.audit import Actor, record
from app.registry.csvfile import FileRejected, Rejection, read_rows
from app.registry.errors import Conflict
from app.registry.lookup import invalidate_msisdn
from app.registry.rowcheck import GoodRow, Progress, validate, values_in


@dataclass
class ImportResult:
    """The contract's answer, plus the activation codes to hand out (shown once)."""

    imported: int = 0
    valid: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    dry_run: bool = False
    activation_codes: list[tuple[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "rejected": [r.as_dict() for r in self.rejected],
            "valid": self.valid,
            "dry_run": self.dry_run,
            "activation_codes": [{"imei": imei, "code": code} for imei, code in self.activation_codes],
        }


def import_csv(
    data: bytes | str,
    actor: Actor,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate and (unless refused or a dry run) insert the file's handsets in one transaction."""
    actor.check_write()
    result = ImportResult(dry_run=dry_run)
    try:
        rows = read_rows(data)
    except FileRejected as exc:
        result.rejected.append(exc.rejection)
        return result
    good = validate(rows, actor, result.rejected, progress)
    result.valid = len(good)
    if dry_run or not good or (result.rejected and not skip_invalid):
        return result
    try:
        result.activation_codes = insert_rows(good, actor)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # someone registered one of these meanwhile; checking again names it
        raise Conflict("Data berubah selama impor; ulangi / the registry changed during the import; retry.") from None
    invalidate_msisdn(*(row.msisdn for row in good))
    result.imported = len(good)
    return result


def insert_rows(rows: list[GoodRow], actor: Actor) -> list[tuple[str, str]]:
    """Officials, handsets, activation codes and one audit event per regency, in bulk."""
    now = utcnow()
    officials = [
        {"name": r.name, "nip": r.nip, "position": r.position, "regency_code": r.regency_code,
         "language": r.language, "created_at": now, "updated_at": now}
        for r in rows
    ]  # fmt: skip
    db.session.execute(insert(Official), officials)
    official_ids = ids_by(Official.nip, Official.id, [r.nip for r in rows])
    handsets = [
        {"imei": r.imei, "tac": r.imei[:8], "msisdn": r.msisdn, "official_id": official_ids[r.nip],
         "regency_code": r.regency_code, "status": HandsetStatus.ACTIVE if r.msisdn else HandsetStatus.PROVISIONED,
         "status_changed_at": now, "created_at": now, "updated_at": now}
        for r in rows
    ]  # fmt: skip
    db.session.execute(insert(Handset), handsets)
    waiting = [r.imei for r in rows if r.msisdn is None]
    handset_ids = ids_by(Handset.imei, Handset.id, waiting) if waiting else {}
    codes, code_rows = [], []
    expires = now + activation.expiry_ttl()
    for imei in waiting:
        code, handset_id = activation.new_code(), handset_ids[imei]
        codes.append((imei, code))
        code_rows.append({"handset_id": handset_id, "code_hash": activation.code_hash(handset_id, code),
                          "expires_at": expires, "attempts": 0, "created_at": now})  # fmt: skip
    if code_rows:
        db.session.execute(insert(ActivationCode), code_rows)
    audit_import(rows, actor)
    return codes


def ids_by(key: InstrumentedAttribute[Any], id_column: InstrumentedAttribute[int], values: list[str]) -> dict[str, int]:
    """Ids of rows just inserted, by unique key. No RETURNING: psycopg's pipelined executemany
    beats multi-row VALUES ... RETURNING, whose huge statements are slow to build."""
    return {value: id_ for value, id_ in values_in(select(key, id_column), key, values)}


def audit_import(rows: Iterable[GoodRow], actor: Actor) -> None:
    """One audit event per regency, listing the IMEIs the import added."""
    batch = uuid.uuid4().hex[:12]
    by_regency: dict[str, list[str]] = {}
    for row in rows:
        by_regency.setdefault(row.regency_code, []).append(row.imei)
    for code, imeis in sorted(by_regency.items()):
        record(actor, "handset.import", "import", batch, code, None, {"count": len(imeis), "imeis": imeis})
