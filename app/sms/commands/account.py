"""SMS commands on the sender's own account: INFO, PIN <lama> <baru>, AKTIF <IMEI> <kode>."""

from __future__ import annotations

from app.extensions import db
from app.models import Official
from app.models.handset import HandsetStatus
from app.redis_client import get_redis
from app.registry.activation import activate
from app.registry.lookup import invalidate_official_after_commit
from app.security.pins import HARD_LOCK, set_pin, verify_pin
from app.sms.commands.request import Request, handler
from menus.clock import local_hhmm
from menus.pins import pin_problem
from menus.sms.router import tokens
from menus.sms.texts import text

ACTIVATION_TRIES = 10  # per number per day: stops IMEI guessing across handsets (registry: 5 per code)


@handler("info")
def info(request: Request) -> str:
    """INFO / BANTUAN / HELP: the commands in the sender's language."""
    return request.reply("help")


@handler("pin")
def change_pin(request: Request) -> str:
    """PIN <old> <new>: same rules and the same lockout as the USSD menu."""
    words = tokens(request.parsed.rest)
    caller = request.caller
    if len(words) != 2 or caller is None or caller.official_id is None:
        return request.reply("pin_usage")
    official = db.session.get(Official, caller.official_id)
    if official is None or not official.pin_hash:
        return request.reply("pin_none")
    old, new = words
    checked = verify_pin(official.id, official.pin_hash, old)
    if checked.locked_until is not None:
        if checked.locked_until == HARD_LOCK:
            return request.reply("pin_locked_hard")
        return request.reply("pin_locked", until=local_hhmm(checked.locked_until))
    if not checked.ok:
        return request.reply("pin_wrong")
    problem = pin_problem(new)
    if problem:
        return request.reply(problem)
    set_pin(official, new)  # committed with the reply (app.sms.handling)
    invalidate_official_after_commit(official.id)
    return request.reply("pin_changed")


# Registry refusals (app.registry.activation) -> reply keys; unlisted ones get "aktif_failed".
ACTIVATION_REPLIES = {
    "expired": "aktif_expired",
    "too_many_attempts": "aktif_expired",
    "msisdn_in_use": "aktif_in_use",
    "invalid_msisdn": "aktif_bad_number",
}


@handler("aktif")
def activate_handset(request: Request) -> str:
    """AKTIF <IMEI> <code>: bind the sending number to a provisioned handset."""
    words = tokens(request.parsed.rest)
    if len(words) != 2 or not (words[0].isdigit() and len(words[0]) == 15):
        return request.reply("aktif_usage")
    caller = request.caller
    if caller is not None and caller.status == HandsetStatus.ACTIVE and caller.imei == words[0]:
        return request.reply("aktif_done")  # already bound to this number (a repeated message)
    key = f"melek:sms:aktif:{request.sender}"
    redis = get_redis()
    tries = int(redis.incr(key))
    redis.expire(key, 24 * 3600, nx=True)
    if tries > ACTIVATION_TRIES:
        return request.reply("aktif_locked")
    result = activate(words[0], words[1], request.sender)  # commits, audits; never raises on bad input
    if result.ok:
        redis.delete(key)
        return text("aktif_done", result.language)
    if result.reason == "wrong_code" and result.attempts_left is not None:
        return request.reply("aktif_wrong_code", left=result.attempts_left)
    return request.reply(ACTIVATION_REPLIES.get(result.reason, "aktif_failed"))
