"""Kannel (bearerbox + smsbox): the open-source gateway in front of Indonesian operators' SMSCs.

Sending goes through smsbox's `sendsms` interface, one GET per recipient over one
`requests.Session` (kept-alive connections): each request carries its own `dlr-url` with our
outbound row id, which is how a delivery report names its message (a `to` list would share
one dlr-url). A batch keeps up to CONCURRENCY requests in flight: smsbox answers each only
after bearerbox's ack, and while delivery reports flow Kannel's bearerbox-smsbox link holds
that ack back ~40 ms (Nagle against delayed ACK), so one request at a time reaches only
~25-45 a second; requests in flight share the wait (docs/kannel.md has the figures). smsbox answers
`202` with `0: Accepted for delivery` or `3: Queued for later delivery` (no SMSC link up:
Kannel keeps it); both mean Kannel has it, so the row is `sent` and only a delivery report
makes it `delivered` or `failed`. A 5xx or a network error is retried later; a 4xx is a
refusal and never retried.

Inbound messages and delivery reports arrive as the sms-service's `get-url` and the
`dlr-url` with Kannel's escape codes expanded; the parsers here turn them into our
dataclasses. The text is percent-encoded bytes in the charset Kannel names (`charset`, or
by `coding`: 0 GSM-7 as UTF-8, 1 8-bit, 2 UCS-2 as UTF-16BE), not necessarily UTF-8.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import parse_qsl, urlencode

import requests
from requests.adapters import HTTPAdapter

from app.gateways import ACCEPTED, REJECTED, RETRY, DeliveryReport, InboundSMS, RecipientResult, ReportOutcome
from app.registry.msisdn import any_e164
from menus.gsm7 import is_gsm7

log = logging.getLogger(__name__)
TIMEOUT = (3.05, 10.0)  # connect, read: smsbox answers once bearerbox has the message
DLR_MASK = 31  # every report: delivered, failed, buffered, accepted by the SMSC, rejected by it
CONCURRENCY = 8  # sendsms requests in flight for a batch (connections kept alive in the session's pool)
# "0: Accepted for delivery", "3: Queued for later delivery" (no SMSC link up: Kannel keeps it);
# "Sent." when smsbox runs with immediate-sendsms-reply (it answers before bearerbox has it).
TAKEN = ("0:", "3:", "Sent.")
INBOUND_FIELDS = ("from", "to", "text", "id")
DELIVERY_FIELDS = ("id", "status")
DLR_OUTCOMES = {
    1: ReportOutcome.DELIVERED,
    2: ReportOutcome.FAILED,
    4: ReportOutcome.PENDING,  # buffered by the SMSC
    8: ReportOutcome.PENDING,  # accepted by the SMSC: the row stays `sent`
    16: ReportOutcome.FAILED,  # rejected by the SMSC
}
DLR_NAMES = {1: "delivered", 2: "failed", 4: "buffered", 8: "accepted by SMSC", 16: "rejected by SMSC"}
CODING_CHARSETS = {"0": "utf-8", "1": "latin-1", "2": "utf-16-be"}


class BadCallback(ValueError):
    """A Kannel callback whose fields cannot be understood; the message says which."""


def raw_fields(encoded: bytes) -> dict[str, bytes]:
    """A query string or form body as bytes per field: Kannel's text need not be UTF-8."""
    pairs = parse_qsl(encoded.decode("latin-1"), keep_blank_values=True, encoding="latin-1")
    return {name: value.encode("latin-1") for name, value in pairs}


def decode_text(raw: bytes, coding: str, charset: str) -> str:
    """The SMS text from the bytes Kannel sent, by `charset` (its %C), else by `coding` (%c)."""
    fallback = CODING_CHARSETS.get(coding.strip(), "utf-8")
    try:
        text = raw.decode(charset.strip().strip('"') or fallback, errors="replace")
    except LookupError:  # unknown or not a text encoding ("8-BIT": binary, read as Latin-1: nothing lost)
        text = raw.decode(fallback, errors="replace")
    return text.replace("\x00", "")  # PostgreSQL text cannot hold NUL


def _plain(fields: Mapping[str, bytes], name: str) -> str:
    return fields.get(name, b"").decode("utf-8", errors="replace").strip()


def inbound_from_fields(fields: Mapping[str, bytes]) -> InboundSMS:
    """The sms-service's call (`from`=%p, `to`=%P, `text`=%b, `id`=%I, `coding`=%c, `charset`=%C)."""
    gateway_id, sender = _plain(fields, "id"), _plain(fields, "from")
    if not gateway_id or not sender:
        raise BadCallback("Fields 'id' and 'from' must not be empty.")
    text = decode_text(fields["text"], _plain(fields, "coding"), _plain(fields, "charset"))
    return InboundSMS(
        gateway_id=gateway_id[:100],  # %I, a UUID: the same message retried carries the same one
        sender=any_e164(sender) or sender[:32],
        recipient=_plain(fields, "to")[:32],
        text=text,
    )


def delivery_from_fields(fields: Mapping[str, str]) -> DeliveryReport:
    """A dlr-url call: `id` our row id, `status` Kannel's %d, `answer` the SMSC's words (%A)."""
    try:
        message_id, status = int(fields["id"]), int(fields["status"])
    except ValueError:
        raise BadCallback("Fields 'id' and 'status' must be whole numbers.") from None
    if message_id < 1 or message_id > 2**63 - 1:
        raise BadCallback("Field 'id' is not one of our message ids.")
    outcome = DLR_OUTCOMES.get(status, ReportOutcome.PENDING)
    reason = None
    if outcome is ReportOutcome.FAILED:
        answer = (fields.get("answer") or "").strip()
        reason = f"{status} {DLR_NAMES[status]}" + (f": {answer}" if answer else "")
    return DeliveryReport(outcome, message_id=message_id, reason=reason[:100] if reason else None)


