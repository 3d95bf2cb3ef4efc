"""The gateway that sends nothing (SMS_GATEWAY=outbox, the development default)."""

from __future__ import annotations

from collections.abc import Mapping

from app.gateways import KEPT, RecipientResult


class KeepGateway:
    """Keeps every message in the database (`not_sent`), where the console, API and ussd-sim show it."""

    name = "keep"

    def send(self, text: str, numbers: list[str], row_ids: Mapping[str, int] | None = None) -> list[RecipientResult]:
        """Accept nothing, lose nothing: each number is `kept`."""
        del text, row_ids
        return [
            RecipientResult(number=n, outcome=KEPT, reason="kept: SMS_GATEWAY=outbox sends nothing") for n in numbers
        ]
