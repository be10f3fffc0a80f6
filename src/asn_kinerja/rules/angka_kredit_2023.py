"""Angka kredit (credit points) of functional positions: PermenPANRB 1/2023 and Peraturan BKN 3/2023.

The angka kredit earned in a period is ``bulan / 12 × percentage(predikat) × coefficient(jenjang)``; periods
add up. Values are kept exact and rounded half-up to 2 decimals only where a figure is published:

>>> angka_kredit("ahli_pertama", "sangat_baik")
Decimal('18.75')
>>> angka_kredit("Ahli Pertama", Predikat.BAIK, bulan=2)
Decimal('2.08')
>>> angka_kredit("ahli_pertama", "baik", bulan=2, exact=True)
Fraction(25, 12)
>>> akumulasi([("ahli_pertama", "sangat_baik", 12), ("ahli_pertama", "baik", 2)]).total
Decimal('20.83')
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Literal, overload

import attrs

from asn_kinerja._numbers import CONTEXT, Number, round_to, to_decimal
from asn_kinerja.errors import DataError, Problem
from asn_kinerja.model import Predikat

__all__ = [
    "JENJANG",
    "KEBUTUHAN",
    "KEBUTUHAN_NOTE",
    "KOEFISIEN",
    "PERSENTASE",
    "REFERENCE",
    "Akumulasi",
    "Kebutuhan",
    "Progress",
    "akumulasi",
    "angka_kredit",
    "parse_jenjang",
    "progress",
]

REFERENCE = "PermenPANRB 1/2023 tentang Jabatan Fungsional; Peraturan BKN 3/2023 (angka kredit, kenaikan pangkat)"

#: The jenjang (levels) of functional positions: identifier -> label. Keterampilan first, then keahlian.
JENJANG: Mapping[str, str] = types.MappingProxyType(
    {
        "pemula": "Pemula",
        "terampil": "Terampil",
        "mahir": "Mahir",
        "penyelia": "Penyelia",
        "ahli_pertama": "Ahli Pertama",
        "ahli_muda": "Ahli Muda",
        "ahli_madya": "Ahli Madya",
        "ahli_utama": "Ahli Utama",
    }
)

#: The annual angka kredit coefficient of each jenjang.
KOEFISIEN: Mapping[str, Decimal] = types.MappingProxyType(
    {
        "pemula": Decimal("3.75"),
        "terampil": Decimal("5"),
        "mahir": Decimal("12.5"),
        "penyelia": Decimal("25"),
        "ahli_pertama": Decimal("12.5"),
        "ahli_muda": Decimal("25"),
        "ahli_madya": Decimal("37.5"),
        "ahli_utama": Decimal("50"),
    }
)

#: The percentage of the coefficient earned for each predikat (a percentage: 150 means 150 %).
PERSENTASE: Mapping[Predikat, Decimal] = types.MappingProxyType(
    {
        Predikat.SANGAT_BAIK: Decimal("150"),
        Predikat.BAIK: Decimal("100"),
        Predikat.BUTUH_PERBAIKAN: Decimal("75"),
        Predikat.KURANG_MISCONDUCT: Decimal("50"),
        Predikat.SANGAT_KURANG: Decimal("25"),
    }
)


@attrs.frozen
class Kebutuhan:
    """Cumulative angka kredit required for kenaikan pangkat and for kenaikan jenjang (``None``: no next
    jenjang).

    ``confidence`` is the mark of the domain reference: ``"A"`` read in an official document, ``"B"``
    secondary sources, ``"U"`` unconfirmed.
    """

    pangkat: Decimal
    jenjang: Decimal | None
    confidence: str = "A"


KEBUTUHAN_NOTE = (
    "Default requirements from a BKN slide (Peraturan BKN 3/2023), partly garbled: sources disagree on "
    "Terampil (20/60, marked B/U) and Mahir (50/100, marked U). Treat the table as policy data and pass "
    "requirements= to use another one."
)

#: Default cumulative requirements (kenaikan pangkat / kenaikan jenjang) by jenjang.
#: See :data:`KEBUTUHAN_NOTE`.
KEBUTUHAN: Mapping[str, Kebutuhan] = types.MappingProxyType(
    {
        "pemula": Kebutuhan(Decimal(15), Decimal(15)),
        "terampil": Kebutuhan(Decimal(20), Decimal(60), confidence="B/U"),
        "mahir": Kebutuhan(Decimal(50), Decimal(100), confidence="U"),
        "penyelia": Kebutuhan(Decimal(100), None),
        "ahli_pertama": Kebutuhan(Decimal(50), Decimal(100)),
        "ahli_muda": Kebutuhan(Decimal(100), Decimal(200)),
        "ahli_madya": Kebutuhan(Decimal(150), Decimal(450)),
        "ahli_utama": Kebutuhan(Decimal(200), None),
    }
)

_PREDIKAT_ALIASES = {"kurang": Predikat.KURANG_MISCONDUCT, "misconduct": Predikat.KURANG_MISCONDUCT}


def _fold(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def parse_jenjang(text: object, *, field: str = "jenjang", record: str | None = None) -> str:
    """The jenjang identifier named by ``text``: an identifier or a label, case, spaces and ``_`` ignored.

    >>> parse_jenjang("Ahli Pertama"), parse_jenjang("AHLI_MADYA"), parse_jenjang("mahir")
    ('ahli_pertama', 'ahli_madya', 'mahir')
    >>> parse_jenjang("ahli senior")
    Traceback (most recent call last):
    ...
    asn_kinerja.errors.DataError: 1 problem in the data:
      jenjang: unknown jenjang 'ahli senior'; expected one of pemula, terampil, mahir, penyelia, \
