"""Synthetic but valid registry rows (IMEIs, numbers, NIPs) for benchmarks and tests."""

from __future__ import annotations

from datetime import date, timedelta

from stdnum import luhn

HEADER = "imei,msisdn,regency,official_name,nip,position,language"
REGENCY_CODES = (
    "6401",
    "6402",
    "6403",
    "6404",
    "6405",
    "6406",
    "6407",
    "6408",
    "6409",
    "6410",
    "6471",
    "6472",
    "6473",
    "6474",
)


def imei(n: int, tac: str = "35693803") -> str:
    """The n-th valid IMEI of a TAC (serials from 100000, so never a placeholder)."""
    body = f"{tac}{100000 + n:06d}"
    return body + luhn.calc_check_digit(body)


def msisdn(n: int) -> str:
    """The n-th Telkomsel number in E.164."""
    return f"+628125{n:07d}"


def nip(n: int) -> str:
    """The n-th plausible NIP (n < 16,000): unique birth date, appointed by 22, alternating sex."""
    born = date(1965, 1, 1) + timedelta(days=n)
    return f"{born:%Y%m%d}{min(born.year + 22, 2025)}{born.month:02d}{1 + n % 2}{1 + n % 999:03d}"


def row(n: int, regency: str | None = None, number: str | None = "") -> list[str]:
    """One CSV row as a list of cells (number None leaves msisdn blank)."""
    phone = "" if number is None else (number or msisdn(n))
    code = regency or REGENCY_CODES[n % len(REGENCY_CODES)]
    return [imei(n), phone, code, f"Petugas {n}", nip(n), "Staf lapangan", "id" if n % 5 else "en"]


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    """A CSV file with the contract's header."""
    lines = [HEADER.replace(",", delimiter)] + [delimiter.join(cells) for cells in rows]
    return "\n".join(lines) + "\n"


def handset_csv(count: int, start: int = 0) -> str:
    """`count` valid rows spread over the 14 regencies."""
    return csv_text([row(n) for n in range(start, start + count)])
