"""Helpers for the back-office and Crisis Center tests (demo officials, payloads, contacts)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import CrisisContact, Handset, Official

SITI_NIP = "198203152006042011"  # Samarinda (6472), Indonesian
BUDI_NIP = "197911022005011003"  # Kutai Kartanegara (6403), Indonesian
MARIA_NIP = "198507212010012015"  # Balikpapan (6471), English


def official(nip: str) -> Official:
    return db.session.scalars(select(Official).where(Official.nip == nip)).one()


def payload(nip: str = SITI_NIP, key: str = "ussd-s1-3", report_type: str = "harga", **extra: Any) -> dict[str, Any]:
    """A file_report payload as the USSD engine sends it."""
    person = official(nip)
    handset = db.session.scalars(select(Handset).where(Handset.official_id == person.id)).one()
    fields: dict[str, Any] = {"komoditas": "beras", "harga": 14500, "pasar": "Pasar Segiri"}
    if report_type == "bencana":
        fields = {"jenis": "banjir", "lokasi": "Sempaja Utara", "terdampak": 120, "urgensi": "segera"}
    body = {
        "idempotency_key": key,
        "official_id": person.id,
        "handset_id": handset.id,
        "channel": "ussd",
        "report_type": report_type,
        "fields": fields,
        "notify_msisdn": handset.msisdn,
    }
    body.update(extra)
    return body


def add_contact(msisdn: str, regency_code: str | None, name: str = "Posko") -> CrisisContact:
    contact = CrisisContact(msisdn=msisdn, regency_code=regency_code, name=name)
    db.session.add(contact)
    db.session.commit()
    return contact
