"""East Kalimantan's clock: WITA (Central Indonesian Time, UTC+8), the officials' time.

The one place that knows the offset; everything stored is UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

OFFSET_HOURS = 8
ZONE_NAME = "Asia/Makassar"  # the IANA zone of WITA, for SQL that converts timestamps
WITA = timezone(timedelta(hours=OFFSET_HOURS), "WITA")


def local_hhmm(moment: datetime) -> str:
    """HH:MM of `moment` (timezone-aware) on the officials' clock."""
    return moment.astimezone(WITA).strftime("%H:%M")


def day_start(day: date) -> datetime:
    """00:00 WITA of `day`, in UTC: where a day the officials name begins (for date filters)."""
    return datetime.combine(day, time(0), tzinfo=WITA).astimezone(UTC)
