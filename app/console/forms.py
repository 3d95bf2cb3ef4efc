"""The console's forms (Flask-WTF: each carries its CSRF token).

Forms only carry what was typed: the registry's `clean_*` rules judge it, so the console
shows the same messages as the API and the CLI.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from app.models.handset import BlockReason

BLOCK_LABELS = {"lost": "Hilang", "stolen": "Dicuri", "damaged": "Rusak", "other": "Lainnya"}


def choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms options."""
    return [SelectChoice(value, label) for value, label in pairs]


LANGUAGE_CHOICES = choices([("id", "Bahasa Indonesia"), ("en", "English")])


class LoginForm(FlaskForm):
    username = StringField("Nama pengguna", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("Kata sandi", validators=[DataRequired(), Length(max=256)])


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class BlockForm(FlaskForm):
    reason = SelectField("Alasan", choices=choices((r, BLOCK_LABELS[r]) for r in BlockReason))


class SwapSimForm(FlaskForm):
    msisdn = StringField("Nomor HP baru", validators=[DataRequired(), Length(max=32)])


class HandsetForm(FlaskForm):
    imei = StringField("IMEI (15 digit)", validators=[DataRequired(), Length(max=32)])
    regency = SelectField("Kab/kota", choices=[])
    msisdn = StringField("Nomor HP (kosongkan: kode aktivasi)", validators=[Optional(), Length(max=32)])
    official_name = StringField("Nama pejabat", validators=[DataRequired(), Length(max=120)])
    nip = StringField("NIP (18 digit)", validators=[DataRequired(), Length(max=32)])
    position = StringField("Jabatan", validators=[Optional(), Length(max=120)])
    language = SelectField("Bahasa", choices=LANGUAGE_CHOICES)


class OfficialForm(FlaskForm):
    name = StringField("Nama", validators=[DataRequired(), Length(max=120)])
    position = StringField("Jabatan", validators=[Optional(), Length(max=120)])
    language = SelectField("Bahasa", choices=LANGUAGE_CHOICES)


class ImportForm(FlaskForm):
    file = FileField("Berkas CSV", validators=[FileRequired("Pilih berkas CSV.")])


class AdminForm(FlaskForm):
    username = StringField("Nama pengguna", validators=[DataRequired(), Length(max=64)])
    role = SelectField("Peran", choices=[])
    regency = SelectField("Kab/kota", choices=[])
    password = PasswordField("Kata sandi konsol (opsional)", validators=[Optional(), Length(max=256)])


class BroadcastForm(FlaskForm):
    text = TextAreaField("Isi pesan", validators=[DataRequired(), Length(max=2000)])
    regencies = SelectMultipleField("Kab/kota", choices=[])
    urgent = BooleanField("Penting: kirim juga pada jam tenang (21.00-06.00 WITA)")
    confirmed = BooleanField("Saya sudah memeriksa isi dan penerima")
