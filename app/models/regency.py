"""Kabupaten/kota of East Kalimantan, keyed by BPS code."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class Regency(Base):
    """A kabupaten or kota (BPS 2010 code, e.g. 6472 Samarinda)."""

    __tablename__ = "regency"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # "kabupaten" | "kota"
