"""Reading handset CSV files: UTF-8 with or without BOM, comma or semicolon, line numbers kept."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

COLUMNS = ("imei", "msisdn", "regency", "official_name", "nip", "position", "language")


@dataclass(frozen=True)
class Rejection:
    """One reason a row (or the file) cannot be imported; `line` counts the header as 1."""

    line: int
    field: str
    error: str

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "field": self.field, "error": self.error}


@dataclass(frozen=True)
class CsvRow:
    """A data row: its first line in the file and its values by column name."""

    line: int
    values: dict[str, str]


def row_count(data: bytes) -> int:
    """Data rows of a file (lines after the header), whatever its line endings: LF, CRLF or CR alone."""
    return max(len(data.splitlines()) - 1, 0)


def decode(data: bytes) -> str:
    """UTF-8 text without BOM, else a Rejection naming the first undecodable line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileRejected(
            Rejection(
                line, "file", "Berkas bukan UTF-8; simpan sebagai 'CSV UTF-8' / file is not UTF-8; save as CSV UTF-8."
            )
        ) from None


class FileRejected(Exception):
    """The whole file is unusable (encoding, header); nothing in it can be imported."""

    def __init__(self, rejection: Rejection) -> None:
        super().__init__(rejection.error)
        self.rejection = rejection


def read_rows(data: bytes | str) -> list[CsvRow]:
    """Parse the file into rows keyed by the contract's column names (header order free)."""
    text = decode(data) if isinstance(data, bytes) else data.removeprefix("\ufeff")
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise FileRejected(Rejection(1, "header", "Berkas kosong / the file is empty.")) from None
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        expected = ",".join(COLUMNS)
        raise FileRejected(
            Rejection(1, "header", f"Kolom kurang / missing columns: {', '.join(missing)} (expected {expected}).")
        )
    index = {name: header.index(name) for name in COLUMNS}
    rows: list[CsvRow] = []
    last_line = reader.line_num
    try:
        for cells in reader:
            first_line, last_line = last_line + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                values = {name: (cells[i].strip() if i < len(cells) else "") for name, i in index.items()}
                rows.append(CsvRow(first_line, values))
    except csv.Error as exc:
        raise FileRejected(Rejection(reader.line_num, "file", f"CSV rusak / malformed CSV: {exc}.")) from None
    return rows


def rejected_csv(data: bytes | str, rejected: list[dict[str, object]]) -> str:
    """The file's rejected rows as CSV (the contract's columns plus `error`), to fix and upload again.

    `rejected` is an import result's list of {line, field, error}; a row with several reasons
    appears once with all of them. File-level rejections (header, encoding) have no row to give.
    """
    reasons: dict[int, list[str]] = {}
    for entry in rejected:
        reasons.setdefault(int(str(entry["line"])), []).append(f"{entry['field']}: {entry['error']}")
    try:
        rows = read_rows(data)
    except FileRejected:
        rows = []
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*COLUMNS, "error"])
    for row in rows:
        if row.line in reasons:
            writer.writerow([*(row.values[name] for name in COLUMNS), "; ".join(reasons[row.line])])
    return out.getvalue()
