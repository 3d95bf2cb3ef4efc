"""Ids too large for the database answer 404 JSON, never a 500."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.registry_helpers import bearer, make_tokens

HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", f"/api/v1/officials/{HUGE}"),
        ("get", f"/api/v1/broadcasts/{HUGE}"),
        ("post", f"/api/v1/admins/{HUGE}/deactivate"),
    ],
)
def test_huge_ids_are_404_json(seeded: Flask, method: str, path: str) -> None:
    province = bearer(make_tokens()["province"])
    response = getattr(seeded.test_client(), method)(path, headers=province)
    assert response.status_code == 404
    assert "not found" in response.get_json()["message"]
