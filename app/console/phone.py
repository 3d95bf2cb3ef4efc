"""A phone in the browser: dial `*818#` as one of the admin's handsets (or the demo number)
and walk the real USSD engine (`app.ussd.handle_hop`) through this signed-in, CSRF-checked
route; the browser never holds the webhook token.

The simulated session lives in the admin's cookie session (its id and number), so a hop
can only continue the session this admin dialled. Dialling is audited and the session's
end is recorded as an ended USSD session marked `simulated` (left out of the statistics).
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from flask import current_app, jsonify, render_template, request, session
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.console import bp
from app.console.roles import WRITERS, current_actor, regency_scope, require_role
from app.extensions import db
from app.models import Handset, Official
from app.registry import audit
from app.registry.errors import NotFound, RegistryError, RuleError
from app.registry.msisdn import any_e164
from app.seed import DEMO_MSISDN
from app.ussd import handle_hop, record_event

KEY = "phone"
MAX_INPUT = 182


def phone_choices(limit: int = 200) -> list[tuple[str, str]]:
    """(number, label) of handsets with a number in the admin's scope, the demo number first."""
    query = (
        select(Handset.msisdn, Official.name, Handset.status)
        .outerjoin(Official, Official.id == Handset.official_id)
        .where(Handset.msisdn.is_not(None))
        .order_by(Handset.status != "active", Official.name)
        .limit(limit)
    )
    if (scope := regency_scope()) is not None:
        query = query.where(Handset.regency_code == scope)
    rows = [
        (str(n), f"{n} · {name or '-'}" + ("" if status == "active" else f" ({status})"))
        for n, name, status in db.session.execute(query)
    ]
    return [(DEMO_MSISDN, f"{DEMO_MSISDN} · nomor demo"), *[r for r in rows if r[0] != DEMO_MSISDN]]


def allowed_number(raw: str) -> tuple[str, str | None]:
    """The number as E.164 and its handset's regency, if the admin may use it (else 404)."""
    number = any_e164(raw.strip())
    if number is None:
        raise RuleError("Nomor tidak dikenal / not a phone number.", "msisdn")
    regency = db.session.scalar(select(Handset.regency_code).where(Handset.msisdn == number).limit(1))
    if number == DEMO_MSISDN:
        return number, regency
    if regency is None or not current_actor().may_see(regency):
        raise NotFound("Ponsel tidak ditemukan di wilayah Anda / handset not found.")
    return number, regency


@bp.route("/phone")
@require_role(*WRITERS)
def phone() -> str:
    """The phone-shaped page."""
    config = current_app.config
    return render_template(
        "console/phone.html",
        choices=phone_choices(),
        code=config["USSD_SERVICE_CODE"],
        limit=int(config["USSD_MAX_CHARS"]),
    )


def answer(screen: str) -> Response:
    state = session.get(KEY) or {}
    ended = not screen.startswith("CON ")
    if ended and state:
        finish("Success")
    return jsonify(screen=screen, chars=len(screen), end=ended, limit=int(current_app.config["USSD_MAX_CHARS"]))


def finish(status: str) -> None:
    """Record the simulated session's end (once) and forget it."""
    state: dict[str, Any] = session.pop(KEY, None) or {}
    if not state:
        return
    form = {
        "sessionId": state["id"],
        "phoneNumber": state["msisdn"],
        "serviceCode": str(current_app.config["USSD_SERVICE_CODE"]),
        "networkCode": "console",
        "status": status,
        "durationInMillis": str(int((time.time() - state["started"]) * 1000)),
        "hopsCount": str(state["hops"]),
    }
    record_event(form, state["msisdn"], simulated=True)


@bp.post("/phone/dial")
def phone_dial() -> Response | tuple[Response, int]:
    """Start a simulated session: audited, then the engine's first screen."""
    finish("Incomplete")  # a session left open is over
    try:
        number, regency = allowed_number(request.form.get("msisdn", ""))
    except RegistryError as exc:  # shown on the phone's screen, with the status the page would get
        return jsonify(screen=f"END {exc.message}", chars=0, end=True), exc.status
    session_id = "console-" + secrets.token_hex(8)
    audit.record(
        current_actor(), "ussd.simulate", "handset", number, regency, None, {"session": session_id, "simulated": True}
    )
    db.session.commit()
    session[KEY] = {"id": session_id, "msisdn": number, "started": time.time(), "hops": 1}
    return answer(handle_hop(session_id, number, ""))


@bp.post("/phone/hop")
def phone_hop() -> Response | tuple[Response, int]:
    """The next hop: `text` is every answer so far joined by `*`, as the gateway sends it."""
    state = session.get(KEY)
    if not state:
        return jsonify(screen="END Sesi berakhir. Tekan panggil untuk mulai lagi.", chars=0, end=True), 409
    text = request.form.get("text", "")[: MAX_INPUT * 20]
    state["hops"] = int(state["hops"]) + 1
    session[KEY] = state
    return answer(handle_hop(state["id"], state["msisdn"], text))


@bp.post("/phone/hangup")
def phone_hangup() -> Response:
    """Hang up: the session is recorded as ended by the caller."""
    finish("Incomplete")
    return jsonify(end=True)
