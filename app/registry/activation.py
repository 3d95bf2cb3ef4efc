"""Activation codes: a provisioned handset's SIM is bound by `AKTIF <IMEI> <kode>` by SMS.

Codes are short (typed on a keypad), so they are kept as a keyed hash (PIN_PEPPER), expire,
and burn after a few wrong tries; every check leaves an audit event.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from app.extensions import db
from app.models import ActivationCode, Handset, Official
from app.models.base import utcnow
from app.models.handset import HandsetStatus
from app.registry.audit import handset_snapshot, record, record_handset
from app.registry.errors import RegistryError
from app.registry.lookup import invalidate_msisdn
from app.registry.queries import check_number_free
from app.registry.rules import clean_msisdn, digits_of

CODE_DIGITS = 6
MAX_ATTEMPTS = 5

# Outcomes of `activate` (message keys for the SMS helper).
ACTIVATED, UNKNOWN_IMEI, NOT_PENDING, NO_CODE = "activated", "unknown_imei", "not_pending", "no_code"
EXPIRED, TOO_MANY_ATTEMPTS, WRONG_CODE = "expired", "too_many_attempts", "wrong_code"
INVALID_MSISDN, MSISDN_IN_USE = "invalid_msisdn", "msisdn_in_use"


@dataclass(frozen=True)
class ActivationResult:
    """What `activate` did; `reason` is one of the outcome keys above."""

    ok: bool
    reason: str
    handset_id: int | None = None
    official_id: int | None = None
    language: str = "id"
    attempts_left: int | None = None


def code_hash(handset_id: int, code: str) -> str:
    key = current_app.config["PIN_PEPPER"].encode()
    return hmac.new(key, f"activation:{handset_id}:{code}".encode(), hashlib.sha256).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))


def expiry_ttl() -> timedelta:
    return timedelta(seconds=float(current_app.config["ACTIVATION_TTL"]))


def issue_code(handset: Handset) -> str:
    """A fresh code for `handset` (replaces any earlier one); the caller commits."""
    code = new_code()
    revoke(handset)
    db.session.add(
        ActivationCode(handset_id=handset.id, code_hash=code_hash(handset.id, code), expires_at=utcnow() + expiry_ttl())
    )
    return code


def revoke(handset: Handset) -> None:
    """Forget the handset's pending code (blocked, retired or bound otherwise)."""
    db.session.execute(delete(ActivationCode).where(ActivationCode.handset_id == handset.id))


def activate(imei: str, code: str, msisdn: str) -> ActivationResult:
    """Bind `msisdn` (the SMS sender) to the provisioned handset `imei` if `code` is right."""
    handset = db.session.scalar(select(Handset).where(Handset.imei == digits_of(imei)))
    if handset is None:
        return ActivationResult(False, UNKNOWN_IMEI)
    official = db.session.get(Official, handset.official_id) if handset.official_id else None
    language = official.language if official else "id"
    result = ActivationResult(False, NOT_PENDING, handset.id, handset.official_id, language)
    if handset.status != HandsetStatus.PROVISIONED:
        return result
    row = db.session.scalar(select(ActivationCode).where(ActivationCode.handset_id == handset.id).with_for_update())
    actor = f"sms:{msisdn}"
    if row is None:
        return replace(result, reason=NO_CODE)
    if row.expires_at <= utcnow():
        return refuse(handset, actor, replace(result, reason=EXPIRED))
    if row.attempts >= MAX_ATTEMPTS:
        return refuse(handset, actor, replace(result, reason=TOO_MANY_ATTEMPTS))
    if not hmac.compare_digest(row.code_hash, code_hash(handset.id, digits_of(code))):
        row.attempts += 1
        left = MAX_ATTEMPTS - row.attempts
        reason = WRONG_CODE if left else TOO_MANY_ATTEMPTS
        return refuse(handset, actor, replace(result, reason=reason, attempts_left=left))
    try:
        number = clean_msisdn(msisdn)
        check_number_free(number)
    except RegistryError as exc:
        return refuse(handset, actor, replace(result, reason=INVALID_MSISDN if exc.status == 422 else MSISDN_IN_USE))
    before = handset_snapshot(handset)
    handset.msisdn, handset.status, handset.status_changed_at = number, HandsetStatus.ACTIVE, utcnow()
    revoke(handset)
    record_handset(actor, "handset.activate", handset, before)
    db.session.commit()
    invalidate_msisdn(number)
    return replace(result, ok=True, reason=ACTIVATED)


def refuse(handset: Handset, actor: str, result: ActivationResult) -> ActivationResult:
    """Record a refused activation (the attempt counted) and commit."""
    after = {"reason": result.reason}
    record(actor, "handset.activation_refused", "handset", handset.imei, handset.regency_code, None, after)
    db.session.commit()
    return result
