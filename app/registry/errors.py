"""What the registry refuses, as exceptions every interface maps the same way."""

from __future__ import annotations


class RegistryError(Exception):
    """A refused operation; `status` is the HTTP answer, `field` the input at fault if any."""

    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class RuleError(RegistryError):
    """An input breaks a rule (bad IMEI, fixed-line number, implausible NIP...)."""

    status = 422


class NotFound(RegistryError):
    """No such object, or one the actor may not see (indistinguishable on purpose)."""

    status = 404


class Forbidden(RegistryError):
    """The actor's role may not do this."""

    status = 403


class Conflict(RegistryError):
    """The change clashes with existing data (IMEI taken, number on another active handset)."""

    status = 409
