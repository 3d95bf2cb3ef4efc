"""SMS commands on back-office records: STATUS/CEK, LAPOR, and the Crisis Center's OK.

They call the back-office job functions directly (same process, same job), as the
contract says; `file_report` is idempotent per key, so a retried job files one record.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

from menus.refs import normalize_reference
from menus.sms.lapor import QuickReport, parse_lapor
from workers.sms_request import Request, handler

log = logging.getLogger(__name__)
SMS_LIMIT = 160


def backoffice(name: str) -> Callable[..., dict[str, Any]] | None:
    """A function of `workers.reports` (the back office's jobs), or None if not installed."""
    try:
        module = importlib.import_module("workers.reports")
    except ImportError:
        return None
    return getattr(module, name, None)


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
    lookup_status = backoffice("lookup_status")
    if lookup_status is None or request.caller is None or request.caller.official_id is None:
        return request.reply("unavailable")
    result = lookup_status(request.caller.official_id, ref, None)
    if not result.get("found"):
        return request.reply("status_not_found", ref=ref)
    return fit(
        request.reply("status_found", ref=ref, status=result.get("status", ""), summary=result.get("summary", ""))
    )


@handler("lapor")
def lapor(request: Request) -> str:
    """LAPOR <jenis> <teks>: files one quick report per inbound message."""
    parsed = parse_lapor(request.parsed.rest)
    if isinstance(parsed, str):
        return request.reply(parsed)
    file_report = backoffice("file_report")
    caller = request.caller
    if file_report is None or caller is None or caller.official_id is None:
        return request.reply("unavailable")
    result = file_report(
        {
            "idempotency_key": f"sms-in-{request.inbound_id}",
            "official_id": caller.official_id,
            "handset_id": caller.handset_id,
            "channel": "sms",
            "report_type": parsed.report_type,
            "fields": quick_fields(parsed),
            "notify_msisdn": None,  # the reply below is the confirmation
        }
    )
    return request.reply("lapor_filed", ref=result["ref"], report_type=parsed.report_type)


def quick_fields(report: QuickReport) -> dict[str, str | int]:
    """The report's fields from one line of free text (disaster kind when the word named one)."""
    fields: dict[str, str | int] = {"keterangan": report.text[:500]}
    if report.kind:
        fields["jenis"] = report.kind
    return fields


@handler("ok")
def acknowledge(request: Request) -> str:
    """OK <ref>: the Crisis Center acknowledges an alert (the back office records it)."""
    ref = normalize_reference(request.parsed.rest)
    if ref is None:
        return request.reply("ok_usage")
    ack = backoffice("acknowledge_alert")
    if ack is None:
        return request.reply("unavailable")
    ack(ref, request.sender)
    return request.reply("ok_done", ref=ref)
