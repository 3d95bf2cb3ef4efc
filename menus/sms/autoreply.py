"""Messages we must never answer: auto-replies, delivery notices, other machines' texts."""

from __future__ import annotations

import re

# Phrases operators and phones put in automatic messages (Indonesian and English).
AUTOMATED = re.compile(
    r"auto[- ]?reply|automatic reply|out of office|balasan otomatis|pesan otomatis|jawaban otomatis|"
    r"delivery (report|notification|status)|laporan pengiriman|pesan (anda )?(telah |sudah )?terkirim|"
    r"message (was )?delivered|undeliverable|tidak (dapat|bisa) (dihubungi|menerima)|mailbox|do not reply|"
    r"jangan (dibalas|membalas)|\bnoreply\b|no-reply",
    re.IGNORECASE,
)


def looks_automated(sender: str, text: str) -> bool:
    """True for alphanumeric or short-code senders and for texts that read like machine notices."""
    digits = sender.lstrip("+")
    if not sender.startswith("+") or not digits.isdigit() or not 9 <= len(digits) <= 15:
        # "TELKOMSEL", "3636", "INFO-XL", or digits that are no E.164 number (the webhook
        # stores senders it could parse as E.164): not a handset we could be talking to.
        return True
    return AUTOMATED.search(text) is not None
