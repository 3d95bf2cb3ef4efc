"""Running an SMS command for a sender: who they are, what they asked, the reply.

Handlers are registered by command name in `HANDLERS`; each takes a `Request` and returns
the reply text. The sender checks (automated, unknown, blocked, not yet active) come first.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.models.handset import HandsetStatus
from app.models.message import InboundStatus
from app.registry.lookup import handset_for_msisdn
from app.sms.commands import account, records  # noqa: F401  (they register their handlers)
from app.sms.commands.request import HANDLERS, Request
from app.sms.senders import first_refusal_today
from menus.sms.autoreply import looks_automated
from menus.sms.router import parse


@dataclass(frozen=True)
class Outcome:
    """What handling decided: the inbound row's status and note, and the reply (if any)."""

    status: InboundStatus
    note: str
    reply: str | None = None
    official_id: int | None = None


def decide(inbound_id: int, sender: str, body: str) -> Outcome:
    """The outcome of one inbound message, after the sender checks."""
    if looks_automated(sender, body):
        return Outcome(InboundStatus.IGNORED, "automated sender or notice: never answered")
    parsed = parse(body)
    caller = handset_for_msisdn(sender)
    language = caller.language if caller and caller.official_id else ("en" if parsed.english else "id")
    request = Request(inbound_id, sender, caller, parsed, language)
    if parsed.command == "aktif" and (
        caller is None or caller.status not in (HandsetStatus.ACTIVE, HandsetStatus.BLOCKED)
    ):
        return run(request)
    if parsed.command == "ok":  # Crisis Center contacts need not carry a Melek handset
        return run(request)
    if caller is None:
        return refuse(request, "unknown_sender")
    if caller.status == HandsetStatus.BLOCKED:
        return refuse(request, "blocked")
    if caller.status != HandsetStatus.ACTIVE:
        return Outcome(InboundStatus.HANDLED, "handset not active", request.reply("not_active"))
    return run(request)


def run(request: Request) -> Outcome:
    """Dispatch to the command's handler; a near miss gets a suggestion, anything else help."""
    official_id = request.caller.official_id if request.caller else None
    parsed = request.parsed
    if parsed.command is None:
        key, values = ("suggest", {"word": parsed.suggestion}) if parsed.suggestion else ("help", {})
        return Outcome(InboundStatus.HANDLED, f"no command: {key}", request.reply(key, **values), official_id)
    reply = HANDLERS[parsed.command](request)
    return Outcome(InboundStatus.HANDLED, f"command {parsed.command}", reply, official_id)


def refuse(request: Request, reason: str) -> Outcome:
    """At most one refusal a day per number, so two automated senders cannot loop."""
    if first_refusal_today(request.sender, reason):
        return Outcome(InboundStatus.IGNORED, f"{reason}: refused", request.reply(reason))
    return Outcome(InboundStatus.IGNORED, f"{reason}: already refused today")
