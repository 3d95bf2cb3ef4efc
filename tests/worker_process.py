"""A real Melek worker in its own process (settings from the environment), for the kill test.

`BACKOFFICE=slow-sql` registers a test double: the built-in SQL back office that pauses
after writing the record, inside the job's open transaction, so a kill lands there.
"""

from __future__ import annotations

import os
import sys
import time

from flask import Flask

from app import create_app, worker
from app.backoffice import BACKOFFICES
from app.backoffice.base import BackOffice, Filed, NewReport
from app.backoffice.sql import SqlBackOffice


class SlowSqlBackOffice(SqlBackOffice):
    """Writes the record, then takes its time before the job commits (first call only)."""

    def file_report(self, report: NewReport) -> Filed:
        filed = super().file_report(report)
        marker = os.environ["SLOW_SQL_MARKER"]
        if not os.path.exists(marker):
            open(marker, "w").close()  # tells the test the job is inside its transaction
            time.sleep(float(os.environ.get("SLOW_SQL_SECONDS", "6")))
        return filed


def slow_sql(app: Flask) -> BackOffice:
    return SlowSqlBackOffice()


def main() -> None:
    BACKOFFICES["slow-sql"] = slow_sql
    app = create_app()
    worker.run(app, tuple(sys.argv[1:]) or ("default",))


if __name__ == "__main__":
    main()
