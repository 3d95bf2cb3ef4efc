"""Back-office jobs (queue `ussd`, enqueued by the USSD screens): logic in app.backoffice.filing."""

from __future__ import annotations

from app.backoffice.filing import file_report, lookup_status

__all__ = ["file_report", "lookup_status"]