class KannelGateway:
    """smsbox's sendsms: one kept-alive GET per recipient, each with its own dlr-url."""

    name = "kannel"

    def __init__(
        self,
        sendsms_url: str,
        username: str,
        password: str,
        *,
        smsc: str | None = None,
        callback_url: str | None = None,
        webhook_token: str | None = None,
    ) -> None:
        self.sendsms_url = sendsms_url
        self.credentials = {"username": username, "password": password}
        self.smsc = smsc
        self.callback_url = (callback_url or "").rstrip("/")
        self.webhook_token = webhook_token
        self.session = requests.Session()
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=CONCURRENCY)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> KannelGateway:
        """Build from KANNEL_SENDSMS_URL / _USERNAME / _PASSWORD / _SMSC / _CALLBACK_URL (+ WEBHOOK_TOKEN)."""
        return cls(
            config["KANNEL_SENDSMS_URL"] or "http://127.0.0.1:13013/cgi-bin/sendsms",
            config["KANNEL_USERNAME"] or "",
            config["KANNEL_PASSWORD"] or "",
            smsc=config.get("KANNEL_SMSC") or None,
            callback_url=config.get("KANNEL_CALLBACK_URL") or None,
            webhook_token=config.get("WEBHOOK_TOKEN") or None,
        )

    def close(self) -> None:
        """Close the kept-alive connection (tests; a worker keeps it for its lifetime)."""
        self.session.close()

    def dlr_url(self, row_id: int) -> str:
        """Where Kannel reports on row `row_id`: %d and %A are Kannel's, expanded by it."""
        token = f"&{urlencode({'token': self.webhook_token})}" if self.webhook_token else ""
        return f"{self.callback_url}/sms/kannel/delivery?id={row_id}&status=%d&answer=%A{token}"

    def params(self, text: str, number: str, row_id: int | None) -> dict[str, str | int]:
        """The sendsms query for one recipient (numbers as digits, `62812...`, as SMSCs expect)."""
        params: dict[str, str | int] = {**self.credentials, "to": number.lstrip("+"), "text": text}
        params["charset"] = "UTF-8"  # how `text` travels in the URL; Kannel converts it
        if not is_gsm7(text):
            params["coding"] = 2  # UCS-2 on the air
        if self.smsc:
            params["smsc"] = self.smsc
        if row_id is not None and self.callback_url:
            params |= {"dlr-mask": DLR_MASK, "dlr-url": self.dlr_url(row_id)}
        return params

    def send(self, text: str, numbers: list[str], row_ids: Mapping[str, int] | None = None) -> list[RecipientResult]:
        """One request per number, up to CONCURRENCY at once; after a 5xx or network error the
        numbers not yet tried wait for the job's retry (smsbox is down or failing)."""
        failure: list[str] = []  # the first retryable failure's reason, once there is one
        lock = threading.Lock()

        def one(number: str) -> RecipientResult:
            if failure:
                return RecipientResult(number, RETRY, reason=f"not tried: {failure[0]}"[:100])
            result = self.send_one(text, number, (row_ids or {}).get(number))
            if result.outcome == RETRY:
                with lock:
                    failure.append(result.reason or "retry")
            return result

        if len(numbers) <= 1:
            return [one(number) for number in numbers]
        with ThreadPoolExecutor(min(CONCURRENCY, len(numbers)), thread_name_prefix="kannel-send") as pool:
            return list(pool.map(one, numbers))

    def send_one(self, text: str, number: str, row_id: int | None) -> RecipientResult:
        """One sendsms GET; its answer decides this number's outcome."""
        try:
            response = self.session.get(self.sendsms_url, params=self.params(text, number, row_id), timeout=TIMEOUT)
        except requests.ReadTimeout:
            # smsbox may have taken it and just not answered: sending again could deliver it twice.
            log.warning("kannel: no answer in time; counted as sent", extra={"outbound_id": row_id})
            return RecipientResult(number, ACCEPTED, reason="no answer from smsbox in time: not resent")
        except requests.RequestException as exc:  # refused, reset, DNS: it did not take the message
            return RecipientResult(number, RETRY, reason=f"{type(exc).__name__}: {str(exc)[:80]}")
        return answer_result(number, response.status_code, response.text)


def answer_result(number: str, status: int, body: str) -> RecipientResult:
    """Map smsbox's answer: 2xx taken, 5xx retry, anything else a refusal (never retried)."""
    words = f"{status} {body.strip()}"[:100]
    if 200 <= status < 300:
        if not body.strip().startswith(TAKEN):
            log.warning("kannel: unexpected 2xx answer; counted as sent", extra={"answer": body[:100]})
            return RecipientResult(number, ACCEPTED, reason=f"unexpected answer: {words}"[:100])
        return RecipientResult(number, ACCEPTED)
    if status >= 500:
        return RecipientResult(number, RETRY, reason=words)
    log.error("kannel: sendsms refused", extra={"status": status, "answer": body[:100]})
    return RecipientResult(number, REJECTED, reason=words)
