"""Carry out what the USSD engine asks for: PINs, back-office jobs, announcements, language."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from rq.job import Job
from rq.results import Result
from sqlalchemy import or_, select

from app import jobs, queues
from app.backoffice import JOB_TIMEOUT
from app.extensions import db
from app.models import Announcement, Official
from app.redis_client import get_redis
from app.registry.lookup import CallerView, invalidate_official_after_commit
from app.security import pins
from app.ussd.deadline import Deadline
from app.ussd.store import draft_key, text_digest
from menus import ussd
from menus.reports import status_label

log = logging.getLogger(__name__)
ANNOUNCEMENTS_TTL = 30
ANNOUNCEMENTS_SHOWN = 10


def session_digest(session_id: str) -> str:
    """A short fixed-length stand-in for a gateway session id (which can be any length)."""
    return hashlib.sha256(session_id.encode()).hexdigest()[:20]


def job_id(kind: str, session_id: str, seq: int) -> str:
    """Deterministic job id for a session's n-th submission: a repeat or retry enqueues nothing new."""
    return f"ussd-{kind}-{session_digest(session_id)}-{seq}"


def idempotency_key(session_id: str, seq: int) -> str:
    """The back office's key for a session's n-th report: bounded (the receipt allows 100 characters)."""
    return f"ussd:{session_digest(session_id)}:{seq}"


