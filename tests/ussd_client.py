"""A gateway stand-in for webhook tests: builds the cumulative `text` exactly as Africa's Talking does."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask.testing import FlaskClient

from app.seed import DEMO_MSISDN, DEMO_PIN

__all__ = ["DEMO_MSISDN", "DEMO_PIN", "GatewaySession"]


@dataclass
class GatewaySession:
    """One USSD session on one phone: `dial()`, then `send(input)` for each keypad answer."""

    client: FlaskClient
    phone: str = DEMO_MSISDN
    session_id: str = "ATUid_test_1"
    inputs: list[str] = field(default_factory=list)
    screens: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "*".join(self.inputs)

    def post(self, text: str) -> str:
        form = {
            "sessionId": self.session_id,
            "serviceCode": "*818#",
            "phoneNumber": self.phone,
            "networkCode": "51010",
            "text": text,
        }
        response = self.client.post("/ussd", data=form)
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.mimetype == "text/plain"
        body = response.get_data(as_text=True)
        assert body.startswith(("CON ", "END ")), body
        self.screens.append(body)
        return body

    def dial(self) -> str:
        self.inputs = []
        return self.post("")

    def send(self, inp: str) -> str:
        self.inputs.append(inp)
        return self.post(self.text)

    def repeat(self) -> str:
        """The gateway sends the same text again (a retry)."""
        return self.post(self.text)

    def login(self, pin: str = DEMO_PIN) -> str:
        self.dial()
        return self.send(pin)
