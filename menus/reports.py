"""Report types and their typed fields, shared by USSD forms, SMS `LAPOR` and the back office.

A report type is data: a key, labels in Indonesian and English, and an ordered tuple of
fields. Adding a report type is adding a `ReportType` to `REPORT_TYPES`; the USSD engine
renders one screen per field and validates answers with `parse_field`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
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


def report_type_for_word(word: str) -> tuple[ReportType, dict[str, FieldValue]] | None:
    """The report type an SMS word names (`BANJIR`, `harga`, `sakit`) and the answers it implies."""
    w = "".join(ch for ch in word.lower() if ch.isalnum())
    if w in REPORT_TYPES:
        return REPORT_TYPES[w], {}
    for rt in REPORT_TYPES.values():
        if w in rt.aliases:
            return rt, dict(rt.aliases[w])
    return None


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


def parse_field(f: Field, raw: str, today: date) -> tuple[FieldValue | None, str | None]:
    """Validate one answer: `(value, None)` or `(None, key of a message in menus.ussd.texts)`."""
    raw = raw.strip()
    if f.kind == "choice":
        if raw.isdigit() and 1 <= int(raw) <= len(f.options):
            return f.options[int(raw) - 1].key, None
        return None, "err_choice"
    if f.kind == "int":
        digits = raw.replace(".", "").replace(",", "")
        if digits.isdigit() and f.minimum <= int(digits) <= f.maximum:
            return int(digits), None
        return None, "err_int"
    if f.kind == "date":
        return _parse_date(raw, today, f.minimum)
    text = " ".join(raw.split())
    if len(text) < 2:
        return None, "err_text_short"
    if len(text) > f.max_len:
        return None, "err_text_long"
    return text, None


def _parse_date(raw: str, today: date, max_days_back: int) -> tuple[str | None, str | None]:
    """`1` today, `2` yesterday, or DDMMYYYY / DD-MM-YYYY within the last `max_days_back` days."""
    if raw == "1":
        return today.isoformat(), None
    if raw == "2":
        return (today - timedelta(days=1)).isoformat(), None
    digits = "".join(ch for ch in raw if ch.isdigit())
    if len(digits) != 8 or len(digits) != len(raw.replace("-", "").replace("/", "")):
        return None, "err_date"
    try:
        day = date(int(digits[4:]), int(digits[2:4]), int(digits[:2]))
    except ValueError:
        return None, "err_date"
    if day > today or (today - day).days > max_days_back:
        return None, "err_date_range"
    return day.isoformat(), None


def field_display(f: Field, value: FieldValue, lang: str) -> str:
    """A stored answer as the official reads it on the confirmation screen."""
    i = 0 if lang == "id" else 1
    if f.kind == "choice":
        for opt in f.options:
            if opt.key == value:
                return opt.label[i]
    if f.kind == "int" and isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if f.kind == "date" and isinstance(value, str) and len(value) == 10:
        return f"{value[8:10]}-{value[5:7]}-{value[:4]}"
    return str(value)


def validate_fields(rt: ReportType, answers: Mapping[str, object], today: date) -> list[str]:
    """Keys of answers that are missing or invalid for a complete report (empty list: valid)."""
    bad = []
    for f in rt.fields:
        if not f.applies({k: v for k, v in answers.items() if isinstance(v, (str, int))}):
            continue
        value = answers.get(f.key)
        if value is None:
            bad.append(f.key)
            continue
        if f.kind == "choice":
            ok = value in {o.key for o in f.options}
        elif f.kind == "int":
            ok = isinstance(value, int) and f.minimum <= value <= f.maximum
        elif f.kind == "date":
            ok = isinstance(value, str) and _iso_ok(value, today, f.minimum)
        else:
            ok = isinstance(value, str) and 0 < len(value) <= f.max_len
        if not ok:
            bad.append(f.key)
    return bad


def _iso_ok(value: str, today: date, max_days_back: int) -> bool:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return False
    return day <= today and (today - day).days <= max_days_back
