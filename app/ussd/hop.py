"""One USSD hop: load the session and caller, find the newest input, run the engine, save, answer.

An ordinary menu hop costs one Redis read (an MGET of session, cached caller and draft) and
one pipelined write, and no SQL. Every failure of Redis, the database or the clock budget ends
the session with the busy screen and a log line, never a 5xx.
"""

from __future__ import annotations

import json
import logging
import traceback
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from app.database import rollback_quietly
from app.models.handset import HandsetStatus
from app.redis_client import get_redis
from app.registry.lookup import CallerView, cache_key, fill_args, from_cache, load_caller, version_key
from app.registry.msisdn import any_e164
from app.security import pins
from app.ussd.deadline import Deadline, HopTimeout, hard_deadline
from app.ussd.effects import Executor
from app.ussd.store import (
    DRAFT_TTL,
    ENDED_TTL,
    SESSION_TTL,
    SessionRecord,
    draft_key,
    is_repeat,
    newest_input,
    session_key,
    text_digest,
)
from menus import ussd
from menus.ussd.texts import t

log = logging.getLogger(__name__)
# Parsing a number costs ~100 us, a third of a hop; the same few thousand numbers call all day.
caller_number = lru_cache(maxsize=1 << 16)(any_e164)
# In both languages: when something failed, the caller's language may be unknown too.
BUSY = f"END {t('busy', 'id')} {t('busy', 'en')}"
FillArgs = tuple[str | int, ...]
MAX_RESUMES = 8  # effects awaited in one hop (PIN check, job wait...): far more than any path needs


def handle_hop(session_id: str, msisdn: str, text: str) -> str:
    """Answer one gateway callback with a `CON `/`END ` body, within USSD_HOP_BUDGET seconds."""
    budget = float(current_app.config["USSD_HOP_BUDGET"])
    try:
        with hard_deadline(budget) as deadline:
            return _hop(session_id, msisdn, text, deadline)
    except HopTimeout:
        log.warning("ussd: hop over budget", extra={"budget_s": budget})
    except (RedisError, SQLAlchemyError, OSError) as exc:
        log.warning("ussd: dependency unavailable", extra={"error": type(exc).__name__})
    except Exception as exc:  # never a 5xx to the gateway; the type says what broke, not the input
        log.error("ussd: hop failed", extra={"error": type(exc).__name__, "where": where(exc)})
    rollback_quietly()
    return BUSY


def where(exc: BaseException) -> str:
    """The code line that raised `exc` (never its message: that may quote the input and the PIN)."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "?"
    frame = frames[-1]
    return f"{Path(frame.filename).name}:{frame.lineno} {frame.name}"


def _hop(session_id: str, msisdn: str, text: str, deadline: Deadline) -> str:
    redis = get_redis()
    skey = session_key(session_id)
    # One read: session, cached caller (and its version, for a fill), a dropped draft.
    keys = (skey, cache_key(msisdn), version_key(msisdn), draft_key(msisdn))
    raw_session, raw_caller, raw_version, raw_draft = redis.mget(keys)
    fill: FillArgs | None = None  # a cache miss's versioned fill, sent with the hop's write
    if raw_caller is not None:
        caller = from_cache(raw_caller)
    else:  # a miss: one indexed query; the versioned fill goes with the hop's write
        caller = load_caller(msisdn)
        fill = fill_args(msisdn, caller, raw_version)
    refusal = gatekeeping(caller)
    if refusal is not None or caller is None:
        _write(redis, fill)
        return refusal or BUSY
    record = SessionRecord.loads(raw_session) if raw_session else None
    if record is not None and record.msisdn != msisdn:
        record = None  # a session id reused by another phone: never share state
    if record is not None and is_repeat(record, session_id, text):
        _write(redis, fill)
        return record.screen  # the gateway asked again: same screen, nothing done twice
    if record is not None and record.ended:
        record = None  # after an END the session id is worth nothing: start over at the PIN
    ctx = ussd.Ctx(view_for_engine(caller), int(current_app.config["USSD_MAX_CHARS"]), datetime.now(UTC))
    executor = Executor(caller, session_id, msisdn, deadline)
    if record is None:
        out = _start(caller, ctx, raw_draft)
    else:
        state = ussd.State.from_dict(record.state)
        inp = newest_input(record, session_id, text)
        out = ussd.step(state, inp, ctx) if inp is not None else ussd.restart(state, ctx)
    out = settle(out, executor, ctx)
    assert out.screen is not None
    new = SessionRecord(out.state.to_dict(), msisdn, text_digest(session_id, text), len(text), out.screen.text)
    ttl = ENDED_TTL if out.screen.end else SESSION_TTL
    _write(redis, fill, (skey, new.dumps(), ttl), executor.draft_writes)
    return out.screen.text


def _write(
    redis: Redis,
    fill: FillArgs | None,
    session: tuple[str, str, int] | None = None,
    drafts: list[tuple[str, str | None]] | None = None,
) -> None:
    """Send the hop's writes (fill, session, drafts) in one plain pipeline: one round trip."""
    if fill is None and session is None:
        return
    with redis.pipeline(transaction=False) as pipe:
        if fill is not None:
            pipe.eval(*fill)  # type: ignore[arg-type]
        if session is not None:
            key, value, ttl = session
            pipe.set(key, value, ex=ttl)
        for key, draft in drafts or []:
            if draft is None:
                pipe.delete(key)
            else:
                pipe.set(key, draft, ex=DRAFT_TTL)
        pipe.execute()


def gatekeeping(caller: CallerView | None) -> str | None:
    """The END screen for an unknown number, a blocked or a not yet activated handset."""
    if caller is None:
        return "END " + t("unknown", "id")
    if caller.status == HandsetStatus.BLOCKED:
        return "END " + t("blocked", caller.language)
    if caller.status != HandsetStatus.ACTIVE or caller.official_id is None:
        return "END " + t("not_active", caller.language)
    return None


def view_for_engine(caller: CallerView) -> ussd.Caller:
    """The registry's view of the caller, as the pure engine sees it."""
    return ussd.Caller(caller.official_name, caller.imei, caller.regency_name, caller.language, caller.has_pin)


def _start(caller: CallerView, ctx: ussd.Ctx, raw_draft: bytes | str | None) -> ussd.Outcome:
    """A new session (or one whose state expired or ended): lockout, draft to resume, then the PIN.

    A first `text` that is not empty (a shortcut such as `*818*2#`) is no input to act on and
    no reason for a restart note: it is only the base the next hop's `text` extends.
    """
    assert caller.official_id is not None
    return ussd.start(ctx, draft=_draft(raw_draft), locked_until=pins.locked_until(caller.official_id))


def _draft(raw: bytes | str | None) -> ussd.Form | None:
    """The kept draft, if it is still one this version can continue."""
    if not raw:
        return None
    try:
        return ussd.Form.from_dict(json.loads(raw))
    except ValueError:
        return None


def settle(out: ussd.Outcome, executor: Executor, ctx: ussd.Ctx) -> ussd.Outcome:
    """Run the outcome's effects and awaited effects until the engine has a screen."""
    for _ in range(MAX_RESUMES):
        for effect in out.effects:
            executor.run(effect)
        if out.awaiting is None:
            return out
        result = executor.run(out.awaiting)
        out = ussd.resume(out.state, out.awaiting, result, ctx)
    raise RuntimeError("the USSD engine did not settle")
