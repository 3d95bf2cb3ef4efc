"""`flask ussd-sim`: a terminal phone against the app in-process."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

from flask import Flask

from app.seed import seed_demo, seed_regencies
from tests.processes import child_env
from tests.ussd_client import DEMO_MSISDN, DEMO_PIN


def test_simulator_walks_a_session_in_process(demo: Flask) -> None:
    demo.config["USSD_WAIT_FOR_RESULT"] = 0.05
    runner = demo.test_cli_runner()
    keys = "\n".join([DEMO_PIN, "3", "1", "98", "00", "1", "4", "1", "1"]) + "\n"
    result = runner.invoke(args=["ussd-sim", "--phone", "0813-5000-0001"], input=keys)
    assert result.exit_code == 0, result.output
    assert f"Dialling *818# from {DEMO_MSISDN}" in result.output
    assert "| Masukkan PIN Anda:" in result.output
    assert "| 4 Akun saya" in result.output
    assert "Waspada banjir" in result.output or "Rapat koordinasi" in result.output
    assert "| END Laporan diterima." in result.output
    assert "/160 -" in result.output


def test_simulator_hangs_up_on_end_of_input(demo: Flask) -> None:
    result = demo.test_cli_runner().invoke(args=["ussd-sim", "--phone", DEMO_MSISDN], input="")
    assert result.exit_code == 0
    assert "Hung up." in result.output


def test_simulator_talks_to_a_running_server(committed_app: Flask) -> None:
    """`--url`: the same session over real HTTP against gunicorn serving this database."""
    seed_regencies()
    seed_demo()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = child_env(committed_app)
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen([gunicorn, "-w", "1", "-b", f"127.0.0.1:{port}", "wsgi:app"], env=env)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        keys = "\n".join([DEMO_PIN, "4", "3"]) + "\n"
        url = f"http://127.0.0.1:{port}/ussd"
        result = committed_app.test_cli_runner().invoke(
            args=["ussd-sim", "--phone", DEMO_MSISDN, "--url", url], input=keys
        )
        assert result.exit_code == 0, result.output
        assert "| CON Akun saya" in result.output
        assert "| IMEI: ***********" in result.output
        assert "Hung up." in result.output
    finally:
        server.terminate()
        server.wait(timeout=10)
