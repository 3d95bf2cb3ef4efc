"""The development gateway: nothing leaves; rows stay in the outbox marked `not_sent`."""

from __future__ import annotations

from collections.abc import Mapping

from app.gateways import KEPT, RecipientResult


class OutboxGateway:
    """Keeps every message in the database, where the console, API and ussd-sim show it."""

    name = "outbox"

    def send(self, text: str, numbers: list[str], row_ids: Mapping[str, int] | None = None) -> list[RecipientResult]:
        """Accept nothing, lose nothing: each number is `kept`."""
        del text, row_ids
        return [RecipientResult(number=n, outcome=KEPT, reason="outbox gateway: not sent") for n in numbers]
