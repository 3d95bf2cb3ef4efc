"""SMS texts of the back office, in Indonesian and English; all GSM-7 and one part long."""

from __future__ import annotations

STATUS_LABELS = {
    "diterima": ("diterima", "received"),
    "diproses": ("diproses", "in progress"),
    "selesai": ("selesai", "done"),
    "ditolak": ("ditolak", "rejected"),
}

TEXTS: dict[str, tuple[str, str]] = {
    "confirm": (
        "Laporan {label} diterima. No. ref: {ref}. Cek status: STATUS {ref}",
        "Report {label} received. Ref: {ref}. Check it: STATUS {ref}",
    ),
    "status": ("Ref {ref}: {status}. {summary}", "Ref {ref}: {status}. {summary}"),
    "not_found": (
        "Ref {ref} tidak ditemukan. Periksa nomornya.",
        "Ref {ref} not found. Please check the number.",
    ),
    "status_unavailable": (
        "Maaf, status ref {ref} belum dapat dicek (gangguan sistem). Coba lagi nanti: STATUS {ref}",
        "Sorry, ref {ref} cannot be checked now (system problem). Try later: STATUS {ref}",
    ),
    "report_unavailable": (
        "Maaf, laporan {label} belum dapat dikirim (gangguan sistem). Silakan kirim ulang nanti.",
        "Sorry, your {label} report could not be filed (system problem). Please send it again later.",
    ),
    "incident_acknowledged": (
        "Laporan darurat ref {ref} sudah diterima Crisis Center dan sedang ditangani.",
        "Emergency report ref {ref} was received by the Crisis Center and is being handled.",
    ),
    "incident_closed": (
        "Laporan darurat ref {ref} ditutup Crisis Center: {outcome}",
        "Emergency report ref {ref} was closed by the Crisis Center: {outcome}",
    ),
    "status_changed": (
        "Ref {ref} kini {status}. {note}",
        "Ref {ref} is now {status}. {note}",
    ),
}


def text(key: str, language: str = "id", **values: object) -> str:
    """The text `key` in `language` ("id" or "en"), filled in and trimmed to one SMS."""
    template = TEXTS[key][1 if language == "en" else 0]
    return template.format(**values).strip()[:160]


def status_label(status: str, language: str = "id") -> str:
    """A status in the official's language."""
    labels = STATUS_LABELS.get(status, (status, status))
    return labels[1] if language == "en" else labels[0]
