"""API tokens and admin passwords: generated here, stored only as hashes."""

from __future__ import annotations

import hashlib
import secrets

from werkzeug.security import check_password_hash, generate_password_hash

TOKEN_PREFIX = "mlk_"


def new_token() -> str:
    """A long random bearer token (shown once, never stored)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """SHA-256 of a token: enough for 256 random bits, and indexable for lookup."""
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    """A salted, slow hash for console passwords (werkzeug's scrypt)."""
    return generate_password_hash(password)


def password_matches(stored: str | None, password: str) -> bool:
    """True when `password` matches the stored hash."""
    return bool(stored) and check_password_hash(stored or "", password)
