"""Admins writing at once (API and console), next to webhooks and a worker, on a real server: no 503.

On SQLite a transaction that reads and then writes, racing another writer, fails at once
with "database is locked" unless it began as a writer (app.database). This drives the API, the
console, the SMS webhook and a worker process at the same time against one database file.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import requests
from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.models import CrisisContact
from app.registry.admins import create_admin
from app.registry.audit import CLI
from app.seed import seed_demo, seed_regencies
from bench.registry_data import imei, msisdn, nip
from tests.console_helpers import CSRF, PASSWORD
from tests.processes import child_env, kill_group, start_worker_process
from tests.registry_helpers import make_tokens

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(app: Flask, port: int, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = child_env(app, WEB_CONCURRENCY="4")
    with (tmp_path / "gunicorn.log").open("ab") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
            env=env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True,
        )  # fmt: skip
    for _ in range(100):
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                return server
        except requests.RequestException:
            time.sleep(0.1)
    kill_group(server)
    raise AssertionError("gunicorn did not start: " + (tmp_path / "gunicorn.log").read_text()[-2000:])


def test_concurrent_api_writers_webhooks_and_a_worker_never_get_503(committed_app: Flask, tmp_path: Path) -> None:
    seed_regencies()
    seed_demo()
    tokens = make_tokens()
    for name, role, regency in (("konsol.prov", "province", None), ("konsol.smd", "regency", "6472")):
        create_admin(CLI, name, role, regency, PASSWORD)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(committed_app, port, tmp_path)
    worker = start_worker_process("sms,default,bulk,crisis", child_env(committed_app), tmp_path / "worker.log")
    statuses: Counter[tuple[str, int]] = Counter()
    lock = threading.Lock()

    def note(what: str, response: requests.Response) -> None:
        with lock:
            statuses[(what, response.status_code)] += 1

    def admin(n: int) -> None:
        who = "province" if n % 2 == 0 else "samarinda"
        headers = {"Authorization": f"Bearer {tokens[who]}"}
        with requests.Session() as http:
            for k in range(6):
                i = 500 + n * 10 + k
                body = {"title": f"Uji {i}", "body": "Rapat koordinasi", "regency": "6472"}
                note("announcement", http.post(f"{base}/api/v1/announcements", json=body, headers=headers))
                contact = {"msisdn": msisdn(i), "name": f"Kontak {i}", "regency": "6472"}
                note("crisis", http.post(f"{base}/api/v1/crisis-contacts", json=contact, headers=headers))
                handset = {"imei": imei(i), "regency": "6472", "msisdn": msisdn(9000 + i),
                           "official": {"name": f"Petugas {i}", "nip": nip(i)}}  # fmt: skip
                note("handset", http.post(f"{base}/api/v1/handsets", json=handset, headers=headers))
                row = f"{imei(i + 5000)},,6472,P {i},{nip(i + 5000)},Staf,id"
                csv = f"imei,msisdn,regency,official_name,nip,position,language\n{row}\n"
                note("import", http.post(f"{base}/api/v1/handsets/import", data=csv, headers=headers))
                if who == "province":
                    broadcast = {"text": f"Siaran {i}", "numbers": [msisdn(i)], "urgent": True}
                    note("broadcast", http.post(f"{base}/api/v1/broadcasts", json=broadcast, headers=headers))

    def console(n: int) -> None:
        """A console admin adding crisis contacts: each POST reads (the signed-in admin) then writes."""
        who = "konsol.prov" if n % 2 == 0 else "konsol.smd"
        with requests.Session() as http:

            def token(url: str) -> str:
                match = CSRF.search(http.get(f"{base}{url}").text)
                assert match, url
                return match.group(1) or match.group(2)

            form = {"username": who, "password": PASSWORD, "csrf_token": token("/console/login")}
            note("console login", http.post(f"{base}/console/login", data=form, allow_redirects=False))
            csrf = token("/console/crisis")
            for k in range(6):
                i = 800 + n * 10 + k
                contact = {"regency": "6472", "name": f"Kontak {i}", "msisdn": msisdn(i), "csrf_token": csrf}
                note("console", http.post(f"{base}/console/crisis/contacts", data=contact, allow_redirects=False))

    def gateway(n: int) -> None:
        with requests.Session() as http:
            for k in range(10):
                form = {"from": "+6281350000001", "to": "818", "text": "INFO", "date": "2026-11-29 01:00:00",
                        "id": f"ATXid_w{n}_{k}", "linkId": "L1"}  # fmt: skip
                note("webhook", http.post(f"{base}/sms/inbound", data=form))

    threads = [threading.Thread(target=admin, args=(n,)) for n in range(6)]
    threads += [threading.Thread(target=gateway, args=(n,)) for n in range(2)]
    threads += [threading.Thread(target=console, args=(n,)) for n in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    finally:
        kill_group(worker)
        kill_group(server)
    assert not any(status >= 500 for (_, status) in statuses), statuses
    assert statuses[("announcement", 201)] == 36 and statuses[("webhook", 200)] == 20, statuses
    assert statuses[("handset", 201)] == 36 and statuses[("import", 200)] == 36, statuses
    assert statuses[("broadcast", 202)] == 18 and statuses[("crisis", 201)] == 36, statuses
    assert statuses[("console login", 302)] == 2 and statuses[("console", 302)] == 12, statuses
    db.session.remove()
    added = db.session.scalar(
        select(func.count()).select_from(CrisisContact).where(CrisisContact.name.like("Kontak 8%"))
    )
    assert added == 12
