"""Whose message it is: the regency and official of a number when the message is written.

Stored on each message row, so the admin API scopes history by who held the number then,
never by today's bindings (a number retired in one regency may be bound in another later).
"""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Handset, Official
from app.models.handset import HandsetStatus


def owner_of(msisdn: str, official_id: int | None = None) -> tuple[str | None, int | None]:
    """(regency code, official id) for a message to or from `msisdn`, or (None, None) if nobody's.

    The handset holding the number decides (an active one first, else a blocked or newly
    provisioned one, newest first; retired ones no longer hold it); else an official named by the caller
    (a reply to an `AKTIF` before the number is bound) gives its own regency.
    """
    row = db.session.execute(
        select(Handset.regency_code, Handset.official_id)
        .where(Handset.msisdn == msisdn, Handset.status != HandsetStatus.RETIRED)
        .order_by((Handset.status == HandsetStatus.ACTIVE).desc(), Handset.id.desc())
        .limit(1)
    ).first()
    if row is not None:
        return row[0], official_id if official_id is not None else row[1]
    if official_id is not None:
        return db.session.scalar(select(Official.regency_code).where(Official.id == official_id)), official_id
    return None, None