ahli_pertama, ahli_muda, ahli_madya, ahli_utama
    """
    if isinstance(text, str):
        key = _fold(text)
        for ident, label in JENJANG.items():
            if key in (_fold(ident), _fold(label)):
                return ident
    allowed = ", ".join(JENJANG)
    raise DataError([Problem(f"unknown jenjang {text!r}; expected one of {allowed}", record=record, field=field)])


def _predikat(value: object, record: str | None) -> Predikat:
    if isinstance(value, str) and _fold(value) in _PREDIKAT_ALIASES:
        return _PREDIKAT_ALIASES[_fold(value)]
    if not isinstance(value, (str, Predikat)):
        raise DataError([Problem(f"must be a predikat, got {value!r}", record=record, field="predikat")])
    try:
        return Predikat.parse(value)
    except ValueError as exc:
        raise DataError([Problem(str(exc), record=record, field="predikat")]) from None


def _bulan(value: object, record: str | None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
        raise DataError(
            [Problem(f"must be a whole number of months 1–12, got {value!r}", record=record, field="bulan")]
        )
    return value


def _exact(jenjang: object, predikat: object, bulan: object, record: str | None = None) -> Fraction:
    problems: list[Problem] = []
    j: str | None = None
    p: Predikat | None = None
    b: int | None = None
    try:
        j = parse_jenjang(jenjang, record=record)
    except DataError as exc:
        problems.extend(exc.problems)
    try:
        p = _predikat(predikat, record)
    except DataError as exc:
        problems.extend(exc.problems)
    try:
        b = _bulan(bulan, record)
    except DataError as exc:
        problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    assert j is not None
    assert p is not None
    assert b is not None
    return Fraction(b, 12) * Fraction(PERSENTASE[p]) / 100 * Fraction(KOEFISIEN[j])


@overload
def angka_kredit(
    jenjang: str, predikat: Predikat | str, *, bulan: int = ..., exact: Literal[False] = ...
) -> Decimal: ...


@overload
def angka_kredit(jenjang: str, predikat: Predikat | str, *, bulan: int = ..., exact: Literal[True]) -> Fraction: ...


@overload
def angka_kredit(
    jenjang: str, predikat: Predikat | str, *, bulan: int = ..., exact: bool = ...
) -> Decimal | Fraction: ...


def angka_kredit(jenjang: str, predikat: Predikat | str, *, bulan: int = 12, exact: bool = False) -> Decimal | Fraction:
    """The angka kredit earned in ``bulan`` months (1–12) at ``jenjang`` with ``predikat``.

    ``jenjang`` is an identifier or label of :data:`JENJANG` (any case); ``predikat`` a
    :class:`~asn_kinerja.model.Predikat`, its identifier or its label (``"kurang"`` is accepted for
    Kurang/Misconduct). The result is the published value, rounded half-up to 2 decimals; ``exact=True``
    returns the exact value as a :class:`~fractions.Fraction` instead (a Decimal cannot hold 25/12 exactly).
    Bad arguments raise one :class:`~asn_kinerja.DataError` listing them all.

    >>> angka_kredit("ahli_pertama", "butuh_perbaikan", bulan=4)  # exactly 3.125: half-up, not half-even
    Decimal('3.13')
    >>> angka_kredit("Ahli Utama", "Kurang/Misconduct", bulan=6)
    Decimal('12.50')
    >>> angka_kredit("ahli_pertama", "baik", bulan=13)
    Traceback (most recent call last):
    ...
    asn_kinerja.errors.DataError: 1 problem in the data:
      bulan: must be a whole number of months 1–12, got 13
    """
    value = _exact(jenjang, predikat, bulan)
    return value if exact else round_to(value, 2)


@attrs.frozen
class Akumulasi:
    """Angka kredit accumulated over several periods.

    ``exact`` is the exact sum, ``total`` that sum rounded half-up once (the library's published figure).
    ``per_period`` holds each period's value rounded to 2 decimals as a PAK prints it and ``total_of_rounded``
    their sum, which can differ from ``total`` by a few hundredths (:attr:`differs`).
    """

    exact: Fraction
    total: Decimal
    per_period: tuple[Decimal, ...]
    total_of_rounded: Decimal

    @property
    def differs(self) -> bool:
        """Whether summing the rounded per-period values gives another total than rounding the exact sum."""
        return self.total != self.total_of_rounded


def akumulasi(periods: Iterable[tuple[str, Predikat | str, int]]) -> Akumulasi:
    """Accumulate angka kredit over periods, each ``(jenjang, predikat, bulan)``.

    The exact values are summed and the sum rounded once (:attr:`Akumulasi.total`); the sum of the rounded
    per-period values is kept alongside (:attr:`Akumulasi.total_of_rounded`). Problems in any period are
    reported together, each naming the period (1-based).

    >>> r = akumulasi([("ahli_pertama", "sangat_baik", 12), ("ahli_pertama", "baik", 2)])
    >>> r.per_period, r.total, r.differs
    ((Decimal('18.75'), Decimal('2.08')), Decimal('20.83'), False)
    >>> r = akumulasi([("ahli_pertama", "baik", 2), ("ahli_pertama", "baik", 2)])
    >>> r.total, r.total_of_rounded
    (Decimal('4.17'), Decimal('4.16'))
    """
    problems: list[Problem] = []
    values: list[Fraction] = []
    for number, period in enumerate(periods, start=1):
        record = f"period {number}"
        if isinstance(period, (str, bytes)) or not isinstance(period, Iterable):
            items: tuple[object, ...] = ()
        else:
            items = tuple(period)
        if len(items) != 3:
            problems.append(Problem(f"must be (jenjang, predikat, bulan), got {period!r}", record=record))
            continue
        jenjang, predikat, bulan = items
        try:
            values.append(_exact(jenjang, predikat, bulan, record))
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    exact = sum(values, Fraction(0))
    rounded = tuple(round_to(v, 2) for v in values)
    return Akumulasi(
        exact=exact,
        total=round_to(exact, 2),
        per_period=rounded,
        total_of_rounded=sum(rounded, Decimal("0.00")),
    )


@attrs.frozen
class Progress:
    """Progress of a cumulative angka kredit towards kenaikan pangkat and kenaikan jenjang.

    ``*_required`` is the requirement, ``*_remaining`` what is still missing (0 once met) and ``*_met``
    whether the total reaches it. The ``jenjang_*`` fields are ``None`` for a jenjang without a next one.
    """

    jenjang: str
    total_ak: Decimal
    pangkat_required: Decimal
    pangkat_remaining: Decimal
    pangkat_met: bool
    jenjang_required: Decimal | None
    jenjang_remaining: Decimal | None
    jenjang_met: bool | None


def _requirements(
    requirements: Mapping[str, Kebutuhan | tuple[Number, Number | None]], problems: list[Problem]
) -> dict[str, Kebutuhan]:
    table: dict[str, Kebutuhan] = {}
    for key, row in requirements.items():
        try:
            ident = parse_jenjang(key, record="requirements")
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        if isinstance(row, Kebutuhan):
            table[ident] = row
            continue
        try:
            pangkat, jenjang = row
            need_pangkat = to_decimal(pangkat, field=f"{key}.pangkat", record="requirements")
            need_jenjang = (
                None if jenjang is None else to_decimal(jenjang, field=f"{key}.jenjang", record="requirements")
            )
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        except (TypeError, ValueError):
            problems.append(
                Problem(
                    f"must be (pangkat, jenjang) or a Kebutuhan, got {row!r}",
                    record="requirements",
                    field=key,
                )
            )
            continue
        table[ident] = Kebutuhan(need_pangkat, need_jenjang, confidence="policy")
    return table


def progress(
    jenjang: str,
    total_ak: Number | Akumulasi,
    *,
    requirements: Mapping[str, Kebutuhan | tuple[Number, Number | None]] | None = None,
) -> Progress:
    """How far a cumulative angka kredit is from kenaikan pangkat and kenaikan jenjang.

    ``total_ak`` is the cumulative figure (a number, or an :class:`Akumulasi` whose rounded ``total`` is
    used). ``requirements`` replaces the default table :data:`KEBUTUHAN` (see :data:`KEBUTUHAN_NOTE`): a
    mapping jenjang -> :class:`Kebutuhan` or ``(pangkat, jenjang)`` with ``None`` for no next jenjang; extend
    the default with ``{**KEBUTUHAN, "terampil": (40, 60)}``.

    >>> p = progress("ahli_pertama", "20.83")
    >>> p.pangkat_required, p.pangkat_remaining, p.pangkat_met, p.jenjang_remaining
    (Decimal('50'), Decimal('29.17'), False, Decimal('79.17'))
    >>> p = progress("Penyelia", 120)
    >>> p.pangkat_met, p.jenjang_required, p.jenjang_met
    (True, None, None)
    >>> progress("terampil", 45, requirements={"terampil": (40, 60)}).pangkat_met
    True
    """
    problems: list[Problem] = []
    ident: str | None = None
    total: Decimal | None = None
    try:
        ident = parse_jenjang(jenjang)
    except DataError as exc:
        problems.extend(exc.problems)
    try:
        total = total_ak.total if isinstance(total_ak, Akumulasi) else to_decimal(total_ak, field="total_ak")
    except DataError as exc:
        problems.extend(exc.problems)
    if total is not None and total < 0:
        problems.append(Problem(f"must not be negative, got {total_ak}", field="total_ak"))
    table = dict(KEBUTUHAN) if requirements is None else _requirements(requirements, problems)
    if ident is not None and not problems and ident not in table:
        problems.append(Problem(f"no requirement for jenjang {ident!r}", record="requirements", field=ident))
    if problems:
        raise DataError(problems)
    assert ident is not None
    assert total is not None
    need = table[ident]

    def remaining(required: Decimal) -> Decimal:
        return max(Decimal(0), CONTEXT.subtract(required, total))

    return Progress(
        jenjang=ident,
        total_ak=total,
        pangkat_required=need.pangkat,
        pangkat_remaining=remaining(need.pangkat),
        pangkat_met=total >= need.pangkat,
        jenjang_required=need.jenjang,
        jenjang_remaining=None if need.jenjang is None else remaining(need.jenjang),
        jenjang_met=None if need.jenjang is None else total >= need.jenjang,
    )
