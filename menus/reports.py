"""Report types and their typed fields, shared by USSD forms, SMS `LAPOR` and the back office.

A report type is data: a key, labels in Indonesian and English, and an ordered tuple of
fields. Adding a report type is adding a `ReportType` to `REPORT_TYPES`; the USSD engine
renders one screen per field and validates answers with `menus.answers.parse_field`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

FieldKind = Literal["choice", "int", "text", "date"]
FieldValue = str | int
Labels = tuple[str, str]  # (Indonesian, English)


@dataclass(frozen=True)
class Option:
    """One answer of a choice field: the stored key and its labels."""

    key: str
    label: Labels


@dataclass(frozen=True)
class Field:
    """One typed question of a report form."""

    key: str
    kind: FieldKind
    prompt: Labels
    options: tuple[Option, ...] = ()
    minimum: int = 0
    maximum: int = 0
    max_len: int = 60
    # Asked only when this returns True for the answers given so far (None: always).
    when: Callable[[Mapping[str, FieldValue]], bool] | None = None

    def applies(self, answers: Mapping[str, FieldValue]) -> bool:
        """Whether this field is asked given the earlier answers."""
        return self.when is None or self.when(answers)


@dataclass(frozen=True)
class ReportType:
    """A kind of field report: its form, and whether it alerts the Crisis Center."""

    key: str
    label: Labels
    fields: tuple[Field, ...]
    crisis: bool = False
    # Where the free text of an SMS `LAPOR <jenis> <teks>` goes.
    text_field: str = "keterangan"
    # Words officials use in SMS for this type, with the answers they imply.
    aliases: Mapping[str, Mapping[str, FieldValue]] = field(default_factory=dict)

    def field(self, key: str) -> Field:
        """The field with this key."""
        return next(f for f in self.fields if f.key == key)


def _opts(*items: tuple[str, str, str]) -> tuple[Option, ...]:
    return tuple(Option(key, (id_, en)) for key, id_, en in items)


DISASTER_KINDS = _opts(
    ("banjir", "Banjir", "Flood"),
    ("kebakaran", "Kebakaran", "Fire"),
    ("tanah_longsor", "Tanah longsor", "Landslide"),
    ("kecelakaan", "Kecelakaan", "Accident"),
    ("lainnya", "Lainnya", "Other"),
)
URGENCY = _opts(
    ("segera", "Segera (nyawa terancam)", "Immediate (lives at risk)"),
    ("tinggi", "Tinggi (hari ini)", "High (today)"),
    ("biasa", "Biasa", "Normal"),
)
COMMODITIES = _opts(
    ("beras", "Beras", "Rice"),
    ("gula_pasir", "Gula pasir", "Sugar"),
    ("minyak_goreng", "Minyak goreng", "Cooking oil"),
    ("cabai_merah", "Cabai merah", "Red chili"),
    ("bawang_merah", "Bawang merah", "Shallot"),
    ("bawang_putih", "Bawang putih", "Garlic"),
    ("telur_ayam", "Telur ayam", "Eggs"),
    ("daging_ayam", "Daging ayam", "Chicken"),
    ("daging_sapi", "Daging sapi", "Beef"),
    ("tepung_terigu", "Tepung terigu", "Wheat flour"),
    ("kedelai", "Kedelai", "Soybeans"),
    ("ikan_bandeng", "Ikan bandeng", "Milkfish"),
)
EVENTS = _opts(
    ("lahir", "Kelahiran", "Births"),
    ("meninggal", "Kematian", "Deaths"),
    ("keduanya", "Kelahiran dan kematian", "Births and deaths"),
)
ATTENDANCE = _opts(
    ("hadir", "Hadir di kantor", "At the office"),
    ("lapangan", "Tugas lapangan", "In the field"),
    ("sakit", "Sakit", "Sick"),
    ("cuti", "Cuti", "On leave"),
)


def _event_has(kind: str) -> Callable[[Mapping[str, FieldValue]], bool]:
    return lambda answers: answers.get("peristiwa") in (kind, "keduanya")


REPORT_TYPES: dict[str, ReportType] = {
    rt.key: rt
    for rt in (
        ReportType(
            "bencana",
            ("Bencana/Darurat", "Disaster/Emergency"),
            (
                Field("jenis", "choice", ("Jenis bencana:", "Kind of disaster:"), DISASTER_KINDS),
                Field("lokasi", "text", ("Kecamatan/desa:", "District/village:"), max_len=60),
                Field(
                    "terdampak",
                    "int",
                    ("Perkiraan warga terdampak:", "Estimated people affected:"),
                    minimum=1,
                    maximum=1_000_000,
                ),
                Field("urgensi", "choice", ("Tingkat urgensi:", "Urgency:"), URGENCY),
            ),
            crisis=True,
            aliases={kind.key.replace("_", ""): {"jenis": kind.key} for kind in DISASTER_KINDS}
            | {"longsor": {"jenis": "tanah_longsor"}, "darurat": {}, "bencana": {}, "disaster": {}}
            | {"emergency": {}, "flood": {"jenis": "banjir"}, "fire": {"jenis": "kebakaran"}}
            | {"landslide": {"jenis": "tanah_longsor"}, "accident": {"jenis": "kecelakaan"}},
        ),
        ReportType(
            "harga",
            ("Harga bahan pokok", "Staple food prices"),
            (
                Field("komoditas", "choice", ("Komoditas:", "Commodity:"), COMMODITIES),
                Field(
                    "harga",
                    "int",
                    ("Harga per kg/liter (Rp):", "Price per kg/litre (Rp):"),
                    minimum=100,
                    maximum=10_000_000,
                ),
                Field("pasar", "text", ("Nama pasar:", "Market name:"), max_len=40),
            ),
            aliases={"harga": {}, "price": {}, "prices": {}, "sembako": {}},
        ),
        ReportType(
            "kependudukan",
            ("Kependudukan", "Births and deaths"),
            (
                Field("desa", "text", ("Desa/kelurahan:", "Village:"), max_len=40),
                Field("tanggal", "date", ("Tanggal", "Date"), minimum=365),
                Field("peristiwa", "choice", ("Peristiwa:", "Events:"), EVENTS),
                Field(
                    "lahir",
                    "int",
                    ("Jumlah kelahiran:", "Number of births:"),
                    minimum=1,
                    maximum=999,
                    when=_event_has("lahir"),
                ),
                Field(
                    "meninggal",
                    "int",
                    ("Jumlah kematian:", "Number of deaths:"),
                    minimum=1,
                    maximum=999,
                    when=_event_has("meninggal"),
                ),
            ),
            aliases={"kependudukan": {}, "penduduk": {}, "population": {}}
            | {"lahir": {"peristiwa": "lahir"}, "kelahiran": {"peristiwa": "lahir"}, "birth": {"peristiwa": "lahir"}}
            | {"kematian": {"peristiwa": "meninggal"}, "meninggal": {"peristiwa": "meninggal"}}
            | {"death": {"peristiwa": "meninggal"}},
        ),
        ReportType(
            "kehadiran",
            ("Kehadiran", "Attendance"),
            (Field("status", "choice", ("Status hari ini:", "Today's status:"), ATTENDANCE),),
            aliases={"kehadiran": {}, "absen": {}, "attendance": {}}
            | {opt.key: {"status": opt.key} for opt in ATTENDANCE}
            | {"sick": {"status": "sakit"}, "leave": {"status": "cuti"}, "izin": {"status": "cuti"}},
        ),
    )
}


def next_field(rt: ReportType, answers: Mapping[str, FieldValue], after: int = -1) -> int | None:
    """Index of the first field after `after` that applies, or None when the form is complete."""
    for i in range(after + 1, len(rt.fields)):
        if rt.fields[i].applies(answers):
            return i
    return None


def previous_field(rt: ReportType, answers: Mapping[str, FieldValue], before: int) -> int | None:
    """Index of the last applicable field before `before`, or None at the start of the form."""
    for i in range(before - 1, -1, -1):
        if rt.fields[i].applies(answers):
            return i
    return None


# A back-office record's status (stored in Indonesian) as the officials read it on either channel.
STATUS_LABELS: dict[str, Labels] = {
    "diterima": ("diterima", "received"),
    "diproses": ("diproses", "in progress"),
    "selesai": ("selesai", "done"),
    "ditolak": ("ditolak", "rejected"),
}


def status_label(status: str, language: str = "id") -> str:
    """A record status in the official's language."""
    labels = STATUS_LABELS.get(status, (status, status))
    return labels[1] if language == "en" else labels[0]
