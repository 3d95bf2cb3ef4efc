"""`flask ussd-sim`: a terminal phone against the app in-process."""

from __future__ import annotations

from flask import Flask

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
