"""The inbound spool: when the database is unreachable, the webhook appends the message here.

One JSON line per message, in one file per process, written under an exclusive lock and
fsynced before the webhook answers 200. The loader claims a file by renaming it while it
holds the same lock; a writer that waited on the lock sees the rename and opens a new file.
Loading inserts with ON CONFLICT DO NOTHING, so a file loaded twice stores nothing twice.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import current_app

log = logging.getLogger(__name__)


def spool_dir() -> Path:
    """SMS_SPOOL_DIR, created on first use."""
    path = Path(current_app.config["SMS_SPOOL_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


KINDS = ("inbound", "delivery")  # messages, and delivery reports


def append(record: dict[str, Any], kind: str = "inbound") -> None:
    """Durably append one record (flushed to disk) to this process's spool file of `kind`."""
    directory = spool_dir()
    path = directory / f"{kind}-{socket.gethostname()}-{os.getpid()}.jsonl"
    line = (json.dumps(record, separators=(",", ":")) + "\n").encode()
    while True:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if not same_file(fd, path):  # the loader renamed it while we waited: start a new file
                continue
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
        break
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # the file's directory entry must survive a crash too
    finally:
        os.close(dir_fd)


def same_file(fd: int, path: Path) -> bool:
    try:
        return os.fstat(fd).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False


def claim_files(kind: str = "inbound") -> list[Path]:
    """Rename every spool file of `kind` to `.loading` (under its lock); all such files to load."""
    directory = spool_dir()
    for path in sorted(directory.glob(f"{kind}-*.jsonl")):
        fd = os.open(path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if same_file(fd, path):
                os.rename(path, path.with_name(f"{path.stem}-{os.getpid()}-{fd}.loading"))
        finally:
            os.close(fd)
    return sorted(directory.glob(f"{kind}-*.loading"))


def read_records(path: Path) -> list[dict[str, Any]]:
    """The complete lines of a claimed file (a torn last line, from a crash, is skipped)."""
    records = []
    for line in path.read_bytes().splitlines():
        try:
            records.append(json.loads(line))
        except ValueError:
            log.warning("sms spool: unreadable line skipped", extra={"file": path.name})
    return records


def parse_time(raw: str) -> datetime:
    return datetime.fromisoformat(raw)
