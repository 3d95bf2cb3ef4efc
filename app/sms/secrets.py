"""Secrets in inbound SMS (PINs, activation codes): redacted before they are stored.

The webhook stores the text redacted (`menus.sms.router.redact`) and, only when redaction
changed it, the original text sealed with Fernet (AES + HMAC, `cryptography`) under a key
derived from SECRET_KEY, which the database never holds. The worker unseals it to run the
command and clears it in the transaction that records the handling; a message never handled
(rate limited, given up) has it cleared in the commit that says so.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

from menus.sms.router import redact

__all__ = ["InvalidToken", "seal", "split", "unseal"]


def _fernet() -> Fernet:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    key = hashlib.sha256(b"melek-sms-secret:" + secret).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def split(text: str) -> tuple[str, str | None]:
    """The text to store, and the sealed original when it carried a secret (else None)."""
    kept = redact(text)
    return (kept, None) if kept == text else (kept, seal(text))


def seal(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def unseal(token: str) -> str:
    """The original text; InvalidToken if SECRET_KEY changed since it was sealed."""
    return _fernet().decrypt(token.encode()).decode()
