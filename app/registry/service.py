"""Handset operations every interface calls (API, CLI, console, SMS): rules, scope, audit.

Each operation validates, changes the rows, writes an audit event in the same transaction,
commits, and only then drops the cached callers of the numbers it touched (a cache refill
between change and commit would otherwise keep the stale view).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from redis.exceptions import RedisError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Handset, Official
from app.models.base import utcnow
from app.models.handset import HandsetStatus
from app.registry import activation
from app.registry.audit import Actor, handset_snapshot, record, record_handset
from app.registry.errors import Conflict, Forbidden, NotFound, RuleError
from app.registry.lookup import invalidate_msisdn
from app.registry.officials import NewOfficial, create_official
from app.registry.queries import check_number_free, get_handset, get_official, resolve_regency
from app.registry.rules import clean_block_reason, clean_imei, clean_msisdn

log = logging.getLogger(__name__)


@contextmanager
def committing(*numbers: str | None) -> Iterator[None]:
    """Commit the block's changes (IntegrityError → Conflict), then drop cached callers."""
    try:
        yield
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("IMEI, NIP atau nomor sudah terdaftar / IMEI, NIP or number already registered.") from None
    except BaseException:
        db.session.rollback()
        raise
    try:
        invalidate_msisdn(*numbers)
    except RedisError:
        # The change is saved; a stale entry (with the old PIN hash) may live until
        # lookup.CACHE_TTL once Redis is back: say so loudly, the operator flushes the cache.
        log.error("registry: caller cache not invalidated (Redis unavailable)", extra={"numbers": len(numbers)})


@dataclass(frozen=True)
class Added:
    """A new handset and, when it waits for `AKTIF`, its one-time activation code."""

    handset: Handset
    activation_code: str | None


def add_handset(
    actor: Actor,
    *,
    imei: str,
    regency: str,
    msisdn: str | None = None,
    official_id: int | None = None,
    official: NewOfficial | None = None,
) -> Added:
    """Register a handset: active with a number, else provisioned with an activation code."""
    actor.check_write()
    imei, regency_code = clean_imei(imei), resolve_regency(regency)
    if not actor.may_see(regency_code):
        raise NotFound("Kab/kota tidak ditemukan / regency not found.")  # 404: invariant 6
    number = clean_msisdn(msisdn) if msisdn else None
    if db.session.scalar(select(Handset.id).where(Handset.imei == imei)) is not None:
        raise Conflict("IMEI sudah terdaftar / IMEI already registered.", "imei")
    if number:
        check_number_free(number)
    with committing(number):
        holder = get_official(actor, official_id) if official_id else None
        if official is not None:
            holder = create_official(actor, official, regency_code)
        if holder is not None and holder.regency_code != regency_code:
            raise RuleError("Pejabat dari kab/kota lain / official belongs to another regency.", "official_id")
        handset = Handset(
            imei=imei,
            tac=imei[:8],
            msisdn=number,
            official_id=holder.id if holder else None,
            regency_code=regency_code,
            status=HandsetStatus.ACTIVE if number else HandsetStatus.PROVISIONED,
        )
        db.session.add(handset)
        db.session.flush()
        code = None if number else activation.issue_code(handset)
        record_handset(actor, "handset.add", handset, None)
    return Added(handset, code)


