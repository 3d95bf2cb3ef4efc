"""A registry of N active handsets, each with an official and a PIN, for the USSD benchmark."""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import UTC, datetime

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import func, insert, select

from app.extensions import db
from app.models import Announcement, Base, Handset, Official
from app.seed import seed_regencies
from bench.registry_data import REGENCY_CODES, imei, msisdn

PIN = "5827"
BATCH = 20_000


def reset(app: Flask) -> None:
    """Drop everything and migrate to head (the bench database is its own)."""
    with app.app_context():
        Base.metadata.drop_all(db.engine)
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        upgrade()
        seed_regencies()
        for code in (None, *REGENCY_CODES):
            for i in range(3):
                body = f"Pengumuman {i} untuk {code or 'provinsi'}: " + "rapat koordinasi dan laporan harian. " * 6
                db.session.add(Announcement(regency_code=code, title=f"Info {i} {code or 'prov'}", body=body))
        db.session.commit()


def grow(app: Flask, total: int) -> float:
    """Add handsets until the registry holds `total`; returns seconds taken."""
    started = time.perf_counter()
    with app.app_context():
        have = db.session.scalar(select(func.count()).select_from(Handset)) or 0
        pepper = app.config["PIN_PEPPER"].encode()
        now = datetime.now(UTC)
        for start in range(have, total, BATCH):
            ns = range(start, min(total, start + BATCH))
            officials = [
                {
                    "id": n + 1,
                    "name": f"Petugas Lapangan {n}",
                    "position": "Staf",
                    "regency_code": REGENCY_CODES[n % len(REGENCY_CODES)],
                    "language": "en" if n % 5 == 0 else "id",
                    # Same keyed hash as app.security.pins.hash_pin, without an app per row.
                    "pin_hash": "hmac-sha256$"
                    + hmac.new(pepper, f"{n + 1}:{PIN}".encode(), hashlib.sha256).hexdigest(),
                    "pin_changed_at": now,
                }
                for n in ns
            ]
            handsets = [
                {
                    "id": n + 1,
                    "imei": imei(n),
                    "tac": imei(n)[:8],
                    "msisdn": msisdn(n),
                    "official_id": n + 1,
                    "regency_code": REGENCY_CODES[n % len(REGENCY_CODES)],
                    "status": "active",
                    "status_changed_at": now,
                }
                for n in ns
            ]
            db.session.execute(insert(Official), officials)
            db.session.execute(insert(Handset), handsets)
            db.session.commit()
        if db.engine.dialect.name == "sqlite":  # start from a checkpointed, analysed file
            with db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.exec_driver_sql("ANALYZE")
                conn.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                conn.exec_driver_sql("SELECT setval('official_id_seq', (SELECT max(id) FROM official))")
                conn.exec_driver_sql("SELECT setval('handset_id_seq', (SELECT max(id) FROM handset))")
                conn.exec_driver_sql("ANALYZE")
                conn.commit()
    return time.perf_counter() - started
