"""The options of distributed evaluation, in one object shared by :func:`~asn_kinerja.distributed.plan_pieces`,
:func:`~asn_kinerja.distributed.evaluate_dask`, :func:`~asn_kinerja.distributed.unit_reports_dask` and
:func:`~asn_kinerja.distributed.compare_dask`.

>>> import datetime as dt
>>> from asn_kinerja.model import Period
>>> options = DistributedOptions(
...     periods=[Period("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31))], agency="Sintetis", piece_size=20_000
... )
>>> options.scale, options.level, options.piece_size, options.route, list(options.by_id)
((Decimal('1'), Decimal('5')), 1, 20000, 'unit', ['2025'])
>>> attrs.evolve(options, level=2).level
2
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from asn_kinerja.errors import DataError, Problem
from asn_kinerja.model import Period

if TYPE_CHECKING:
    from asn_kinerja.distributed.planning import Plan

__all__ = ["DistributedOptions", "resolve_options"]


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "date"):
        got: dt.date = value.date()
        return got
    return dt.date.fromisoformat(str(value))


def _period_list(periods: Sequence[Period] | Any) -> tuple[Period, ...]:
    """Period definitions: :class:`Period` objects, or a table (DataFrame) with ``id``, ``start``, ``end``, ``kind``;
    a period defined twice or ending before it starts is a :class:`~asn_kinerja.DataError` (all such at once)."""
    if hasattr(periods, "to_dict") and hasattr(periods, "columns"):
        rows: list[Any] = periods.to_dict("records")
        kinds = [r.get("kind") for r in rows]
        items = [
            Period(str(r["id"]), _date(r["start"]), _date(r["end"]), "annual" if k is None or k != k else str(k))
            for r, k in zip(rows, kinds, strict=True)
        ]
    else:
        items = list(periods)
    seen: set[str] = set()
    problems = []
    for p in items:
        if p.id in seen:
            problems.append(Problem(f"period {p.id!r} is defined twice", source="periods", field="id"))
        if p.end < p.start:
            problems.append(Problem(f"the period ends ({p.end}) before it starts ({p.start})", source="periods"))
        seen.add(p.id)
    if problems:
        raise DataError(problems)
    return tuple(items)


def _scale(scale: tuple[Decimal | int | str, Decimal | int | str]) -> tuple[Decimal, Decimal]:
    low, high = scale
    return Decimal(low), Decimal(high)


def _at_least(least: int, what: str) -> Any:
    def check(_: object, attribute: attrs.Attribute[int], value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{attribute.name} must be an integer, not {value!r}")
        if value < least:
            raise ValueError(f"{attribute.name} must be {what}")

    return check


@attrs.frozen
class DistributedOptions:
    """How the tables are cut into pieces and evaluated.

    - ``periods``: the definition of every period in the tables' ``period`` column: :class:`~asn_kinerja.model.Period`
      objects, or a table (DataFrame) with ``id``, ``start``, ``end`` and ``kind``;
    - ``agency``: the agency's name, as :func:`~asn_kinerja.dataset.frames.from_frames` takes it;
    - ``scale``: the rating scale of the perilaku ratings (lowest, highest), as ``from_frames`` takes it;
    - ``level``: the depth of the subtree roots (0: the whole tree of each root unit in one piece; 1: the units
      under the top ones, ...);
    - ``piece_size``: employees per piece to aim at (whole subtrees are packed together up to it; a larger subtree
      is a piece of its own);
    - ``route``: the column naming the unit each row is stored under (the hive folder ``unit=...``).
    """

    periods: tuple[Period, ...] = attrs.field(converter=_period_list)
    agency: str
    scale: tuple[Decimal, Decimal] = attrs.field(default=(Decimal(1), Decimal(5)), converter=_scale)
    level: int = attrs.field(default=1, validator=_at_least(0, "0 or more"))
    piece_size: int = attrs.field(default=50_000, validator=_at_least(1, "1 or more"))
    route: str = "unit"

    @property
    def by_id(self) -> dict[str, Period]:
        """The periods by id."""
        return {p.id: p for p in self.periods}


#: The keyword arguments the functions took before :class:`DistributedOptions` (deprecated).
_KEYWORDS = tuple(a.name for a in attrs.fields(DistributedOptions))


def resolve_options(
    function: str,
    options: DistributedOptions | None,
    plan: Plan | None,
    keywords: Mapping[str, Any],
    defaults: Mapping[str, Any] | None = None,
) -> DistributedOptions:
    """The options of a call: ``options``, else the deprecated keyword arguments (with a ``DeprecationWarning``
    naming :class:`DistributedOptions`), else the options the ``plan`` was made with."""
    unknown = sorted(set(keywords) - set(_KEYWORDS))
    if unknown:
        raise TypeError(f"{function}() got unexpected keyword arguments: {', '.join(unknown)}")
    if not keywords:
        if options is not None:
            return options
        if plan is not None:
            return plan.options
        raise TypeError(f"{function}() needs options: a DistributedOptions (or a plan made with one)")
    if options is not None:
        raise TypeError(f"{function}() takes options or the keyword arguments {', '.join(sorted(keywords))}, not both")
    warnings.warn(
        f"{function}(..., {'=..., '.join(keywords)}=...) is deprecated: pass the options as one object, "
        f"{function}(..., asn_kinerja.distributed.DistributedOptions({'=..., '.join(keywords)}=...))",
        DeprecationWarning,
        stacklevel=3,
    )
    try:
        return DistributedOptions(**{**(defaults or {}), **keywords})
    except TypeError as exc:
        raise TypeError(f"{function}(): {exc}") from None
