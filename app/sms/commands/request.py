"""What an SMS command handler gets (`Request`) and the registry of handlers by name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.registry.lookup import CallerView
from menus.sms.router import Parsed
from menus.sms.texts import text


@dataclass(frozen=True)
class Request:
    """One inbound command: the message, its sender, and what the parser made of it."""

    inbound_id: int
    sender: str
    caller: CallerView | None
    parsed: Parsed
    language: str

    def reply(self, key: str, **values: object) -> str:
        """A reply text in the sender's language."""
        return text(key, self.language, **values)


Handler = Callable[[Request], str]
HANDLERS: dict[str, Handler] = {}


def handler(name: str) -> Callable[[Handler], Handler]:
    """Register a command handler under the router's command name."""

    def register(func: Handler) -> Handler:
        HANDLERS[name] = func
        return func

    return register
