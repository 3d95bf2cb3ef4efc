"""East Kalimantan's clock: WITA (Central Indonesian Time, UTC+8), the officials' time.

The one place that knows the offset; everything stored is UTC.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

WITA = timezone(timedelta(hours=8), "WITA")


def local_hhmm(moment: datetime) -> str:
    """HH:MM of `moment` (timezone-aware) on the officials' clock."""
    return moment.astimezone(WITA).strftime("%H:%M")
