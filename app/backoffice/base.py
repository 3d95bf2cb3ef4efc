"""The back-office adapter interface: the few operations Melek needs from a records system."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from app.queues import PermanentFailure


class BackOfficeError(Exception):
    """The back office could not do what was asked."""


class TransientError(BackOfficeError):
    """Slow, down or answering nonsense: try again later (the job is retried with backoff)."""


class PermanentError(BackOfficeError, PermanentFailure):
    """The request itself is wrong; retrying will not help (the job fails at once)."""


@dataclass(frozen=True)
class NewReport:
    """A report to file; `idempotency_key` makes a repeat file nothing new."""

    idempotency_key: str
    report_type: str
    regency_code: str
    official_id: int | None
    channel: str
    fields: dict[str, Any]


@dataclass(frozen=True)
class Filed:
    """The outcome of filing: the record's reference, and whether this call created it."""

    ref: str
    created: bool


@dataclass(frozen=True)
class StatusEntry:
    """One step of a record's status history."""

    status: str
    at: datetime
    note: str = ""


@dataclass(frozen=True)
class RecordView:
    """A record as Melek shows it to officials and admins."""

    ref: str
    report_type: str
    regency_code: str
    status: str
    fields: dict[str, Any]
    created_at: datetime
    official_id: int | None = None
    history: list[StatusEntry] = field(default_factory=list)


class BackOffice(Protocol):
    """What every back-office implementation offers (see BACKOFFICES in app.backoffice)."""

    def file_report(self, report: NewReport) -> Filed:
        """File a report once per idempotency key; a repeat returns the first reference."""

    def find_record(self, ref: str) -> RecordView | None:
        """The record with this reference (with its status history), or None."""
