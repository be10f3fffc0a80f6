"""A dataset from the JSON records of the developer tutorial (docs/tutorials/developer.md, section 2).

The body carries one agency and one period with the field names of the CSV columns: ``agency``, ``period``
(``id``, ``start``, ``end``), ``units``, ``employees``, ``rhk``, ``indicators`` (with ``realisasi``; a ``target``
is a number or ``[low, high]``), and optionally ``scale`` (``[min, max]``, default ``[1, 5]``), ``ratings``,
``evaluations`` and ``adjustments``. The reader checks what JSON cannot say (types, dates, vocabularies) and
collects *every* problem with its JSON path; the content is then checked by :func:`asn_kinerja.from_records`.

>>> dataset_from_json({"agency": "A", "period": {"id": "2025", "start": "2025-01-01", "end": "2025-12-31"},
...     "units": [{"unit_id": "U", "name": "Unit"}],
...     "employees": [{"employee_id": "E", "name": "Ani", "unit_id": "U", "jenis_jabatan": "JA"}],
...     "rhk": [{"rhk_id": "R", "employee_id": "E", "text": "Laporan"}],
...     "indicators": [{"indicator_id": "I", "rhk_id": "R", "text": "Laporan terbit", "target": 12,
...                     "realisasi": 12}]})
<Dataset 'A' period 2025: 1 units, 1 employees, 1 indicators, 0 ratings, 0 survey responses>
>>> dataset_from_json({"units": "none"})  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
asn_kinerja.errors.DataError: 8 problems in the data:
  request: agency: a value is required
...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import asn_kinerja
from asn_kinerja import DataError, Problem, RaterGroup, Rating
from asn_kinerja.model import (
    Adjustment,
    Aspect,
    Direction,
    Employee,
    Indicator,
    JenisJabatan,
    JenisRhk,
    Period,
    Predikat,
    PredikatOrganisasi,
    RatingRecord,
    Realisasi,
    RencanaHasilKerja,
    Target,
    Unit,
)

__all__ = ["dataset_from_json"]

SOURCE = "request"
T = TypeVar("T")


def number(value: object) -> Decimal:
    """A JSON number or numeric string as an exact Decimal (0.1 stays 0.1)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError(f"must be a number, got {value!r}")
    try:
        out = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"must be a number, got {value!r}") from None
    if not out.is_finite():
        raise ValueError(f"must be a finite number, got {value!r}")
    return out


def date(value: object) -> dt.date:
    """A date written YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"must be a date YYYY-MM-DD, got {value!r}") from None


def target(value: object) -> Target:
    """A target: one number, or a range [low, high]."""
    low, high = value if isinstance(value, list) and len(value) == 2 else (value, value)
    return Target(number(low), number(high))


def text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be text, got {value!r}")
    return value


class Reader:
    """Reads the fields of a request body, collecting every problem with its JSON path."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body
        self.problems: list[Problem] = []

    def rows(self, table: str, *, required: bool = True) -> list[tuple[str, dict[str, Any]]]:
        rows = self.body.get(table, None if required else [])
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            self.problems.append(Problem("must be a list of objects", source=SOURCE, field=table))
            return []
        return [(f"{table}[{i}]", row) for i, row in enumerate(rows)]

    def get(self, path: str, row: dict[str, Any], key: str, parse: Callable[[Any], T]) -> T:
        """A required value (the placeholder ``None`` is returned only alongside a recorded problem)."""
        value = self.optional(path, row, key, parse)
        if value is None and (row.get(key) is None or row.get(key) == ""):
            self.problems.append(Problem("a value is required", source=SOURCE, field=f"{path}.{key}".lstrip(".")))
        return value  # type: ignore[return-value]  # only ever used when no problem was found

    def optional(self, path: str, row: dict[str, Any], key: str, parse: Callable[[Any], T]) -> T | None:
        value = row.get(key)
        if value is None or value == "":
            return None
        try:
            return parse(value)
        except ValueError as exc:  # the enumerations' parse, number(), date() and text() raise ValueError
            self.problems.append(Problem(str(exc), source=SOURCE, field=f"{path}.{key}".lstrip(".")))
            return None


