"""`flask sms send` queues through the outbox; `flask sms outbox` lists with status."""

from __future__ import annotations

from flask import Flask

from tests.helpers import run_worker_burst


def test_send_then_list(app: Flask) -> None:
    runner = app.test_cli_runner()
    sent = runner.invoke(args=["sms", "send", "0812-3456-7890", "Uji “kirim”"])
    assert sent.exit_code == 0 and "to +6281234567890 (GSM-7, 1 part(s))" in sent.output
    run_worker_burst(app)
    listed = runner.invoke(args=["sms", "outbox", "--to", "081234567890"])
    assert '+6281234567890 [not_sent (kept: SMS_GATEWAY=outbox sends nothing)] Uji "kirim"' in listed.output


def test_send_refuses_a_fixed_line(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["sms", "send", "0541-123456", "x"])
    assert result.exit_code == 1 and "not an Indonesian mobile number" in result.output
