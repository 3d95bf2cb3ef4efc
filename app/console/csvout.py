"""CSV downloads for spreadsheets: UTF-8 with a BOM (Excel reads the accents), comma or
semicolon (Excel in an Indonesian locale expects `;`), and no cell a spreadsheet would run
as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from flask import Response, request

from app.backoffice.admin import cell


def delimiter() -> str:
    """`;` when the request asks (`?sep=semicolon`), else `,`."""
    return ";" if request.args.get("sep") in ("semicolon", ";") else ","


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    """A CSV attachment; text cells starting with = + - @ tab or CR get a leading quote."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=delimiter())
    writer.writerow(header)
    writer.writerows([cell(v) for v in row] for row in rows)
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(out.getvalue(), mimetype="text/csv", headers=headers)
