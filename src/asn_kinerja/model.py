"""The domain vocabulary: frozen value types and enumerations.

Enumerations carry two names: ``.value``, the identifier used in YAML, CSV and JSON (``"di_atas"``,
``"kurang_misconduct"``), and ``.label``, the official text of the regulation (``"Di Atas Ekspektasi"``,
``"Kurang/Misconduct"``). Each also has a small integer ``.code`` used by the columnar engine: its position in
declaration order. One code order holds for every enumeration: a ranked one (:class:`Rating`, :class:`Predikat`,
:class:`PredikatOrganisasi`, :class:`SebutanPp46`, :class:`PredikatPp30`) is declared best first, so code 0 is the
best and a lower code is always better.

>>> Predikat.KURANG_MISCONDUCT.label
'Kurang/Misconduct'
>>> Rating.parse("sesuai") is Rating.SESUAI_EKSPEKTASI
True
>>> Rating.parse("Di Atas Ekspektasi")
<Rating.DI_ATAS_EKSPEKTASI: 'di_atas'>
>>> sorted(Predikat, key=lambda p: p.code)[0]
<Predikat.SANGAT_BAIK: 'sangat_baik'>
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any, Self, cast

import attrs

__all__ = [
    "BERAKHLAK",
    "Adjustment",
    "Aspect",
    "Direction",
    "Employee",
    "Indicator",
    "JenisJabatan",
    "JenisRhk",
    "LabelledEnum",
    "Period",
    "Predikat",
    "PredikatOrganisasi",
    "PredikatPp30",
    "RaterGroup",
    "Rating",
    "RatingRecord",
    "Realisasi",
    "RencanaHasilKerja",
    "SebutanPp46",
    "Target",
    "Unit",
]


class LabelledEnum(enum.Enum):
    """An enumeration whose members have an identifier (``value``), an official ``label`` and a ``code``."""

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def code(self) -> int:
        """The member's position in declaration order (0 first): the columnar engine's integer code. Ranked
        enumerations are declared best first, so a lower code is better."""
        found = _CODES.get(self)
        if found is None:
            found = _CODES[self] = list(type(self)).index(self)
        return found

    @classmethod
    def parse(cls, text: str | Self) -> Self:
        """The member named by its identifier, its label or its Python name (case and spacing are ignored).

        Raises ``ValueError`` listing the accepted identifiers.
        """
        if isinstance(text, cls):
            return text
        key = _fold(str(text))
        for member in cls:
            if key in (_fold(member.value), _fold(member.label), _fold(member.name)):
                return member
        allowed = ", ".join(repr(m.value) for m in cls)
        raise ValueError(f"{text!r} is not one of {allowed}")

    @classmethod
    def from_code(cls, code: int) -> Self:
        members = _MEMBERS.get(cls)
        if members is None:
            members = _MEMBERS[cls] = tuple(cls)
        return cast(Self, members[code])

    def __str__(self) -> str:
        return self.label


# Each member's code and each enum's members in order, found once (enums are immutable).
_CODES: dict[LabelledEnum, int] = {}
_MEMBERS: dict[type[LabelledEnum], tuple[LabelledEnum, ...]] = {}


def _fold(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


class Rating(LabelledEnum):
    """The three rating levels of PermenPANRB 6/2022, for hasil kerja and for perilaku kerja, best first like
    every ranked enumeration (codes 0 … 2): Di Atas 0, Sesuai 1, Di Bawah 2.

    >>> [r.code for r in (Rating.DI_ATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI, Rating.DI_BAWAH_EKSPEKTASI)]
    [0, 1, 2]
    """

    DI_ATAS_EKSPEKTASI = "di_atas"
    SESUAI_EKSPEKTASI = "sesuai"
    DI_BAWAH_EKSPEKTASI = "di_bawah"


class Predikat(LabelledEnum):
    """The five employee predikat of PermenPANRB 6/2022, best first (codes 0 … 4)."""

    SANGAT_BAIK = "sangat_baik"
    BAIK = "baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    KURANG_MISCONDUCT = "kurang_misconduct"
    SANGAT_KURANG = "sangat_kurang"


class PredikatOrganisasi(LabelledEnum):
    """The five organisation (unit) predikat of PermenPANRB 6/2022 — a different scale from :class:`Predikat`."""

    ISTIMEWA = "istimewa"
    BAIK = "baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    KURANG = "kurang"
    SANGAT_KURANG = "sangat_kurang"


class JenisJabatan(LabelledEnum):
    """Kind of position: pimpinan tinggi (JPT), administrasi (JA) or fungsional (JF)."""

    JPT = "JPT"
    JA = "JA"
    JF = "JF"


class JenisRhk(LabelledEnum):
    """Rencana hasil kerja: utama (main) or tambahan (additional)."""

    UTAMA = "utama"
    TAMBAHAN = "tambahan"


class Aspect(LabelledEnum):
    """The aspect an indicator measures (JA/JF); ``none`` where the position does not use aspects (JPT)."""

    KUANTITAS = "kuantitas"
    KUALITAS = "kualitas"
    WAKTU = "waktu"
    BIAYA = "biaya"
    NONE = "none"


class Direction(LabelledEnum):
    """Whether a higher realisation is better (the usual case) or a lower one (kondisi khusus)."""

    HIGHER_IS_BETTER = "higher"
    LOWER_IS_BETTER = "lower"


class RaterGroup(LabelledEnum):
    """Who gives a rating: the Pejabat Penilai (atasan), peers, subordinates, the employee, service users."""

    ATASAN = "atasan"
    REKAN = "rekan"
    BAWAHAN = "bawahan"
    DIRI = "diri"
    PENGGUNA_LAYANAN = "pengguna_layanan"


class SebutanPp46(LabelledEnum):
    """The five sebutan of PP 46/2011 (Perka BKN 1/2013) for a nilai, best first (codes 0 … 4): ≥ 91 Sangat
    Baik, 76–90 Baik, 61–75 Cukup, 51–60 Kurang, ≤ 50 Buruk (see :func:`asn_kinerja.rules.pp46_2011.sebutan`)."""

    SANGAT_BAIK = "sangat_baik"
    BAIK = "baik"
    CUKUP = "cukup"
    KURANG = "kurang"
    BURUK = "buruk"


class PredikatPp30(LabelledEnum):
    """The five predikat kinerja of PP 30/2019 Pasal 41, best first (codes 0 … 4)
    (see :func:`asn_kinerja.rules.pp30_2019.predikat`)."""

    SANGAT_BAIK = "sangat_baik"
    BAIK = "baik"
    CUKUP = "cukup"
    KURANG = "kurang"
    SANGAT_KURANG = "sangat_kurang"


#: The seven BerAKHLAK core values, in the regulation's order.
BERAKHLAK: tuple[str, ...] = (
    "berorientasi_pelayanan",
    "akuntabel",
    "kompeten",
    "harmonis",
    "loyal",
    "adaptif",
    "kolaboratif",
)

_LABELS: dict[enum.Enum, str] = {
    Rating.DI_BAWAH_EKSPEKTASI: "Di Bawah Ekspektasi",
    Rating.SESUAI_EKSPEKTASI: "Sesuai Ekspektasi",
    Rating.DI_ATAS_EKSPEKTASI: "Di Atas Ekspektasi",
    Predikat.SANGAT_BAIK: "Sangat Baik",
    Predikat.BAIK: "Baik",
    Predikat.BUTUH_PERBAIKAN: "Butuh Perbaikan",
    Predikat.KURANG_MISCONDUCT: "Kurang/Misconduct",
    Predikat.SANGAT_KURANG: "Sangat Kurang",
    PredikatOrganisasi.ISTIMEWA: "Istimewa",
    PredikatOrganisasi.BAIK: "Baik",
    PredikatOrganisasi.BUTUH_PERBAIKAN: "Butuh Perbaikan",
    PredikatOrganisasi.KURANG: "Kurang",
    PredikatOrganisasi.SANGAT_KURANG: "Sangat Kurang",
    JenisJabatan.JPT: "Jabatan Pimpinan Tinggi",
    JenisJabatan.JA: "Jabatan Administrasi",
    JenisJabatan.JF: "Jabatan Fungsional",
    JenisRhk.UTAMA: "Utama",
    JenisRhk.TAMBAHAN: "Tambahan",
    Aspect.KUANTITAS: "Kuantitas",
    Aspect.KUALITAS: "Kualitas",
    Aspect.WAKTU: "Waktu",
    Aspect.BIAYA: "Biaya",
    Aspect.NONE: "-",
    Direction.HIGHER_IS_BETTER: "higher is better",
    Direction.LOWER_IS_BETTER: "lower is better",
    RaterGroup.ATASAN: "Atasan",
    RaterGroup.REKAN: "Rekan Kerja",
    RaterGroup.BAWAHAN: "Bawahan",
    RaterGroup.DIRI: "Diri Sendiri",
    RaterGroup.PENGGUNA_LAYANAN: "Pengguna Layanan",
    SebutanPp46.SANGAT_BAIK: "Sangat Baik",
    SebutanPp46.BAIK: "Baik",
    SebutanPp46.CUKUP: "Cukup",
    SebutanPp46.KURANG: "Kurang",
    SebutanPp46.BURUK: "Buruk",
    PredikatPp30.SANGAT_BAIK: "Sangat Baik",
    PredikatPp30.BAIK: "Baik",
    PredikatPp30.CUKUP: "Cukup",
    PredikatPp30.KURANG: "Kurang",
    PredikatPp30.SANGAT_KURANG: "Sangat Kurang",
}


@attrs.frozen
class Period:
    """An evaluation period: ``start`` and ``end`` inclusive, ``kind`` annual / semester / quarterly / monthly."""

    id: str
    start: dt.date
    end: dt.date
    kind: str = "annual"

    @property
    def months(self) -> int:
        """Whole calendar months covered (January–December is 12)."""
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1


@attrs.frozen
class Unit:
    """An organisation unit (unit kerja) with its parent and its organisation predikat for the period."""

    id: str
    name: str
    parent_id: str | None = None
    predikat_organisasi: PredikatOrganisasi | None = None
    service_unit: bool = False


@attrs.frozen
class Employee:
    """An ASN: id (NIP), name, unit, kind of position, jenjang (for JF) and direct superior (Pejabat Penilai)."""

    id: str
    name: str
    unit_id: str
    jenis_jabatan: JenisJabatan
    jenjang: str | None = None
    superior_id: str | None = None


@attrs.frozen
class RencanaHasilKerja:
    """An RHK: whose it is, utama or tambahan, and the superior's RHK it intervenes (cascading)."""

    id: str
    employee_id: str
    text: str
    jenis: JenisRhk = JenisRhk.UTAMA
    intervensi_id: str | None = None


