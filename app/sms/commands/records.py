"""SMS commands on back-office records: STATUS/CEK, LAPOR, and the Crisis Center's OK.

STATUS and LAPOR call the back office (`app.backoffice.filing`) in this same job.
`file_report` is idempotent per key (`sms-in-<inbound id>`), so handling a message again
files one record; both functions commit the session. A TransientError (back office down)
propagates: the message stays `received` and is tried again later (app.sms.handling).
"""

from __future__ import annotations

import logging

from app.backoffice import crisis, filing
from app.backoffice.base import PermanentError
from app.sms.commands.request import Request, handler
from menus.refs import normalize_reference
from menus.reports import REPORT_TYPES, status_label
from menus.sms.lapor import parse_lapor

log = logging.getLogger(__name__)
SMS_LIMIT = 160


def fit(text: str, limit: int = SMS_LIMIT) -> str:
    """Cut a reply to one SMS, marking the cut."""
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


@handler("status")
def status(request: Request) -> str:
    """STATUS/CEK <ref>: the check digit is verified before the back office is asked."""
    rest = request.parsed.rest
    if not rest:
        return request.reply("status_usage")
    ref = normalize_reference(rest) or normalize_reference(rest.split()[0])
    if ref is None:
        return request.reply("status_bad_ref", ref=rest[:20])
    if request.caller is None or request.caller.official_id is None:
        return request.reply("status_not_found", ref=ref)
    result = filing.lookup_status(request.caller.official_id, ref, None)
    if not result.get("found"):
        return request.reply("status_not_found", ref=ref)
    label = status_label(str(result.get("status") or ""), request.language)
    return fit(request.reply("status_found", ref=ref, status=label, summary=result.get("summary", "")))


@handler("lapor")
def lapor(request: Request) -> str:
    """LAPOR <jenis> <teks>: files one quick report per inbound message."""
    parsed = parse_lapor(request.parsed.rest)
    if isinstance(parsed, str):
        return request.reply(parsed)
    caller = request.caller
    if caller is None or caller.official_id is None:
        return request.reply("not_active")
    payload = {
        "idempotency_key": f"sms-in-{request.inbound_id}",
        "official_id": caller.official_id,
        "handset_id": caller.handset_id,
        "channel": "sms",
        "report_type": parsed.report_type,
        "fields": parsed.fields,
        "notify_msisdn": None,  # the reply of this job is the confirmation
    }
    try:
        result = filing.file_report(payload)
    except PermanentError as exc:
        log.warning(
            "sms lapor: refused by the back office", extra={"inbound_id": request.inbound_id, "error": str(exc)}
        )
        return request.reply("lapor_refused")
    labels = REPORT_TYPES[parsed.report_type].label
    label = labels[1] if request.language == "en" else labels[0]
    return request.reply("lapor_filed", ref=result["ref"], report_type=label)


@handler("ok")
def acknowledge(request: Request) -> str:
    """OK <ref>: a Crisis Center contact acknowledges an alert (any sender; the back office checks)."""
    ref = normalize_reference(request.parsed.rest)
    if ref is None:
        return request.reply("ok_usage")
    return fit(crisis.acknowledge(request.sender, ref))
