"""The development gateway: nothing leaves; rows stay in the outbox marked `not_sent`."""

from __future__ import annotations

from app.gateways import KEPT, RecipientResult


class OutboxGateway:
    """Keeps every message in the database, where the console, API and ussd-sim show it."""

    name = "outbox"

    def send(self, text: str, numbers: list[str]) -> list[RecipientResult]:
        """Accept nothing, lose nothing: each number is `kept`."""
        del text
        return [RecipientResult(number=n, outcome=KEPT, reason="outbox gateway: not sent") for n in numbers]
