"""What a fuzzer and an attacker found in the admin API, each with the test that catches it."""

from __future__ import annotations

import io

from flask import Flask

from app.extensions import db
from app.models import CrisisContact
from bench.registry_data import imei, msisdn
from tests.registry_helpers import add, bearer, make_tokens
from tests.sms_helpers import text_in


def test_the_openapi_document_declares_the_real_error_shape_once(seeded: Flask) -> None:
    spec = seeded.test_client().get("/api/openapi.json").get_json()
    error = spec["components"]["schemas"]["ErrorOut"]
    assert {"error", "message", "errors", "field"} <= set(error["properties"])
    assert set(error["required"]) == {"error", "message", "errors"}
    default = spec["components"]["responses"]["DEFAULT_ERROR"]["content"]["application/json"]["schema"]
    assert default == {"$ref": "#/components/schemas/ErrorOut"}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method != "parameters":
                assert operation["responses"]["default"] == {"$ref": "#/components/responses/DEFAULT_ERROR"}, path
    body = seeded.test_client().get("/api/v1/handsets").get_json()
    assert set(body) == {"error", "message", "errors"}  # what the document says


def test_swagger_ui_is_served_from_the_app_not_a_cdn(seeded: Flask) -> None:
    client = seeded.test_client()
    page = client.get("/api/docs").get_data(as_text=True)
    assert "cdn" not in page.lower() and "/api/swagger-ui/swagger-ui-bundle.js" in page
    assert '"validatorUrl": null' in page  # else Swagger UI fetches a badge from validator.swagger.io
    for name in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        response = client.get(f"/api/swagger-ui/{name}")
        assert response.status_code == 200 and len(response.data) > 1000, name
        response.close()
    assert client.get("/api/swagger-ui/../../app/config.py").status_code == 404


def test_a_body_that_is_not_json_gets_415_and_a_missing_one_422(seeded: Flask) -> None:
    tokens = make_tokens()
    client = seeded.test_client()
    province = bearer(tokens["province"])
    for content_type in ("text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www"):
        response = client.post("/api/v1/handsets", data="imei=1", headers=province | {"Content-Type": content_type})
        assert response.status_code == 415, content_type
        assert response.get_json()["error"] == 415
    assert client.post("/api/v1/broadcasts", headers=province).status_code == 422
    assert client.patch(f"/api/v1/handsets/{imei(1)}", headers=province).status_code == 422
    assert client.post("/api/v1/broadcasts", json={"text": "x", "urgent": 1}, headers=province).status_code == 422


def test_a_scalar_query_parameter_given_twice_is_refused(seeded: Flask) -> None:
    tokens = make_tokens()
    response = seeded.test_client().get("/api/v1/handsets?per_page=5&per_page=6", headers=bearer(tokens["province"]))
    assert response.status_code == 422 and response.get_json()["errors"][0]["field"] == "per_page"


def test_page_and_per_page_are_capped(seeded: Flask) -> None:
    tokens = make_tokens()
    client = seeded.test_client()
    for path in ("/api/v1/handsets", "/api/v1/messages", "/api/v1/officials", "/api/v1/reports", "/api/v1/audit"):
        assert client.get(f"{path}?page=1001", headers=bearer(tokens["province"])).status_code == 422, path
        assert client.get(f"{path}?per_page=501", headers=bearer(tokens["province"])).status_code == 422, path
        assert client.get(f"{path}?page=1000", headers=bearer(tokens["province"])).status_code == 200, path


def test_messages_of_both_directions_page_through_without_gaps_or_repeats(seeded: Flask) -> None:
    add(1, regency="6472")
    tokens = make_tokens()
    for word in ("INFO", "HELP", "BANTUAN"):
        text_in(seeded, msisdn(1), word)
    client = seeded.test_client()
    province = bearer(tokens["province"])
    everything = client.get("/api/v1/messages?per_page=50", headers=province).get_json()["items"]
    pages = [client.get(f"/api/v1/messages?per_page=2&page={n}", headers=province).get_json() for n in (1, 2, 3)]
    assert [len(p["items"]) for p in pages] == [2, 2, 2] and pages[0]["total"] == 6, (everything, pages)
    paged = [(m["direction"], m["id"]) for p in pages for m in p["items"]]
    assert paged == [(m["direction"], m["id"]) for m in everything]


def test_the_csv_export_is_streamed(seeded: Flask) -> None:
    tokens = make_tokens()
    response = seeded.test_client().get("/api/v1/reports/export.csv", headers=bearer(tokens["province"]))
    assert response.status_code == 200 and response.is_streamed
    assert response.get_data(as_text=True).startswith("ref,report_type,regency_code")


def test_the_import_counts_cr_and_crlf_lines_to_choose_a_job(seeded: Flask) -> None:
    seeded.config["API_IMPORT_SYNC_ROWS"] = 2
    tokens = make_tokens()
    header = "imei,msisdn,regency,official_name,nip,position,language"
    rows = [f"{imei(n)},,6472,P {n},19800101200501100{n},Staf,id" for n in (1, 2, 3)]
    for newline in ("\r", "\r\n", "\n"):
        data = newline.join([header, *rows]).encode()
        response = seeded.test_client().post(
            "/api/v1/handsets/import?dry_run=true",
            data={"file": (io.BytesIO(data), "h.csv")},
            headers=bearer(tokens["province"]),
        )
        assert response.status_code == 202, repr(newline)


def test_unknown_http_methods_share_one_metrics_label(seeded: Flask) -> None:
    client = seeded.test_client()
    for method in ("FOO", "BAR", "PROPFIND", "GET"):
        client.open("/healthz", method=method)
    body = client.get("/metrics").get_data(as_text=True)
    assert 'method="other"' in body and 'method="FOO"' not in body and 'method="PROPFIND"' not in body
    assert 'melek_http_requests_total{endpoint="health.healthz",method="GET",status="200"} 1.0' in body


def test_a_crisis_alert_belongs_to_the_incidents_regency(seeded: Flask) -> None:
    add(1, regency="6472")
    tokens = make_tokens()
    contact = "+6281399990001"  # on no handset
    db.session.add(CrisisContact(regency_code="6472", name="BPBD Samarinda", msisdn=contact))
    db.session.commit()
    text_in(seeded, msisdn(1), "LAPOR BANJIR air setinggi 1m di Desa Loa")
    client = seeded.test_client()
    path = f"/api/v1/messages?direction=out&msisdn={contact}"
    mine = client.get(path, headers=bearer(tokens["samarinda"])).get_json()
    assert mine["total"] == 1 and mine["items"][0]["kind"] == "crisis"
    assert client.get(path, headers=bearer(tokens["balikpapan"])).get_json()["total"] == 0
