"""A worker killed while the gateway holds its request does not send the row again."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from flask import Flask

from app.extensions import db
from app.models import OutboundMessage
from app.sms.outbox import queue_sms
from tests.fake_at import FakeAT, Step
from workers.sms import send_outbound

SCRIPT = """
import sys
from pathlib import Path
from tests.conftest import make_app
app = make_app(sys.argv[1], Path(sys.argv[2]), SMS_GATEWAY="africastalking", AT_USERNAME="melek",
               AT_API_KEY="k", AT_API_BASE_URL=sys.argv[3])
with app.app_context():
    from workers.sms import send_outbound
    send_outbound(int(sys.argv[4]))
"""


def test_killed_mid_send_is_not_sent_twice(committed_app: Flask, fake_at: FakeAT, tmp_path: Path) -> None:
    message = queue_sms("+6281350000001", "Peringatan banjir")
    db.session.commit()
    outbound_id = message.id
    db.session.close()  # a worker's job starts with a fresh session; hold no SQLite snapshot open
    fake_at.script = [Step(delay=10)]
    url = committed_app.config["DATABASE_URL"]
    args = [sys.executable, "-c", SCRIPT, url, str(tmp_path), fake_at.url, str(outbound_id)]
    worker = subprocess.Popen(args, cwd=Path(__file__).parent.parent, env=dict(os.environ))
    try:
        deadline = time.monotonic() + 10
        while not fake_at.requests and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(fake_at.requests) == 1
    finally:
        worker.kill()  # SIGKILL, only the process this test started
        worker.wait()
    assert "nothing to do" in send_outbound(outbound_id)  # the retry after restart
    message = db.session.get(OutboundMessage, outbound_id)
    assert message is not None
    assert (message.status, message.attempts) == ("sending", 1)
    assert len(fake_at.requests) == 1
