"""Registry jobs: large CSV imports uploaded through the API (queue `bulk`, 900 s)."""

from __future__ import annotations

from typing import Any

from app.registry import import_jobs


def import_handsets(import_id: str) -> dict[str, Any]:
    """Run the stored import `import_id`; safe to retry (one transaction, state checked first)."""
    return import_jobs.run(import_id)
