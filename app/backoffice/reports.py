"""Report types as the back office sees them: validation of a payload's fields, and labels.

The forms themselves (field keys, choices, limits) are defined once in `menus.reports`
(shared with USSD and SMS `LAPOR`); when that module is present its definitions are used,
otherwise any of the four known types is accepted with lightly checked fields.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

from app.backoffice.base import PermanentError

TYPES: dict[str, tuple[str, str]] = {
    "bencana": ("Bencana/Darurat", "Disaster/Emergency"),
    "harga": ("Harga bahan pokok", "Staple food prices"),
    "kependudukan": ("Kependudukan", "Civil registry"),
    "kehadiran": ("Kehadiran", "Attendance"),
}
CRISIS_TYPES = frozenset({"bencana"})
FIELD_KEY = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
MAX_FIELDS, MAX_TEXT = 20, 500


def shared_definitions() -> dict[str, Any]:
    """`menus.reports.REPORT_TYPES` when the USSD area's module is present, else {}."""
    try:
        module = importlib.import_module("menus.reports")
    except ImportError:
        return {}
    return dict(getattr(module, "REPORT_TYPES", {}))


def label(report_type: str, language: str = "id") -> str:
    """The type's name in the official's language."""
    labels = TYPES.get(report_type, (report_type, report_type))
    return labels[1] if language == "en" else labels[0]


def clean_fields(report_type: str, fields: Any) -> dict[str, str | int]:
    """Check a report's type and fields; raise PermanentError (no retry) when they are wrong."""
    if report_type not in TYPES:
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
    known = shared_definitions().get(report_type)
    if known is not None:
        allowed = {f.key for f in known.fields} | {getattr(known, "text_field", "keterangan")}
        unknown = sorted(set(cleaned) - allowed)
        if unknown:
            raise PermanentError(f"unknown fields for {report_type}: {', '.join(unknown)}")
    return cleaned


def summary(report_type: str, fields: dict[str, Any], language: str = "id", width: int = 60) -> str:
    """A one-line description for SMS and USSD: the type and its first few answers."""
    values = [str(v).replace("_", " ") for v in fields.values() if str(v).strip()][:3]
    text = label(report_type, language) + (": " + ", ".join(values) if values else "")
    return text if len(text) <= width else text[: width - 3] + "..."
