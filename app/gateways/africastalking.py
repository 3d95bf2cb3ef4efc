"""Africa's Talking, through the official `africastalking` SDK.

Per-recipient `statusCode` decides each number's fate: 100-102 accepted, 5xx worth a retry,
anything else (4xx: invalid number, blacklist, balance) rejected with its status as reason.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import requests
from africastalking.Service import DEFAULT_TIMEOUT_S, AfricasTalkingException
from africastalking.SMS import SMSService

from app.gateways import (
    ACCEPTED,
    REJECTED,
    RETRY,
    DeliveryReport,
    GatewayUnavailable,
    InboundSMS,
    RecipientResult,
    ReportOutcome,
)
from app.registry.msisdn import any_e164

log = logging.getLogger(__name__)
ACCEPTED_CODES = frozenset({100, 101, 102})
TIMEOUT = (3.05, 9.05)  # connect, read: the SDK's own default, stated so it is visible
INBOUND_FIELDS = ("from", "to", "text", "id")
DELIVERY_FIELDS = ("id", "status")
OUTCOMES = {"Success": ReportOutcome.DELIVERED, "Failed": ReportOutcome.FAILED, "Rejected": ReportOutcome.FAILED}


def inbound_from_form(form: dict[str, str]) -> InboundSMS:
    """AT's incoming-SMS callback (`from`, `to`, `text`, `id`, `linkId`) in our own terms."""
    return InboundSMS(
        gateway_id=form["id"][:100],
        sender=any_e164(form["from"]) or form["from"].strip()[:32],
        recipient=form["to"][:32],
        text=form["text"].replace("\x00", ""),  # PostgreSQL text cannot hold NUL
        link_id=(form.get("linkId") or None),
    )


def delivery_from_form(form: dict[str, str]) -> DeliveryReport:
    """AT's delivery report: `Success` delivered, `Failed`/`Rejected` failed, the rest pending."""
    status = form["status"][:20]
    outcome = OUTCOMES.get(status, ReportOutcome.PENDING)
    reason = (form.get("failureReason") or status)[:100] if outcome is ReportOutcome.FAILED else None
    return DeliveryReport(outcome, gateway_id=form["id"][:100], reason=reason)


def point_sdk_at(service: SMSService, base_url: str) -> None:
    """Send the SDK's SMS calls to `base_url` (e.g. a local fake) instead of AT's hosts.

    The SDK picks its host from the username and offers no setting; its SMS service builds
    every URL from `_baseUrl` plus "/messaging", so this private attribute is the one lever.
    """
    service._baseUrl = base_url.rstrip("/") + "/version1"


class PooledSMSService(SMSService):
    """The SDK's SMS service, sending over one keep-alive `requests.Session`.

    The SDK posts with module-level `requests.post`: a new session and a new TCP (and TLS)
    connection per SMS. Its transport is one private static method, `Service.__make_post_request`
    (name-mangled to `_Service__make_post_request`), which `Service._make_request` looks up on
    `self`; this subclass overrides just that. URL, form fields, headers, the 2xx/JSON check
    and the exceptions all stay the SDK's own (africastalking 2.0.3, pinned in requirements.txt;
    tests/test_sms_send.py checks that a second send reuses the connection). No retries are
    added: a POST that may have reached the gateway is never resent by the transport.
    """

    def __init__(self, username: str, api_key: str) -> None:
        super().__init__(username, api_key)
        self.session = requests.Session()

    def _Service__make_post_request(
        self,
        url: str,
        headers: dict[str, str],
        data: dict[str, Any],
        params: dict[str, Any] | None,
        callback: Any = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT_S,
    ) -> requests.Response | None:
        response = self.session.post(url=url, headers=headers, params=params, data=data, timeout=timeout)
        if callback is None or callback == {}:
            return response
        callback(response)  # the SDK's threaded callback mode (we never use it)
        return None

    def close(self) -> None:
        """Close the pooled connections."""
        self.session.close()


class AfricasTalkingGateway:
    """Sends with `SMSService.send` (bulk mode) and maps each recipient's status code."""

    name = "africastalking"

    def __init__(self, service: SMSService, sender_id: str | None) -> None:
        self.service = service
        self.sender_id = sender_id

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> AfricasTalkingGateway:
        """Build from AT_USERNAME / AT_API_KEY / AT_SENDER_ID / AT_API_BASE_URL."""
        service = PooledSMSService(config["AT_USERNAME"] or "sandbox", config["AT_API_KEY"] or "")
        if config.get("AT_API_BASE_URL"):
            point_sdk_at(service, config["AT_API_BASE_URL"])
        return cls(service, config.get("AT_SENDER_ID") or None)

    def close(self) -> None:
        """Close the SDK's pooled connections (tests; a worker keeps them for its lifetime)."""
        if isinstance(self.service, PooledSMSService):
            self.service.close()

    def send(self, text: str, numbers: list[str], row_ids: Mapping[str, int] | None = None) -> list[RecipientResult]:
        """One request for the batch; raises GatewayUnavailable when nothing was accepted."""
        del row_ids  # AT's reports name its own messageId
        try:
            # enqueue=1 for a batch: AT queues it and answers at once instead of per recipient.
            bulk = len(numbers) > 1
            answer = self.service.send(text, numbers, sender_id=self.sender_id, enqueue=bulk, timeout=TIMEOUT)
        except (requests.RequestException, AfricasTalkingException) as exc:
            # Non-2xx answers and network errors: the gateway took none of the batch.
            raise GatewayUnavailable(f"{type(exc).__name__}: {str(exc)[:200]}") from exc
        if not isinstance(answer, dict):
            # A 2xx answer means AT took the request; sending again could deliver it twice.
            log.warning("at: 2xx answer not JSON; counted as sent", extra={"answer": str(answer)[:200]})
            return [RecipientResult(n, ACCEPTED, reason="gateway answer not JSON: no message id") for n in numbers]
        return parse_answer(answer, numbers)


def parse_answer(answer: dict[str, Any], numbers: list[str]) -> list[RecipientResult]:
    """Map AT's `Recipients` list to results; a number the answer leaves out is retried."""
    recipients = (answer.get("SMSMessageData") or {}).get("Recipients") or []
    results: dict[str, RecipientResult] = {}
    for item in recipients:
        number = str(item.get("number", ""))
        results[number] = recipient_result(number, item)
    for number in numbers:
        if number not in results:
            log.warning("at: recipient missing from answer", extra={"to": number})
            results[number] = RecipientResult(number=number, outcome=RETRY, reason="missing from gateway answer")
    return [results[n] for n in numbers]


def recipient_result(number: str, item: dict[str, Any]) -> RecipientResult:
    """One `Recipients` entry: statusCode, status, messageId, cost."""
    try:
        code = int(item.get("statusCode", 0))
    except (TypeError, ValueError):
        code = 0
    status = str(item.get("status") or code)[:80]
    if code in ACCEPTED_CODES:
        message_id = str(item["messageId"]) if item.get("messageId") else None
        return RecipientResult(number, ACCEPTED, message_id=message_id, cost=item.get("cost"))
    if 500 <= code < 600:
        return RecipientResult(number, RETRY, reason=f"{code} {status}")
    return RecipientResult(number, REJECTED, reason=f"{code} {status}")
