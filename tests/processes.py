"""Real worker processes for tests, started and stopped as a whole process group.

RQ's scheduler runs in a child process of the worker; killing only the worker would leave
that child running (and draining queues of later tests), so each worker gets its own
session and is stopped with its group.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

from flask import Flask

from tests.conftest import TEST_REDIS_URL


def child_env(app: Flask, **extra: str) -> dict[str, str]:
    """The environment of a server or worker process sharing `app`'s database, Redis and keys."""
    return {
        **os.environ,
        "MELEK_ENV": "testing",
        "DATABASE_URL": app.config["DATABASE_URL"],
        "REDIS_URL": TEST_REDIS_URL,
        "SECRET_KEY": app.config["SECRET_KEY"],
        "PIN_PEPPER": app.config["PIN_PEPPER"],
        **extra,
    }


ROOT = Path(__file__).resolve().parent.parent


def start_worker_process(
    queue: str, env: dict[str, str], log: Path, cwd: Path | None = None
) -> subprocess.Popen[bytes]:
    """`python -m tests.worker_process QUEUE` in its own process group, output appended to `log`.

    `cwd`: another working directory (as on another host); the code is found through PYTHONPATH.
    """
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.worker_process", queue],
            env=env | {"PYTHONPATH": str(ROOT)},
            stdout=out,
            stderr=out,
            cwd=cwd or os.getcwd(),
            start_new_session=True,
        )


def start_web_process(env: dict[str, str], port: int, log: Path, cwd: Path | None = None) -> subprocess.Popen[bytes]:
    """gunicorn serving `wsgi:app` on 127.0.0.1:`port` (2 sync workers), in its own process group."""
    command = [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    with log.open("ab") as out:
        return subprocess.Popen(
            [*command, "--log-level", "warning", "wsgi:app"],
            env=env | {"PYTHONPATH": str(ROOT)},
            stdout=out,
            stderr=out,
            cwd=cwd or ROOT,
            start_new_session=True,
        )


def kill_group(process: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    """Send `sig` to the process and everything it started; wait for the process itself."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    process.wait(10)
