"""Console operations: readiness, and rq-dashboard behind the console's sign-in (province
admins only; changes only from our own pages): the failed job is listed and retried."""

from __future__ import annotations

from flask import Flask

from app.queues import DEFAULT, get_queue
from tests.console_helpers import make_admins, signed_in
from tests.helpers import run_worker_burst

ORIGIN = {"Origin": "http://localhost"}


def boom() -> None:
    """A job that fails (run by the worker: it imports this module by name)."""
    raise RuntimeError("gagal untuk uji")


def test_province_sees_readiness_and_the_queues(seeded: Flask) -> None:
    make_admins()
    prov = signed_in(seeded.test_client(), "prov")
    page = prov.get("/console/operations").get_data(as_text=True)
    assert page.count("Siap") >= 3 and "Basis data" in page and "Redis" in page and "Back office" in page
    assert prov.get("/console/rq/").status_code == 200
    queues = prov.get("/console/rq/0/data/queues.json").get_json()
    assert {q["name"] for q in queues["queues"]} >= set() and "workers" in prov.get(
        "/console/rq/0/data/workers.json"
    ).get_json()


def test_others_cannot_reach_the_queues(seeded: Flask) -> None:
    make_admins()
    assert seeded.test_client().get("/console/rq/").headers["Location"].endswith("/console/login")
    for name in ("smd", "lihat"):
        client = signed_in(seeded.test_client(), name)
        assert client.get("/console/operations").status_code == 403
        assert client.get("/console/rq/").status_code == 404
        assert client.post("/console/rq/requeue/default", headers=ORIGIN).status_code == 404


def test_a_failed_job_is_listed_and_retried_only_from_our_pages(seeded: Flask) -> None:
    make_admins("prov")
    queue = get_queue(DEFAULT)
    job = queue.enqueue("tests.test_console_operations.boom")
    run_worker_burst(seeded, (DEFAULT,))
    assert job.id in queue.failed_job_registry.get_job_ids()
    prov = signed_in(seeded.test_client(), "prov")
    listed = prov.get("/console/rq/0/data/jobs/default/failed/8/asc/1.json").get_json()
    assert [j["id"] for j in listed["jobs"]] == [job.id]
    assert prov.post(f"/console/rq/job/{job.id}/requeue").status_code == 403  # no Origin: maybe forged
    assert prov.get("/console/rq/requeue/default", headers={"Origin": "http://evil.example"}).status_code == 403
    assert prov.post(f"/console/rq/job/{job.id}/requeue", headers=ORIGIN).get_json() == {"status": "OK"}
    assert job.id not in queue.failed_job_registry.get_job_ids() and job.id in queue.job_ids
