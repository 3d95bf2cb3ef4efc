"""End to end through a real Kannel: fake SMSC -> bearerbox -> smsbox -> Melek (gunicorn) -> RQ
worker -> smsbox sendsms -> bearerbox -> fake SMSC, and the delivery report back to Melek."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import OutboundMessage
from app.queues import ALL
from app.seed import DEMO_MSISDN, seed_demo, seed_regencies
from app.sms.broadcasts import counts, create_broadcast, enqueue_broadcast
from menus.refs import is_valid_reference
from tests import kannel_processes as kp
from tests.kannel_processes import SHORT_CODE, FakeSMSC, Kannel, free_port, kannel_missing, start_kannel, wait_for_port
from tests.processes import child_env, kill_group

pytestmark = pytest.mark.skipif(kannel_missing() is not None, reason=kannel_missing() or "")
TOKEN = "e2e-webhook-token"
OFFICIAL = DEMO_MSISDN.lstrip("+")  # as an SMSC hands it to Kannel: 6281...


@dataclass
class Stack:
    kannel: Kannel
    app: Flask


@pytest.fixture
def stack(committed_app: Flask, tmp_path: Path) -> Iterator[Stack]:
    """Melek under gunicorn with one worker process, and Kannel pointed at it (and it at Kannel)."""
    seed_regencies()
    seed_demo()
    db.session.commit()
    web_port = free_port()
    melek = f"http://127.0.0.1:{web_port}"
    kannel = start_kannel(tmp_path, melek, TOKEN)
    env = child_env(
        committed_app, SMS_GATEWAY="kannel", KANNEL_SENDSMS_URL=kannel.sendsms_url, KANNEL_USERNAME=kp.USERNAME,
        KANNEL_PASSWORD=kp.PASSWORD, KANNEL_CALLBACK_URL=melek, WEBHOOK_TOKEN=TOKEN, LOG_LEVEL="WARNING",
    )  # fmt: skip
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    with (tmp_path / "web.log").open("ab") as log:
        web = subprocess.Popen(
            [gunicorn, "-w", "2", "-b", f"127.0.0.1:{web_port}", "wsgi:app"], env=env, stdout=log, stderr=log,
            start_new_session=True,
        )  # fmt: skip
    with (tmp_path / "worker.log").open("ab") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "tests.worker_process", *ALL], env=env, stdout=log, stderr=log,
            start_new_session=True,
        )  # fmt: skip
    try:
        wait_for_port(web_port, web, timeout=20)
        yield Stack(kannel, committed_app)
    finally:
        kill_group(worker)
        kill_group(web)
        kannel.stop()


def eventually(check: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("not reached in time")
        db.session.rollback()  # a fresh snapshot for the next look
        time.sleep(0.05)


def statuses() -> dict[int, str]:
    return {row.id: row.status for row in db.session.scalars(select(OutboundMessage))}


def test_info_and_lapor_go_through_kannel_and_the_report_comes_back(stack: Stack) -> None:
    with FakeSMSC(stack.kannel, f"{OFFICIAL} {SHORT_CODE} text INFO") as smsc:
        [(sender, to, kind, text)] = smsc.wait_for(1)
    assert (sender, to.lstrip("+"), kind) == (SHORT_CODE, OFFICIAL, "text")
    assert "LAPOR <jenis> <teks>" in text
    eventually(lambda: list(statuses().values()) == ["delivered"])  # Kannel's fake SMSC reports 8, then 1

    lapor = f"{OFFICIAL} {SHORT_CODE} text LAPOR HARGA cabai rawit 80rb/kg di Pasar Segiri"
    with FakeSMSC(stack.kannel, lapor) as smsc:
        [(_, to, _, reply)] = smsc.wait_for(1)
    assert to.lstrip("+") == OFFICIAL and reply.startswith("Laporan Harga bahan pokok diterima. No. ref: ")
    assert is_valid_reference(reply.split("No. ref: ")[1].split(".")[0])
    eventually(lambda: sorted(statuses().values()) == ["delivered", "delivered"])


def test_a_broadcast_to_200_numbers_comes_out_200_times(stack: Stack) -> None:
    numbers = [f"+62813510{n:05d}" for n in range(200)]
    broadcast = create_broadcast("Rapat koordinasi Senin 09.00 WITA di Kantor Gubernur.", numbers=numbers, urgent=True)
    db.session.commit()
    with FakeSMSC(stack.kannel) as smsc:
        enqueue_broadcast(broadcast.id)
        received = smsc.wait_for(200, timeout=30)
        time.sleep(0.3)  # nothing more should come
        assert len(smsc.received) == 200
    assert sorted(to.lstrip("+") for _, to, _, _ in received) == sorted(n.lstrip("+") for n in numbers)
    assert {text for _, _, _, text in received} == {"Rapat koordinasi Senin 09.00 WITA di Kantor Gubernur."}
    eventually(lambda: counts(broadcast.id)["delivered"] == 200, timeout=30)
