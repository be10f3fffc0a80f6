"""Building a dataset from Python objects (the model types of :mod:`asn_kinerja.model`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from asn_kinerja.dataset.build import SURVEY_COLUMNS, build_dataset
from asn_kinerja.dataset.model import Dataset
from asn_kinerja.dataset.table import RawTable
from asn_kinerja.model import (
    Adjustment,
    Employee,
    Indicator,
    Period,
    Rating,
    Realisasi,
    RencanaHasilKerja,
    Score,
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
    scores: Iterable[Score] = (),
    evaluations: Mapping[str, tuple[Rating | str | None, Rating | str | None]] | None = None,
    surveys: Mapping[str, Sequence[Sequence[int | None]]] | None = None,
    adjustments: Iterable[Adjustment] = (),
) -> Dataset:
    """A validated dataset from model objects; the same checks as :func:`~asn_kinerja.load_dataset`.

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
    real = {r.indicator_id: r.value for r in realisasi}
    tables = {
        "units": RawTable.from_rows(
            "units",
            "units (records)",
            [
                {
                    "unit_id": u.id,
                    "name": u.name,
                    "parent_id": u.parent_id,
                    "predikat_organisasi": _value(u.predikat_organisasi),
                    "service_unit": str(u.service_unit),
                }
                for u in units
            ],
            key="unit_id",
        ),
        "employees": RawTable.from_rows(
            "employees",
            "employees (records)",
            [
                {
                    "employee_id": e.id,
                    "name": e.name,
                    "unit_id": e.unit_id,
                    "jenis_jabatan": _value(e.jenis_jabatan),
                    "jenjang": e.jenjang,
                    "superior_id": e.superior_id,
                }
                for e in employees
            ],
            key="employee_id",
        ),
        "rhk": RawTable.from_rows(
            "rhk",
            "rhk (records)",
            [
                {
                    "rhk_id": r.id,
                    "employee_id": r.employee_id,
                    "jenis": _value(r.jenis),
                    "intervensi_id": r.intervensi_id,
                    "text": r.text,
                }
                for r in rhk
            ],
            key="rhk_id",
        ),
        "indicators": RawTable.from_rows(
            "indicators",
            "indicators (records)",
            [
                {
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
                for i in indicators
            ],
            key="indicator_id",
        ),
        "ratings": RawTable.from_rows(
            "ratings",
            "ratings (records)",
            [
                {
                    "ratee_id": s.ratee_id,
                    "rater_id": s.rater_id,
                    "group": _value(s.group),
                    "criterion": s.criterion,
                    "score": str(s.score),
                }
                for s in scores
            ],
            key="ratee_id",
        ),
        "evaluations": RawTable.from_rows(
            "evaluations",
            "evaluations (records)",
            [
                {"employee_id": emp, "rating_hasil_kerja": _value(hk), "rating_perilaku_kerja": _value(pk)}
                for emp, (hk, pk) in (evaluations or {}).items()
            ],
            key="employee_id",
        ),
        "surveys": RawTable.from_rows(
            "surveys",
            "surveys (records)",
            [
                {
                    "unit_id": unit,
                    "respondent_id": f"{unit}-{n + 1}",
                    **dict(zip(SURVEY_COLUMNS, answers, strict=False)),
                }
                for unit, rows in (surveys or {}).items()
                for n, answers in enumerate(rows)
            ],
            key="respondent_id",
        ),
        "adjustments": RawTable.from_rows(
            "adjustments",
            "adjustments (records)",
            [
                {
                    "employee_id": a.employee_id,
                    "by": a.by,
                    "on": a.on.isoformat(),
                    "from_predikat": a.from_predikat.value,
                    "to_predikat": a.to_predikat.value,
                    "reason": a.reason,
                }
                for a in adjustments
            ],
            key="employee_id",
        ),
    }
    return build_dataset(agency=agency, period=period, scale=scale, tables=tables)
