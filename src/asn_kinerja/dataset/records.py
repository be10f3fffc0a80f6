"""Building a dataset from Python objects (the model types of :mod:`asn_kinerja.model`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from asn_kinerja._deprecation import renamed
from asn_kinerja.dataset.build import SURVEY_COLUMNS, build_dataset
from asn_kinerja.dataset.model import Dataset
from asn_kinerja.dataset.table import RawTable
from asn_kinerja.model import (
    Adjustment,
    Employee,
    Indicator,
    Period,
    Rating,
    RatingRecord,
    Realisasi,
    RencanaHasilKerja,
    Unit,
)

__all__ = ["from_records"]


def _value(x: object) -> object:
    return getattr(x, "value", x) if x is not None and not isinstance(x, Decimal | str | int | float) else x


def from_records(
    *,
    agency: str,
    period: Period,
    scale: tuple[Decimal | int | str, Decimal | int | str] = (1, 5),
    units: Iterable[Unit],
    employees: Iterable[Employee],
    rhk: Iterable[RencanaHasilKerja],
    indicators: Iterable[Indicator],
    realisasi: Iterable[Realisasi] = (),
    ratings: Iterable[RatingRecord] = (),
    scores: Iterable[RatingRecord] | None = None,
    evaluations: Mapping[str, tuple[Rating | str | None, Rating | str | None]] | None = None,
    surveys: Mapping[str, Sequence[Sequence[int | None]]] | None = None,
    adjustments: Iterable[Adjustment] = (),
) -> Dataset:
    """A validated dataset from model objects; the same checks as :func:`~asn_kinerja.load_dataset`.

    ``ratings`` are the BerAKHLAK ratings (rows of ``ratings.csv``; ``scores=`` is their old name, deprecated).
    ``evaluations`` maps an employee id to the evaluator's ``(rating_hasil_kerja, rating_perilaku_kerja)``
    (``None`` where not given); ``surveys`` maps a unit id to its respondents' answers (nine per respondent).

    >>> from asn_kinerja.model import JenisJabatan, Target
    >>> import datetime as dt
    >>> ds = from_records(
    ...     agency="Contoh", period=Period("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    ...     units=[Unit("U1", "Sekretariat")],
    ...     employees=[Employee("E1", "Ani", "U1", JenisJabatan.JA)],
    ...     rhk=[RencanaHasilKerja("R1", "E1", "Laporan keuangan tepat waktu")],
    ...     indicators=[Indicator("I1", "R1", "Laporan terbit", Target.value(Decimal(12)))],
    ...     realisasi=[Realisasi("I1", Decimal(12))])
    >>> ds
    <Dataset 'Contoh' period 2024: 1 units, 1 employees, 1 indicators, 0 ratings, 0 survey responses>
    """
    if scores is not None:
        renamed("from_records(scores=...)", "from_records(ratings=...)")
        if ratings:
            raise TypeError("from_records: give the ratings once, as ratings= (scores= is its deprecated old name)")
        ratings = scores
    real = {r.indicator_id: r.value for r in realisasi}
    rows: dict[str, tuple[str, list[dict[str, object]]]] = {
        "units": ("unit_id", [_unit_row(u) for u in units]),
        "employees": ("employee_id", [_employee_row(e) for e in employees]),
        "rhk": ("rhk_id", [_rhk_row(r) for r in rhk]),
        "indicators": ("indicator_id", [_indicator_row(i, real) for i in indicators]),
        "ratings": ("ratee_id", [_rating_row(s) for s in ratings]),
        "evaluations": ("employee_id", _evaluation_rows(evaluations or {})),
        "surveys": ("respondent_id", _survey_rows(surveys or {})),
        "adjustments": ("employee_id", [_adjustment_row(a) for a in adjustments]),
    }
    tables = {
        name: RawTable.from_rows(name, f"{name} (records)", table, key=key) for name, (key, table) in rows.items()
    }
    return build_dataset(agency=agency, period=period, scale=scale, tables=tables)


def _unit_row(u: Unit) -> dict[str, object]:
    return {
        "unit_id": u.id,
        "name": u.name,
        "parent_id": u.parent_id,
        "predikat_organisasi": _value(u.predikat_organisasi),
        "service_unit": str(u.service_unit),
    }


def _employee_row(e: Employee) -> dict[str, object]:
    return {
        "employee_id": e.id,
        "name": e.name,
        "unit_id": e.unit_id,
        "jenis_jabatan": _value(e.jenis_jabatan),
        "jenjang": e.jenjang,
        "superior_id": e.superior_id,
    }


def _rhk_row(r: RencanaHasilKerja) -> dict[str, object]:
    return {
        "rhk_id": r.id,
        "employee_id": r.employee_id,
        "jenis": _value(r.jenis),
        "intervensi_id": r.intervensi_id,
        "text": r.text,
    }


def _indicator_row(i: Indicator, real: Mapping[str, Decimal]) -> dict[str, object]:
    return {
        "indicator_id": i.id,
        "rhk_id": i.rhk_id,
        "text": i.text,
        "aspect": _value(i.aspect),
        "satuan": i.satuan,
        "direction": _value(i.direction),
        "target_low": str(i.target.low),
        "target_high": str(i.target.high),
        "weight": str(i.weight),
        "realisasi": None if i.id not in real else str(real[i.id]),
    }


def _rating_row(s: RatingRecord) -> dict[str, object]:
    return {
        "ratee_id": s.ratee_id,
        "rater_id": s.rater_id,
        "group": _value(s.group),
        "criterion": s.criterion,
        "score": str(s.score),
    }


def _evaluation_rows(
    evaluations: Mapping[str, tuple[Rating | str | None, Rating | str | None]],
) -> list[dict[str, object]]:
    return [
        {"employee_id": emp, "rating_hasil_kerja": _value(hk), "rating_perilaku_kerja": _value(pk)}
        for emp, (hk, pk) in evaluations.items()
    ]


def _survey_rows(surveys: Mapping[str, Sequence[Sequence[int | None]]]) -> list[dict[str, object]]:
    return [
        {"unit_id": unit, "respondent_id": f"{unit}-{n + 1}", **dict(zip(SURVEY_COLUMNS, answers, strict=False))}
        for unit, rows in surveys.items()
        for n, answers in enumerate(rows)
    ]


def _adjustment_row(a: Adjustment) -> dict[str, object]:
    return {
        "employee_id": a.employee_id,
        "by": a.by,
        "on": a.on.isoformat(),
        "from_predikat": a.from_predikat.value,
        "to_predikat": a.to_predikat.value,
        "reason": a.reason,
    }
