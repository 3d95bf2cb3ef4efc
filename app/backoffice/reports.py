"""Report types as the back office sees them: validation of a payload's fields, and labels.

The forms themselves (field keys, choices, limits, labels) are defined once in
`menus.reports`, shared with the USSD forms and SMS `LAPOR`; this module only checks that a
payload fits them.
"""

from __future__ import annotations

import re
from typing import Any

from app.backoffice.base import PermanentError
from menus.answers import field_display
from menus.reports import REPORT_TYPES

TYPES = tuple(REPORT_TYPES)
CRISIS_TYPES = frozenset(key for key, rt in REPORT_TYPES.items() if rt.crisis)
FIELD_KEY = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
MAX_FIELDS, MAX_TEXT = 20, 500


def label(report_type: str, language: str = "id") -> str:
    """The type's name in the official's language."""
    known = REPORT_TYPES.get(report_type)
    labels = known.label if known else (report_type, report_type)
    return labels[1] if language == "en" else labels[0]


def clean_fields(report_type: str, fields: Any) -> dict[str, str | int]:
    """Check a report's type and fields; raise PermanentError (no retry) when they are wrong."""
    known = REPORT_TYPES.get(report_type)
    if known is None:
        raise PermanentError(f"unknown report type {report_type!r}")
    if not isinstance(fields, dict) or len(fields) > MAX_FIELDS:
        raise PermanentError("fields must be an object of at most 20 entries")
    cleaned: dict[str, str | int] = {}
    for key, value in fields.items():
        if not isinstance(key, str) or not FIELD_KEY.match(key):
            raise PermanentError(f"bad field key {key!r}")
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise PermanentError(f"field {key} must be text or a whole number")
        cleaned[key] = value.strip()[:MAX_TEXT] if isinstance(value, str) else value
    unknown = sorted(set(cleaned) - {f.key for f in known.fields} - {known.text_field})
    if unknown:
        raise PermanentError(f"unknown fields for {report_type}: {', '.join(unknown)}")
    return cleaned


def summary(report_type: str, fields: dict[str, Any], language: str = "id", width: int = 60) -> str:
    """A one-line description for SMS and USSD: the type and its first few answers, shown as
    the form showed them (choice labels, 15.000, 29-11-2026)."""
    known = REPORT_TYPES.get(report_type)
    defined = {f.key: f for f in known.fields} if known else {}
    shown = [
        field_display(defined[key], value, language) if key in defined else str(value).replace("_", " ")
        for key, value in fields.items()
    ]
    values = [v for v in shown if v.strip()][:3]
    text = label(report_type, language) + (": " + ", ".join(values) if values else "")
    return text if len(text) <= width else text[: width - 3] + "..."
