"""Reference data (the 14 regencies) and demo data, both idempotent."""

from __future__ import annotations

from sqlalchemy import select
from stdnum import luhn

from app.extensions import db
from app.models import Announcement, Handset, Official, Regency
from app.models.handset import HandsetStatus
from app.registry.lookup import invalidate_msisdn
from app.security.pins import set_pin

# East Kalimantan in 2010: 10 kabupaten and 4 kota, BPS codes (Kemendagri numbers differ).
REGENCIES = (
    ("6401", "Paser", "kabupaten"),
    ("6402", "Kutai Barat", "kabupaten"),
    ("6403", "Kutai Kartanegara", "kabupaten"),
    ("6404", "Kutai Timur", "kabupaten"),
    ("6405", "Berau", "kabupaten"),
    ("6406", "Malinau", "kabupaten"),
    ("6407", "Bulungan", "kabupaten"),
    ("6408", "Nunukan", "kabupaten"),
    ("6409", "Penajam Paser Utara", "kabupaten"),
    ("6410", "Tana Tidung", "kabupaten"),
    ("6471", "Balikpapan", "kota"),
    ("6472", "Samarinda", "kota"),
    ("6473", "Tarakan", "kota"),
    ("6474", "Bontang", "kota"),
)

DEMO_MSISDN = "+6281350000001"
DEMO_PIN = "7391"
DEMO_OFFICIALS = (
    # (msisdn, name, nip, position, regency, language, tac+serial)
    (DEMO_MSISDN, "Siti Rahmawati", "198203152006042011", "Staf Crisis Center", "6472", "id", "35693803000001"),
    ("+6281350000002", "Budi Santoso", "197911022005011003", "Camat Tenggarong", "6403", "id", "35693803000002"),
    ("+6281350000003", "Maria Ulfa", "198507212010012015", "Field officer", "6471", "en", "35693803000003"),
)
DEMO_ANNOUNCEMENTS: tuple[tuple[str | None, str, str], ...] = (
    (None, "Rapat koordinasi", "Rapat koordinasi e-government seluruh kab/kota, Senin 09.00 WITA di Kantor Gubernur."),
    ("6472", "Waspada banjir", "BMKG: hujan lebat 3 hari ke depan. Laporkan genangan lewat menu 1 Kirim laporan."),
    ("6403", "Pasar murah", "Pasar murah minyak goreng di Tenggarong, Rabu-Kamis. Laporkan harga di pasar Anda."),
)


def seed_regencies() -> int:
    """Insert or correct the 14 regencies; returns how many rows changed."""
    existing = {r.code: r for r in db.session.scalars(select(Regency))}
    changed = 0
    for code, name, kind in REGENCIES:
        row = existing.get(code)
        if row is None:
            db.session.add(Regency(code=code, name=name, kind=kind))
            changed += 1
        elif (row.name, row.kind) != (name, kind):
            row.name, row.kind = name, kind
            changed += 1
    db.session.commit()
    return changed


def demo_imei(body14: str) -> str:
    """A valid IMEI (Luhn check digit appended) for demo data."""
    return body14 + luhn.calc_check_digit(body14)


def seed_demo() -> int:
    """Demo officials with active handsets and announcements; returns how many were added."""
    added = 0
    for msisdn, name, nip, position, regency, language, body in DEMO_OFFICIALS:
        if db.session.scalar(select(Handset).where(Handset.imei == demo_imei(body))) is not None:
            continue
        official = Official(name=name, nip=nip, position=position, regency_code=regency, language=language)
        db.session.add(official)
        db.session.flush()
        if msisdn == DEMO_MSISDN:
            set_pin(official, DEMO_PIN)
        imei = demo_imei(body)
        db.session.add(
            Handset(
                imei=imei,
                tac=imei[:8],
                msisdn=msisdn,
                official_id=official.id,
                regency_code=regency,
                status=HandsetStatus.ACTIVE,
            )
        )
        added += 1
    for scope, title, text in DEMO_ANNOUNCEMENTS:
        if db.session.scalar(select(Announcement).where(Announcement.title == title)) is None:
            db.session.add(Announcement(regency_code=scope, title=title, body=text))
            added += 1
    db.session.commit()
    invalidate_msisdn(*(row[0] for row in DEMO_OFFICIALS))
    return added