@dataclass
class Executor:
    """Runs one hop's effects for one caller; draft writes are batched for the hop's final pipeline."""

    caller: CallerView
    session_id: str
    msisdn: str
    deadline: Deadline
    draft_writes: list[tuple[str, str | None]] = field(default_factory=list)

    @property
    def official_id(self) -> int:
        assert self.caller.official_id is not None
        return self.caller.official_id

    def run(self, effect: ussd.Effect) -> Any:
        """Carry out one effect; return what the engine's `resume` expects for it."""
        if isinstance(effect, ussd.CheckPin):
            return self.check_pin(effect.pin)
        if isinstance(effect, ussd.HashPin):
            return self.first_entry_digest(effect.pin)
        if isinstance(effect, ussd.SetPin):
            return self.set_pin(effect.pin, effect.first_hash)
        if isinstance(effect, ussd.FileReport):
            return self.file_report(effect)
        if isinstance(effect, ussd.LookupStatus):
            return self.lookup_status(effect)
        if isinstance(effect, ussd.FetchAnnouncements):
            return self.announcements()
        if isinstance(effect, ussd.SetLanguage):
            self.set_language(effect.lang)
        elif isinstance(effect, ussd.SaveDraft):
            self.draft_writes.append((draft_key(self.msisdn), json.dumps(vars(effect.form))))
        elif isinstance(effect, ussd.ClearDraft):
            self.draft_writes.append((draft_key(self.msisdn), None))
        return None

    def check_pin(self, pin: str) -> ussd.PinResult:
        """Check against the keyed hash, with the lockout shared by USSD and SMS (app.security.pins)."""
        stored = self.caller.pin_hash  # from the caller cache: no SQL on the PIN hop
        if stored is None and self.caller.has_pin:  # an entry cached before the hash was
            stored = db.session.scalar(select(Official.pin_hash).where(Official.id == self.official_id))
        result = pins.verify_pin(self.official_id, stored, pin)
        return ussd.PinResult(ok=result.ok, left=result.left, locked_until=result.locked_until)

    def first_entry_digest(self, pin: str) -> str:
        """What the session keeps of a new PIN's first entry: a hash keyed for this session only.

        Not the stored PIN hash, so a copy of Redis holds nothing the database would accept.
        """
        return text_digest(self.session_id, "new-pin\x00" + pin)

    def set_pin(self, pin: str, first_hash: str) -> bool:
        """Save the new PIN if both entries matched; the caller cache learns has_pin."""
        if not hmac.compare_digest(self.first_entry_digest(pin), first_hash):
            return False
        official = db.session.get(Official, self.official_id)
        if official is None:
            return False
        pins.set_pin(official, pin)
        invalidate_official_after_commit(self.official_id)
        db.session.commit()
        return True

    def set_language(self, lang: str) -> None:
        official = db.session.get(Official, self.official_id)
        if official is not None:
            official.language = lang
            invalidate_official_after_commit(self.official_id)
            db.session.commit()

    def file_report(self, effect: ussd.FileReport) -> str | None:
        """Enqueue the back-office job (one per session and submission) and wait a little for the ref."""
        payload = {
            "idempotency_key": idempotency_key(self.session_id, effect.seq),
            "official_id": self.official_id,
            "handset_id": self.caller.handset_id,
            "channel": "ussd",
            "report_type": effect.report_type,
            "fields": effect.fields,
            "notify_msisdn": self.msisdn,
        }
        jid = job_id("report", self.session_id, effect.seq)
        job = queues.enqueue(queues.USSD, jobs.FILE_REPORT, payload, job_id=jid, timeout=JOB_TIMEOUT)
        result = self.wait_for(job)
        return str(result["ref"]) if isinstance(result, dict) and result.get("ref") else None

    def lookup_status(self, effect: ussd.LookupStatus) -> dict[str, Any] | None:
        """Enqueue the lookup and wait; if it is late, a second job texts the answer."""
        jid = job_id("status", self.session_id, effect.seq)
        job = queues.enqueue(
            queues.USSD, jobs.LOOKUP_STATUS, self.official_id, effect.ref, None, job_id=jid, timeout=JOB_TIMEOUT
        )
        result = self.wait_for(job)
        if isinstance(result, dict):
            if result.get("status"):
                result["status"] = status_label(str(result["status"]), effect.lang)
            return result
        args = (self.official_id, effect.ref, self.msisdn)
        queues.enqueue(queues.USSD, jobs.LOOKUP_STATUS, *args, job_id=jid + "-sms", timeout=JOB_TIMEOUT)
        return None

    def wait_for(self, job: Job) -> Any:
        """The job's return value if it succeeds within USSD_WAIT_FOR_RESULT (and the hop budget)."""
        wait = min(float(current_app.config["USSD_WAIT_FOR_RESULT"]), self.deadline.remaining() - 0.3)
        ends = time.monotonic() + wait
        conn = get_redis()
        stream, last = Result.get_key(job.id), "0-0"  # type: ignore[no-untyped-call]
        while (left := ends - time.monotonic()) > 0:
            # Each read blocks less than the client's 1 s socket timeout, so a quiet stream is no error.
            found: Any = conn.xread({stream: last}, block=max(1, int(min(left, 0.8) * 1000)))
            for _name, entries in found or []:
                for entry_id, payload in entries:
                    last = entry_id
                    result = Result.restore(
                        job.id, entry_id.decode(), payload, connection=conn, serializer=job.serializer
                    )
                    if result.type == Result.Type.SUCCESSFUL:
                        return result.return_value
        return None

    def announcements(self) -> list[ussd.Announcement]:
        """Latest announcements for the caller's regency and the province (see `latest_announcements`)."""
        return latest_announcements(self.caller.regency_code)


def latest_announcements(regency_code: str) -> list[ussd.Announcement]:
    """The regency's and the province's newest announcements, kept ANNOUNCEMENTS_TTL seconds per process.

    Every official of a regency reads the same few: one query per regency and web worker every
    ANNOUNCEMENTS_TTL seconds instead of a Redis read and a decode on every hop that shows them.
    A new announcement shows within that time.
    """
    cache: dict[str, tuple[float, list[ussd.Announcement]]] = current_app.extensions.setdefault(
        "ussd_announcements", {}
    )
    now = time.monotonic()
    kept = cache.get(regency_code)
    if kept is not None and kept[0] > now:
        return kept[1]
    rows = db.session.execute(
        select(Announcement.title, Announcement.body, Announcement.published_at)
        .where(or_(Announcement.regency_code == regency_code, Announcement.regency_code.is_(None)))
        .order_by(Announcement.published_at.desc(), Announcement.id.desc())
        .limit(ANNOUNCEMENTS_SHOWN)
    ).all()
    items = [ussd.Announcement(title, body, when.strftime("%d-%m-%Y")) for title, body, when in rows]
    cache[regency_code] = (now + ANNOUNCEMENTS_TTL, items)
    return items
