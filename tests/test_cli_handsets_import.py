"""`flask handsets import`: every bad row named, all-or-nothing, --skip-invalid, --dry-run, --json."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from app.extensions import db
from app.models import ActivationCode, AuditEvent, Handset, Official
from bench.registry_data import csv_text, imei, msisdn, nip, row
from tests.registry_helpers import add

# Line numbers count the header as line 1: row i of the list is on line i + 2.
BAD_ROWS = {
    "imei": lambda n: [imei(n)[:-1] + str((int(imei(n)[-1]) + 1) % 10)] + row(n)[1:],  # check digit
    "imeisv": lambda n: [imei(n)[:-1] + "01"] + row(n)[1:],
    "placeholder": lambda n: ["000000000000000"] + row(n)[1:],
    "fixed line": lambda n: row(n, number="0541 741234"),
    "short number": lambda n: row(n, number="08123"),
    "regency": lambda n: row(n, regency="Jakarta Pusat"),
    "nip": lambda n: row(n)[:4] + ["198213152006042011"] + row(n)[5:],
    "name": lambda n: row(n)[:3] + [""] + row(n)[4:],
    "language": lambda n: row(n)[:6] + ["jv"],
}
FIELD = {"imeisv": "imei", "placeholder": "imei", "fixed line": "msisdn", "short number": "msisdn"}
FIELD["name"] = "official_name"


def mixed_file(size: int) -> tuple[list[list[str]], dict[int, str]]:
    """`size` rows with a handful of bad rows of every kind; returns rows and {line: field}."""
    rows = [row(n) for n in range(size)]
    bad: dict[int, str] = {}
    step = size // 20
    for k, (kind, make) in enumerate(BAD_ROWS.items(), 1):
        index = k * step
        rows[index] = make(size + k)
        bad[index + 2] = FIELD.get(kind, kind)
    # Duplicates inside the file: IMEI, number and NIP of earlier rows.
    for k, column in enumerate(("imei", "msisdn", "nip"), len(BAD_ROWS) + 1):
        index = k * step
        position = {"imei": 0, "msisdn": 1, "nip": 4}[column]
        rows[index][position] = rows[index - 1][position]
        bad[index + 2] = column
    # Duplicates against the database (rows 1000..1002 are added before the import).
    for k, column in enumerate(("imei", "msisdn", "nip"), len(BAD_ROWS) + 4):
        index = k * step
        position = {"imei": 0, "msisdn": 1, "nip": 4}[column]
        rows[index][position] = {"imei": imei, "msisdn": msisdn, "nip": nip}[column](15_000 + k)
        bad[index + 2] = column
    return rows, bad


def prepare_database() -> None:
    for k in range(len(BAD_ROWS) + 4, len(BAD_ROWS) + 7):
        add(15_000 + k)


def run_import(runner: FlaskCliRunner, path: Path, *flags: str) -> tuple[int, dict[str, object]]:
    result = runner.invoke(args=["handsets", "import", str(path), "--json", *flags])
    return result.exit_code, json.loads(result.output)


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_a_file_with_bad_rows_is_refused_whole_naming_each_line(seeded: Flask, tmp_path: Path) -> None:
    prepare_database()
    rows, bad = mixed_file(400)
    path = tmp_path / "handsets.csv"
    path.write_text(csv_text(rows))
    code, result = run_import(seeded.test_cli_runner(), path)
    assert code == 1
    assert result["imported"] == 0
    named = {(r["line"], r["field"]) for r in result["rejected"]}  # type: ignore[union-attr, index]
    assert named == set(bad.items())
    assert all(r["error"] for r in result["rejected"])  # type: ignore[union-attr, index]
    assert count(Handset) == 3


def test_skip_invalid_imports_all_but_the_bad_lines(seeded: Flask, tmp_path: Path) -> None:
    prepare_database()
    rows, bad = mixed_file(400)
    path = tmp_path / "handsets.csv"
    path.write_text(csv_text(rows))
    code, result = run_import(seeded.test_cli_runner(), path, "--skip-invalid")
    assert code == 0
    assert result["imported"] == 400 - len(bad)
    assert count(Handset) == 3 + 400 - len(bad)
    assert count(Official) == count(Handset)
    imported_lines = {n + 2 for n in range(400)} - set(bad)
    assert len(imported_lines) == result["imported"]


def test_dry_run_checks_but_imports_nothing(seeded: Flask, tmp_path: Path) -> None:
    path = tmp_path / "handsets.csv"
    path.write_text(csv_text([row(n) for n in range(20)]))
    code, result = run_import(seeded.test_cli_runner(), path, "--dry-run")
    assert code == 0 and result["imported"] == 0 and result["valid"] == 20
    assert count(Handset) == 0


def test_semicolons_bom_and_regency_names_are_accepted(seeded: Flask, tmp_path: Path) -> None:
    rows = [row(0, regency="samarinda"), row(1, regency="KUTAI KARTANEGARA"), row(2, regency="6471")]
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_text(rows, delimiter=";").replace("\n", "\r\n").encode())
    code, result = run_import(seeded.test_cli_runner(), path)
    assert (code, result["imported"], result["rejected"]) == (0, 3, [])
    regencies = db.session.scalars(select(Handset.regency_code).order_by(Handset.imei)).all()
    assert regencies == ["6472", "6403", "6471"]


def test_blank_numbers_wait_for_activation_with_codes_shown_once(seeded: Flask, tmp_path: Path) -> None:
    path = tmp_path / "handsets.csv"
    path.write_text(csv_text([row(0, number=None), row(1)]))
    code, result = run_import(seeded.test_cli_runner(), path)
    assert code == 0
    codes = result["activation_codes"]
    assert [c["imei"] for c in codes] == [imei(0)]  # type: ignore[union-attr, index]
    statuses = {imei_: status for imei_, status in db.session.execute(select(Handset.imei, Handset.status))}
    assert statuses == {imei(0): "provisioned", imei(1): "active"}
    stored = db.session.scalar(select(ActivationCode.code_hash))
    assert stored is not None and codes[0]["code"] not in stored  # type: ignore[index]


def test_the_import_is_audited_per_regency(seeded: Flask, tmp_path: Path) -> None:
    path = tmp_path / "handsets.csv"
    path.write_text(csv_text([row(n) for n in range(28)]))
    run_import(seeded.test_cli_runner(), path)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "handset.import")).all()
    assert len(events) == 14
    assert sum(e.after["count"] for e in events if e.after) == 28


def test_a_wrong_header_or_encoding_refuses_the_file(seeded: Flask, tmp_path: Path) -> None:
    runner = seeded.test_cli_runner()
    path = tmp_path / "bad.csv"
    path.write_text("imei,nomor\n" + ",".join(row(0)[:2]) + "\n")
    code, result = run_import(runner, path, "--skip-invalid")
    assert code == 1 and result["rejected"][0]["field"] == "header"  # type: ignore[index]
    path.write_bytes(csv_text([row(0)]).encode() + "\n".join(row(1)).encode("latin-1") + b"Jos\xe9\n")
    code, result = run_import(runner, path)
    assert code == 1 and result["rejected"][0]["field"] == "file"  # type: ignore[index]


def test_text_output_names_lines_and_says_nothing_was_imported(seeded: Flask, tmp_path: Path) -> None:
    path = tmp_path / "handsets.csv"
    path.write_text(csv_text([row(0), row(1, number="0541 741234")]))
    result = seeded.test_cli_runner().invoke(args=["handsets", "import", str(path)])
    assert result.exit_code == 1
    assert "line 3, msisdn:" in result.output and "fixed line" in result.output
    assert "nothing imported" in result.output


def test_fourteen_thousand_rows_refused_whole_then_imported_minus_the_bad_lines(seeded: Flask, tmp_path: Path) -> None:
    prepare_database()
    rows, bad = mixed_file(14_000)
    path = tmp_path / "kaltim.csv"
    path.write_text(csv_text(rows))
    runner = seeded.test_cli_runner()
    code, refused = run_import(runner, path)
    assert code == 1 and refused["imported"] == 0
    assert {(r["line"], r["field"]) for r in refused["rejected"]} == set(bad.items())  # type: ignore[union-attr, index]
    assert count(Handset) == 3
    code, result = run_import(runner, path, "--skip-invalid")
    assert code == 0 and result["imported"] == 14_000 - len(bad)
    assert count(Handset) == 3 + 14_000 - len(bad)


def test_progress_reports_every_row_once(seeded: Flask) -> None:
    from app.registry.audit import CLI
    from app.registry.importer import import_csv

    steps: list[int] = []
    result = import_csv(csv_text([row(n) for n in range(1234)]), CLI, dry_run=True, progress=steps.append)
    assert sum(steps) == 1234 and len(steps) > 2 and result.valid == 1234
