"""Checking a handset CSV's rows: each field's rules, then duplicates in the file and the database.

No query per row: the file's IMEIs, numbers and NIPs are looked up in chunked IN queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ARRAY, Select, String, any_, bindparam, select
from sqlalchemy.orm import InstrumentedAttribute

from app.extensions import db
from app.models import Handset, Official, Regency
from app.models.handset import HandsetStatus
from app.registry.audit import Actor
from app.registry.csvfile import CsvRow, Rejection
from app.registry.errors import RuleError
from app.registry.rules import clean_imei, clean_language, clean_msisdn, clean_name, clean_nip, clean_position

CHUNK = 500
Progress = Callable[[int], None]


@dataclass
class GoodRow:
    """A row that passed every rule."""

    line: int
    imei: str
    msisdn: str | None
    regency_code: str
    name: str
    nip: str
    position: str
    language: str


def clean_row(row: CsvRow, regencies: dict[str, str], actor: Actor) -> GoodRow | list[Rejection]:
    """The row's values cleaned, or every field's reason for refusing it."""
    values, errors, cleaned = row.values, [], {}
    checks: dict[str, Callable[[str], Any]] = {
        "imei": clean_imei,
        "msisdn": lambda v: clean_msisdn(v) if v else None,
        "regency": lambda v: regency_code(v, regencies, actor),
        "official_name": clean_name,
        "nip": clean_nip,
        "position": clean_position,
        "language": clean_language,
    }
    for name, check in checks.items():
        try:
            cleaned[name] = check(values[name])
        except RuleError as exc:
            errors.append(Rejection(row.line, name, exc.message))
    if errors:
        return errors
    return GoodRow(
        row.line, cleaned["imei"], cleaned["msisdn"], cleaned["regency"], cleaned["official_name"],
        cleaned["nip"], cleaned["position"], cleaned["language"],
    )  # fmt: skip


def regency_code(value: str, regencies: dict[str, str], actor: Actor) -> str:
    code = regencies.get(" ".join(value.split()).lower())
    if code is None:
        raise RuleError(f"Kab/kota '{value}' tidak dikenal / unknown regency (BPS code or name).")
    if not actor.may_see(code):
        raise RuleError("Bukan kab/kota Anda / not your regency.")
    return code


def validate(rows: list[CsvRow], actor: Actor, rejected: list[Rejection], progress: Progress | None) -> list[GoodRow]:
    """Clean each row, then refuse duplicates within the file and against the database."""
    regencies = {code: code for code in db.session.scalars(select(Regency.code))}
    regencies |= {name.lower(): code for code, name in db.session.execute(select(Regency.code, Regency.name))}
    cleaned: list[GoodRow] = []
    for done, row in enumerate(rows, 1):
        outcome = clean_row(row, regencies, actor)
        if isinstance(outcome, GoodRow):
            cleaned.append(outcome)
        else:
            rejected.extend(outcome)
        if progress and done % CHUNK == 0:
            progress(CHUNK)
    if progress:
        progress(len(rows) % CHUNK)
    taken = {
        "imei": existing(Handset.imei, [r.imei for r in cleaned]),
        "msisdn": existing(
            Handset.msisdn, [r.msisdn for r in cleaned if r.msisdn], Handset.status == HandsetStatus.ACTIVE
        ),
        "nip": existing(Official.nip, [r.nip for r in cleaned]),
    }
    seen: dict[str, dict[str, int]] = {"imei": {}, "msisdn": {}, "nip": {}}
    good = []
    for good_row in cleaned:
        errors = duplicates(good_row, taken, seen)
        rejected.extend(errors)
        if not errors:
            good.append(good_row)
    rejected.sort(key=lambda r: r.line)
    return good


def duplicates(row: GoodRow, taken: dict[str, set[str]], seen: dict[str, dict[str, int]]) -> list[Rejection]:
    """Reasons the row clashes with the database or an earlier line of the file."""
    errors = []
    for name, value in (("imei", row.imei), ("msisdn", row.msisdn), ("nip", row.nip)):
        if value is None:
            continue
        if value in taken[name]:
            errors.append(Rejection(row.line, name, f"{value} sudah terdaftar / already registered."))
        elif value in seen[name]:
            first = seen[name][value]
            errors.append(Rejection(row.line, name, f"{value} sama dengan baris {first} / duplicate of line {first}."))
        else:
            seen[name][value] = row.line
    return errors


def existing(column: InstrumentedAttribute[Any], values: list[str], *where: Any) -> set[str]:
    """Which of `values` are already in `column`, in as few queries as the database allows."""
    return {row[0] for row in values_in(select(column), column, values, *where)}


def values_in(query: Select[Any], column: InstrumentedAttribute[Any], values: list[str], *where: Any) -> list[Any]:
    """Rows of `query` whose `column` is one of `values`: one array parameter on PostgreSQL,
    chunked IN lists elsewhere (huge IN lists cost more to build than to run)."""
    if db.engine.dialect.name == "postgresql":
        wanted = bindparam("wanted", values, type_=ARRAY(String))
        return list(db.session.execute(query.where(column == any_(wanted), *where)))
    rows: list[Any] = []
    for start in range(0, len(values), CHUNK):
        rows.extend(db.session.execute(query.where(column.in_(values[start : start + CHUNK]), *where)))
    return rows