@attrs.frozen
class Target:
    """A target: one value (``low == high``) or a range ``low``–``high``."""

    low: Decimal
    high: Decimal

    @classmethod
    def value(cls, value: Decimal) -> Target:
        return cls(value, value)

    @property
    def is_range(self) -> bool:
        return self.low != self.high


@attrs.frozen
class Indicator:
    """An indikator kinerja individu (IKI) of an RHK, with its target, direction, aspect, unit and weight."""

    id: str
    rhk_id: str
    text: str
    target: Target
    direction: Direction = Direction.HIGHER_IS_BETTER
    aspect: Aspect = Aspect.NONE
    satuan: str = ""
    weight: Decimal = Decimal(1)


@attrs.frozen
class Realisasi:
    """The realisation of an indicator in the period (with evidence and feedback text when recorded)."""

    indicator_id: str
    value: Decimal
    bukti: str = ""


@attrs.frozen
class RatingRecord:
    """One BerAKHLAK rating given by a rater — a row of ``ratings.csv`` (``Dataset.ratings``): who rated whom, in
    which role, on which criterion, and the score. (Was ``Score``, a name kept for one release.)"""

    ratee_id: str
    rater_id: str
    group: RaterGroup
    criterion: str
    score: Decimal


@attrs.frozen
class Adjustment:
    """A change of a predikat by an authorised person (e.g. after a keberatan): who, when, from → to, why."""

    employee_id: str
    by: str
    on: dt.date
    from_predikat: Predikat
    to_predikat: Predikat
    reason: str


#: Names renamed in this release: old name → new name (the old one warns on use).
_RENAMED = {"Score": "RatingRecord"}


def __getattr__(name: str) -> Any:
    if name in _RENAMED:
        from asn_kinerja._deprecation import renamed

        renamed(f"asn_kinerja.model.{name}", f"asn_kinerja.model.{_RENAMED[name]}")
        return globals()[_RENAMED[name]]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