def update_handset(actor: Actor, imei: str, *, official_id: int | None = None, regency: str | None = None) -> Handset:
    """Bind the handset to another official and/or move it (moving: province admins only)."""
    actor.check_write()
    handset = get_handset(actor, imei)
    before = handset_snapshot(handset)
    with committing(handset.msisdn):
        if regency is not None:
            code = resolve_regency(regency)
            if code != handset.regency_code and actor.regency_code is not None:
                raise Forbidden("Hanya admin provinsi yang boleh memindah / only province admins move handsets.")
            handset.regency_code = code
        if official_id is not None:
            holder = get_official(actor, official_id)
            if holder.regency_code != handset.regency_code:
                raise RuleError("Pejabat dari kab/kota lain / official belongs to another regency.", "official_id")
            handset.official_id = holder.id
        elif handset.official_id is not None and handset.regency_code != before["regency_code"]:
            # Moved without a new holder: an official of the old regency does not go along (nor show there).
            current = db.session.get(Official, handset.official_id)
            if current is None or current.regency_code != handset.regency_code:
                handset.official_id = None
        if handset.regency_code == before["regency_code"]:
            record_handset(actor, "handset.update", handset, before)
        else:  # the move is the old regency's history; the new regency's starts without it
            after = handset_snapshot(handset)
            record(actor, "handset.move_out", "handset", handset.imei, before["regency_code"], before, after)
            record(actor, "handset.move_in", "handset", handset.imei, handset.regency_code, None, after)
    return handset


def set_status(handset: Handset, status: str, reason: str | None = None) -> None:
    handset.status, handset.block_reason, handset.status_changed_at = status, reason, utcnow()


def block(actor: Actor, imei: str, reason: str) -> Handset:
    """Block a lost/stolen/damaged handset: its number stops working on the next hop."""
    actor.check_write()
    reason = clean_block_reason(reason)
    handset = get_handset(actor, imei)
    if handset.status == HandsetStatus.RETIRED:
        raise Conflict("Ponsel sudah pensiun / handset is retired.", "status")
    before = handset_snapshot(handset)
    with committing(handset.msisdn):
        set_status(handset, HandsetStatus.BLOCKED, reason)
        activation.revoke(handset)
        record_handset(actor, "handset.block", handset, before)
    return handset


def unblock(actor: Actor, imei: str) -> Handset:
    """Back to active (or provisioned when it has no number); the number must still be free."""
    actor.check_write()
    handset = get_handset(actor, imei)
    if handset.status != HandsetStatus.BLOCKED:
        raise Conflict("Ponsel tidak sedang diblokir / handset is not blocked.", "status")
    if handset.msisdn:
        check_number_free(handset.msisdn, handset.id)
    before = handset_snapshot(handset)
    with committing(handset.msisdn):
        set_status(handset, HandsetStatus.ACTIVE if handset.msisdn else HandsetStatus.PROVISIONED)
        record_handset(actor, "handset.unblock", handset, before)
    return handset


def swap_sim(actor: Actor, imei: str, msisdn: str) -> Handset:
    """Bind a new SIM number; a provisioned handset becomes active, a blocked one stays blocked."""
    actor.check_write()
    handset = get_handset(actor, imei)
    number = clean_msisdn(msisdn)
    if handset.status == HandsetStatus.RETIRED:
        raise Conflict("Ponsel sudah pensiun / handset is retired.", "status")
    check_number_free(number, handset.id)
    before, old = handset_snapshot(handset), handset.msisdn
    with committing(old, number):
        handset.msisdn = number
        if handset.status == HandsetStatus.PROVISIONED:
            set_status(handset, HandsetStatus.ACTIVE)
            activation.revoke(handset)
        record_handset(actor, "handset.swap_sim", handset, before)
    return handset


def retire(actor: Actor, imei: str) -> Handset:
    """Take a handset out of service for good (its number is released)."""
    actor.check_write()
    handset = get_handset(actor, imei)
    before = handset_snapshot(handset)
    with committing(handset.msisdn):
        set_status(handset, HandsetStatus.RETIRED)
        activation.revoke(handset)
        record_handset(actor, "handset.retire", handset, before)
    return handset


def reissue_activation(actor: Actor, imei: str) -> str:
    """A new activation code for a handset still waiting for its SIM (old code revoked)."""
    actor.check_write()
    handset = get_handset(actor, imei)
    if handset.status != HandsetStatus.PROVISIONED:
        raise Conflict("Ponsel tidak menunggu aktivasi / handset is not waiting for activation.", "status")
    with committing():
        code = activation.issue_code(handset)
        record_handset(actor, "handset.activation_issued", handset, None)
    return code
