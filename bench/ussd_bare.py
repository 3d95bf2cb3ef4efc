"""The bare Flask endpoint the USSD benchmark compares with: parse the form, answer a constant."""

from __future__ import annotations

from flask import Flask, Response, request

app = Flask(__name__)
SCREEN = "CON Melek\n1 Kirim laporan\n2 Cek status\n3 Pengumuman\n4 Akun saya"


@app.post("/ussd")
def ussd() -> Response:
    """Read the callback's fields like the real endpoint must, do nothing else."""
    _ = (request.form["sessionId"], request.form["phoneNumber"], request.form["text"])
    return Response(SCREEN, mimetype="text/plain")