def dataset_from_json(body: object) -> asn_kinerja.Dataset:
    """A validated dataset from a request body; one :class:`~asn_kinerja.DataError` lists every problem found."""
    if not isinstance(body, dict):
        raise DataError([Problem("the body must be a JSON object", source=SOURCE)])
    r = Reader(body)
    p = body.get("period") if isinstance(body.get("period"), dict) else {}
    assert isinstance(p, dict)
    agency = r.get("", body, "agency", text)
    period = Period(r.get("period", p, "id", text), r.get("period", p, "start", date), r.get("period", p, "end", date))
    scale = (Decimal(1), Decimal(5))
    if "scale" in body:
        try:
            low, high = body["scale"]
            scale = (number(low), number(high))
        except (TypeError, ValueError):
            r.problems.append(Problem("must be [min, max], two numbers", source=SOURCE, field="scale"))
    units = [
        Unit(r.get(at, u, "unit_id", text), r.get(at, u, "name", text), r.optional(at, u, "parent_id", text),
             r.optional(at, u, "predikat_organisasi", PredikatOrganisasi.parse))
        for at, u in r.rows("units")
    ]  # fmt: skip
    employees = [
        Employee(r.get(at, e, "employee_id", text), r.get(at, e, "name", text), r.get(at, e, "unit_id", text),
                 r.get(at, e, "jenis_jabatan", JenisJabatan.parse), r.optional(at, e, "jenjang", text),
                 r.optional(at, e, "superior_id", text))
        for at, e in r.rows("employees")
    ]  # fmt: skip
    rhk = [
        RencanaHasilKerja(r.get(at, x, "rhk_id", text), r.get(at, x, "employee_id", text), r.get(at, x, "text", text),
                          r.optional(at, x, "jenis", JenisRhk.parse) or JenisRhk.UTAMA,
                          r.optional(at, x, "intervensi_id", text))
        for at, x in r.rows("rhk")
    ]  # fmt: skip
    indicators = [
        Indicator(r.get(at, i, "indicator_id", text), r.get(at, i, "rhk_id", text), r.get(at, i, "text", text),
                  r.get(at, i, "target", target),
                  r.optional(at, i, "direction", Direction.parse) or Direction.HIGHER_IS_BETTER,
                  r.optional(at, i, "aspect", Aspect.parse) or Aspect.NONE)
        for at, i in r.rows("indicators")
    ]  # fmt: skip
    realisasi = [
        Realisasi(r.get(at, i, "indicator_id", text), r.get(at, i, "realisasi", number))
        for at, i in r.rows("indicators")
        if i.get("realisasi") is not None
    ]
    ratings = [
        RatingRecord(r.get(at, s, "ratee_id", text), r.get(at, s, "rater_id", text),
                     r.get(at, s, "group", RaterGroup.parse), r.get(at, s, "criterion", text),
                     r.get(at, s, "score", number))
        for at, s in r.rows("ratings", required=False)
    ]  # fmt: skip
    evaluations = {
        r.get(at, v, "employee_id", text): (r.optional(at, v, "rating_hasil_kerja", Rating.parse),
                                            r.optional(at, v, "rating_perilaku_kerja", Rating.parse))
        for at, v in r.rows("evaluations", required=False)
    }  # fmt: skip
    adjustments = [
        Adjustment(r.get(at, a, "employee_id", text), r.get(at, a, "by", text), r.get(at, a, "on", date),
                   r.get(at, a, "from_predikat", Predikat.parse), r.get(at, a, "to_predikat", Predikat.parse),
                   r.get(at, a, "reason", text))
        for at, a in r.rows("adjustments", required=False)
    ]  # fmt: skip
    if r.problems:  # the objects above are thrown away: nothing is built from a body with problems
        raise DataError(r.problems)
    return asn_kinerja.from_records(
        agency=agency, period=period, scale=scale, units=units, employees=employees, rhk=rhk, indicators=indicators,
        realisasi=realisasi, ratings=ratings, evaluations=evaluations, adjustments=adjustments,
    )  # fmt: skip
