"""Evaluation over Dask DataFrames: many periods of a national civil service, beyond one machine's memory.

The dataset tables (``units``, ``employees``, ``rhk``, ``indicators`` and optionally ``ratings``, ``evaluations``,
``surveys``, ``adjustments``; the columns of the CSV format) are given as Dask DataFrames with a ``period`` column,
each period defined by a :class:`~asn_kinerja.model.Period`. The work is cut into independent **pieces**, one per
period and group of whole unit subtrees, and each piece goes through the single-machine engine
(:func:`~asn_kinerja.dataset.frames.from_frames`, :func:`~asn_kinerja.evaluate`,
:meth:`~asn_kinerja.Evaluation.to_frame`) as one Dask task. Needs the ``dask`` extra
(``pip install 'asn_kinerja[dask]'``); Dask is imported only when these functions are called.

**What a piece holds, and why the result equals one evaluation of the whole period.**

- *Units are never split.* Each unit belongs to the subtree of its ancestor at depth ``level`` (the units above
  it are subtrees of their own); subtrees are packed whole into pieces of about ``piece_size`` employees, the
  subtrees of units whose employees are stored under one unit folder together. A unit's
  employees, its citizen survey and its distribution check are therefore in one piece however the input is
  partitioned: the partitions that hold rows of a piece's units are gathered into it (a unit split over several
  partitions or files is gathered whole, a partition holding several pieces feeds each of them its rows).
- *Rows go with their owner.* An RHK, indicator, rating (of the ratee), evaluation or adjustment is routed by the
  column ``route`` (``"unit"`` by default: the hive folder ``unit=...`` it is stored under), which names the unit of
  its owner or any unit of the same piece; ``employees`` and ``surveys`` without that column are routed by their
  ``unit_id``. Without the column, a table's owners are looked up in the ``employees`` table (a Dask join). Every
  piece checks that each row's owner is one of its own employees (an indicator's RHK one of its RHK, a survey's unit
  one of its units); a row stored under the wrong unit is a :class:`~asn_kinerja.DataError`, never a rating
  silently given to someone else.
- *Raters and superiors from other pieces come along.* A supervisor in a parent unit rating the unit leader, a
  peer or subordinate in another piece, the superior of a subtree's head: every employee a piece's rows refer to
  but does not hold is added to it as a **guest** with the real id, unit and (where also in the piece)
  ``superior_id``, so that the roles are validated exactly as in one evaluation (the atasan is the ratee's direct
  superior, a bawahan reports to the ratee, a unit leader's superior sits in another unit). A guest carries an
  evaluator-given rating and nothing else; guests are not evaluated and not in the output (each is evaluated in
  its own piece).
- *Ids are checked across pieces.* The units table is read whole (one row per unit) and validated per period; an
  employee id used twice in a period is reported even when the two rows are in different pieces. A period missing
  from ``periods``, a row stored under a unit the units table does not have, or a row without a route is a
  :class:`~asn_kinerja.DataError` before anything is evaluated.

A problem found in a piece is raised as one :class:`~asn_kinerja.DataError` listing every problem of that piece,
each source prefixed by the period (``2025/ratings (frame)``); row numbers count within the piece. The cascading
report (:meth:`~asn_kinerja.Evaluation.cascading`) is not made here: an RHK may intervene an RHK in another piece.

A tiny example, on Dask's synchronous scheduler (a cluster is used the same way: see ``docs/distributed.md``):

>>> import datetime as dt
>>> import asn_kinerja
>>> from asn_kinerja.model import Period
>>> from asn_kinerja.testing import generate_tables
>>> periods = [Period("2025-S1", dt.date(2025, 1, 1), dt.date(2025, 6, 30), "semester"),
...            Period("2025-S2", dt.date(2025, 7, 1), dt.date(2025, 12, 31), "semester")]
>>> tables = to_dask(generate_tables(120, periods=[p.id for p in periods], seed=4), npartitions=3)
>>> policy = asn_kinerja.load_policy("permenpanrb-6-2022")
>>> frame = evaluate_dask(policy, tables, periods=periods, agency="Sintetis", level=1, piece_size=40)
>>> result = frame.compute(scheduler="synchronous")
>>> len(result), sorted(result["period"].unique())
(240, ['2025-S1', '2025-S2'])
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import importlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from asn_kinerja.dataset.frames import from_frames
from asn_kinerja.engine.evaluate import evaluate
from asn_kinerja.engine.result import Evaluation
from asn_kinerja.errors import DataError, Problem
from asn_kinerja.model import Period, Predikat, RaterGroup
from asn_kinerja.policy.model import Policy

if TYPE_CHECKING:
    from asn_kinerja.regimes.permenpanrb_6_2022 import PermenpanrbPolicy

__all__ = [
    "TABLES",
    "DaskComparison",
    "Piece",
    "Plan",
    "compare_dask",
    "evaluate_dask",
    "plan_pieces",
    "to_dask",
    "unit_reports_dask",
]

#: The tables of a dataset, in the order of :func:`~asn_kinerja.dataset.frames.from_frames`.
TABLES = ("units", "employees", "rhk", "indicators", "ratings", "evaluations", "surveys", "adjustments")
_REQUIRED = ("units", "employees", "rhk", "indicators")
#: The column naming each row's owner, and the table the owner is in.
_OWNER = {
    "employees": ("unit_id", "units"),
    "surveys": ("unit_id", "units"),
    "rhk": ("employee_id", "employees"),
    "indicators": ("rhk_id", "rhk"),
    "ratings": ("ratee_id", "employees"),
    "evaluations": ("employee_id", "employees"),
    "adjustments": ("employee_id", "employees"),
}
_PERIOD = "period"
_SEP = "\x1f"
_EXTERNAL = RaterGroup.PENGGUNA_LAYANAN


def _require(module: str) -> Any:
    """Import an optional dependency of the ``dask`` extra, or raise an ``ImportError`` naming the extra."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(
            f"{module} is needed for distributed evaluation; install it with: pip install 'asn_kinerja[dask]'"
        ) from exc


# --- text keys, as the validator reads them -------------------------------------------------------------------


def _text(series: Any) -> Any:
    """Cells as stripped text (pandas ``string``), ``<NA>`` for an empty cell: ids as the validator reads them."""
    pd = _require("pandas")
    if isinstance(series.dtype, pd.CategoricalDtype):  # the categories once, then their codes
        categories = _text(pd.Series(series.cat.categories))
        taken = categories.array.take(series.cat.codes.to_numpy(), allow_fill=True)
        return pd.Series(taken, index=series.index, name=series.name)
    out = series.astype("string").str.strip()
    empty = (out == "").to_numpy(dtype=bool, na_value=False)
    return out.mask(empty) if empty.any() else out


def _has(frame: Any, column: str) -> bool:
    return column in frame.columns


def _isin(values: Any, pool: Any) -> Any:
    """Which cells of a text column are in ``pool`` (a text column or a collection of text), as a numpy boolean
    array (an empty cell is in no pool): one hash pass in Arrow, whatever the sizes."""
    pa = _require("pyarrow")
    pc = _require("pyarrow.compute")
    if not hasattr(pool, "dtype"):
        pool = list(pool)
    column = pa.array(_text(values) if values.dtype != "string" else values).cast(pa.string())
    allowed = pa.array(pool, type=pa.string()) if isinstance(pool, list) else pa.array(pool).cast(pa.string())
    found = pc.is_in(column, value_set=allowed.drop_null())
    return found.fill_null(False).to_numpy(zero_copy_only=False)


# --- the plan ---------------------------------------------------------------------------------------------------


@attrs.frozen
class Piece:
    """One independent piece of work: a period and whole unit subtrees (``units``, their ids), with about
    ``employees`` employees; ``roots`` are the subtrees' root units."""

    index: int
    period: Period
    units: frozenset[str]
    roots: tuple[str, ...]
    employees: int


@attrs.frozen(eq=False)
class Plan:
    """How the tables are cut into pieces: the pieces, which partitions of each table feed each piece
    (``parts[table][piece]``: partition numbers), and the guests of each piece (employees its rows refer to that
    another piece holds: ``employee_id``, ``name``, ``unit_id``, ``superior_id``), made by :func:`plan_pieces`."""

    periods: Mapping[str, Period]
    pieces: tuple[Piece, ...]
    tables: Mapping[str, Any]
    routes: Mapping[str, str]
    parts: Mapping[str, tuple[tuple[int, ...], ...]]
    guests: Mapping[int, Any]
    units: Any

    def __repr__(self) -> str:
        guests = sum(len(g) for g in self.guests.values())
        return (
            f"<Plan: {len(self.pieces)} pieces over {len(self.periods)} periods, "
            f"{sum(p.employees for p in self.pieces)} employees, {guests} guests>"
        )


def _periods(periods: Sequence[Period] | Any) -> dict[str, Period]:
    """Period definitions: :class:`Period` objects, or a table (DataFrame) with ``id``, ``start``, ``end``, ``kind``."""
    if hasattr(periods, "to_dict") and hasattr(periods, "columns"):
        rows: list[Any] = periods.to_dict("records")
        kinds = [r.get("kind") for r in rows]
        items = [
            Period(str(r["id"]), _date(r["start"]), _date(r["end"]), "annual" if k is None or k != k else str(k))
            for r, k in zip(rows, kinds, strict=True)
        ]
    else:
        items = list(periods)
    out: dict[str, Period] = {}
    problems = []
    for p in items:
        if p.id in out:
            problems.append(Problem(f"period {p.id!r} is defined twice", source="periods", field="id"))
        if p.end < p.start:
            problems.append(Problem(f"the period ends ({p.end}) before it starts ({p.start})", source="periods"))
        out[p.id] = p
    if problems:
        raise DataError(problems)
    return out


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "date"):
        got: dt.date = value.date()
        return got
    return dt.date.fromisoformat(str(value))


def _check_tables(tables: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise TypeError(f"unknown tables {unknown}: the tables are {', '.join(TABLES)}")
    problems = [Problem(f"the {name} table is missing", source=name) for name in _REQUIRED if tables.get(name) is None]
    given = {name: tables[name] for name in TABLES if tables.get(name) is not None}
    for name, frame in given.items():
        if not hasattr(frame, "to_delayed"):
            raise TypeError(f"the {name} table must be a dask DataFrame (see asn_kinerja.distributed.to_dask)")
        if not _has(frame, _PERIOD):
            problems.append(Problem(f"the column {_PERIOD!r} is missing", source=name, field=_PERIOD))
    if problems:
        raise DataError(problems)
    return given


def _validate_units(units: Any, periods: Mapping[str, Period], agency: str) -> None:
    """The units table of each period through the validator (ids, parents, cycles, codes), all problems at once."""
    empty: dict[str, Any] = {
        "employees": {"employee_id": [], "name": [], "unit_id": [], "jenis_jabatan": []},
        "rhk": {"rhk_id": [], "employee_id": [], "text": []},
        "indicators": {"indicator_id": [], "rhk_id": [], "text": [], "target": []},
    }
    problems: list[Problem] = []
    known = set(periods)
    if units["_period"].isna().any():
        problems.append(Problem("a unit without a period", source="units", field=_PERIOD))
    for pid in sorted(set(units["_period"].dropna()) - known):
        problems.append(Problem(f"period {pid!r} is not among the periods given", source="units", field=_PERIOD))
    for pid, rows in units.groupby("_period", sort=True):
        if pid not in known:
            continue
        raw = rows.drop(columns=["_period", "_unit", "_parent", _PERIOD])
        try:
            from_frames(agency=agency, period=periods[pid], units=raw, **empty)
        except DataError as exc:
            problems.extend(_prefixed(exc.problems, str(pid)))
    if problems:
        raise DataError(problems)


def _prefixed(problems: Iterable[Problem], period: str) -> list[Problem]:
    return [
        Problem(
            p.message,
            source=f"{period}/{p.source}" if p.source else period,
            line=p.line,
            record=p.record,
            field=p.field,
        )
        for p in problems
    ]


def _roots(units: Any, level: int) -> dict[tuple[str, str], str]:
    """Per (period, unit): the root of its subtree, its ancestor at depth ``level`` (itself above that depth)."""
    out: dict[tuple[str, str], str] = {}
    for pid, rows in units.groupby("_period", sort=True):
        parent = dict(zip(rows["_unit"], rows["_parent"], strict=True))
        for unit in parent:  # a loop over units (few), walking up a validated, loop-free tree
            chain = [unit]
            up = parent.get(unit)
            while isinstance(up, str) and up in parent:
                chain.append(up)
                up = parent.get(up)
            out[(str(pid), unit)] = chain[max(0, len(chain) - 1 - level)]
    return out


def _pack(
    roots: Mapping[tuple[str, str], str],
    counts: Mapping[tuple[str, str], int],
    links: Iterable[tuple[str, str, str]],
    periods: Mapping[str, Period],
    piece_size: int,
) -> tuple[Piece, ...]:
    """Whole subtrees packed, in root order, into pieces of about ``piece_size`` employees (at least one subtree).
    Subtrees ``links`` join (an employee of unit ``b`` stored under unit ``a``: folders coarser than the subtrees)
    go into one piece together."""
    joined: dict[tuple[str, str], tuple[str, str]] = {}

    def top(node: tuple[str, str]) -> tuple[str, str]:
        while joined.get(node, node) != node:
            node = joined[node]
        return node

    for period, a, b in links:  # union of the subtrees that must stay together (few links: folders, not rows)
        ra, rb = roots.get((period, a)), roots.get((period, b))
        if ra is not None and rb is not None:
            x, y = top((period, ra)), top((period, rb))
            if x != y:
                joined[max(x, y)] = min(x, y)
    pieces: list[Piece] = []
    for pid in sorted(periods, key=lambda k: (periods[k].start, k)):
        members: dict[str, list[str]] = {}
        sizes: dict[str, int] = {}
        blocks: dict[str, list[str]] = {}
        for (period, unit), root in roots.items():
            if period == pid:
                members.setdefault(root, []).append(unit)
                sizes[root] = sizes.get(root, 0) + counts.get((period, unit), 0)
        for root in sorted(members):
            blocks.setdefault(top((pid, root))[1], []).append(root)
        batch: list[str] = []
        total = 0
        for block in sorted(blocks):
            size = sum(sizes[r] for r in blocks[block])
            if batch and total + size > piece_size:
                pieces.append(_piece(len(pieces), periods[pid], batch, members, total))
                batch, total = [], 0
            batch.extend(blocks[block])
            total += size
        if batch:
            pieces.append(_piece(len(pieces), periods[pid], batch, members, total))
    return tuple(pieces)


def _piece(index: int, period: Period, roots: list[str], members: Mapping[str, list[str]], total: int) -> Piece:
    units = frozenset(u for r in roots for u in members[r])
    return Piece(index, period, units, tuple(roots), total)


def _normalised_ids(frame: Any, columns: Sequence[str]) -> Any:
    """The period and the given id columns as stripped text (a partition, for the planning queries)."""
    pd = _require("pandas")
    out = {"_period": _text(frame[_PERIOD])}
    for col in columns:
        out[col] = _text(frame[col]) if _has(frame, col) else pd.Series(pd.NA, index=frame.index, dtype="string")
    return pd.DataFrame(out, index=frame.index)


def _owner_routes(given: dict[str, Any], route: str) -> dict[str, str]:
    """The routing column of each table; a child table without one gets its owner's unit by a Dask join."""
    routes: dict[str, str] = {}
    for name in given:
        if name == "units":
            routes[name] = "unit_id"
        elif _has(given[name], route):
            routes[name] = route
        elif name in ("employees", "surveys"):
            routes[name] = "unit_id"
    employees = given["employees"]
    emp_route = routes["employees"]
    directory = employees[[_PERIOD, "employee_id", emp_route]].map_partitions(
        _directory_keys, emp_route, meta={"_period": "string", "_owner": "string", "_route": "string"}
    )
    for name in ("rhk", "ratings", "evaluations", "adjustments", "indicators"):
        if name not in given or name in routes:
            continue
        owner = _OWNER[name][0]
        frame = given[name].map_partitions(_with_keys, owner)
        if name == "indicators":
            rhk = given["rhk"]
            keys = rhk[[_PERIOD, "rhk_id", routes["rhk"]]].map_partitions(
                _directory_keys,
                routes["rhk"],
                "rhk_id",
                meta={"_period": "string", "_owner": "string", "_route": "string"},
            )
        else:
            keys = directory
        merged = frame.merge(keys, how="left", on=["_period", "_owner"]).drop(columns=["_period", "_owner"])
        given[name] = merged.rename(columns={"_route": f"_{route}"})
        routes[name] = f"_{route}"
    return routes


def _directory_keys(frame: Any, route: str, key: str = "employee_id") -> Any:
    pd = _require("pandas")
    return pd.DataFrame(
        {"_period": _text(frame[_PERIOD]), "_owner": _text(frame[key]), "_route": _text(frame[route])}
    ).dropna(subset=["_owner"])


def _with_keys(frame: Any, owner: str) -> Any:
    out = frame.copy()
    out["_period"] = _text(frame[_PERIOD])
    out["_owner"] = _text(frame[owner])
    return out


def _summary(part: Any, name: str, route: str) -> dict[str, Any]:
    """What planning needs of one partition: its (period, route) keys, rows without a route, and the employees
    its rows refer to that may be outside its piece (superiors, raters)."""
    pd = _require("pandas")
    period = _text(part[_PERIOD])
    where = _text(part[route])
    keys = pd.DataFrame({"_period": period, "_route": where})
    missing = (keys["_route"].isna() | keys["_period"].isna()).to_numpy()
    pairs = _distinct(keys[~missing])
    out: dict[str, Any] = {"keys": pairs, "missing": int(missing.sum()), "examples": []}
    if missing.any():
        owner = _OWNER[name][0]
        shown = _text(part[owner])[missing] if _has(part, owner) else keys["_route"][missing]
        out["examples"] = [None if x is pd.NA else str(x) for x in shown.iloc[:3]]
    if name == "employees":
        unit = _text(part["unit_id"]) if _has(part, "unit_id") else pd.Series(pd.NA, index=part.index, dtype="string")
        sizes = _distinct(pd.DataFrame({"_period": period, "_unit": unit}).dropna(), counts=True)
        out["counts"] = {(str(p), str(u)): int(n) for p, u, n in sizes.itertuples(index=False)}
        stored = _distinct(pd.DataFrame({"_period": period, "_route": where, "_unit": unit}).dropna())
        stored = stored[stored["_route"] != stored["_unit"]]
        out["links"] = [(str(p), str(r), str(u)) for p, r, u in stored.itertuples(index=False)]
    refs = []
    if name == "employees" and _has(part, "superior_id"):
        refs.append(_outside(keys, len(pairs), _text(part["employee_id"]), _text(part["superior_id"])))
    if name == "ratings" and _has(part, "rater_id"):
        rater = _text(part["rater_id"])
        if _has(part, "group"):
            group = _text(part["group"])
            names = group.dropna().unique()
            external = {g for g in names if _is_external(str(g))}
            if external:
                rater = rater.mask(group.isin(list(external)))
        ratee = _text(part["ratee_id"]) if _has(part, "ratee_id") else pd.Series(pd.NA, index=part.index)
        refs.append(_outside(keys, len(pairs), ratee, rater))
    if refs:
        out["refs"] = _distinct(pd.concat(refs, ignore_index=True))
    return out


def _is_external(group: str) -> bool:
    try:
        return RaterGroup.parse(group) is _EXTERNAL
    except ValueError:
        return False


def _distinct(frame: Any, *, counts: bool = False) -> Any:
    """The distinct rows of a frame of text columns without empty cells (with ``counts``: and how many of each, in
    a column ``n``): the columns' codes combined into one integer key, so one sort of integers."""
    pd = _require("pandas")
    if not len(frame):
        out = frame.iloc[:0].reset_index(drop=True)
        return out.assign(n=np.zeros(0, dtype=np.int64)) if counts else out
    key = np.zeros(len(frame), dtype=np.int64)
    for col in frame.columns:
        codes, uniques = pd.factorize(frame[col])
        key = key * (len(uniques) + 1) + codes
    _, first, number = np.unique(key, return_index=True, return_counts=True)
    order = np.argsort(first)
    out = frame.iloc[first[order]].reset_index(drop=True)
    return out.assign(n=number[order]) if counts else out


def _outside(keys: Any, pairs: int, own: Any, ref: Any) -> Any:
    """(period, route, ref) for references not among ``own`` ids under the same (period, route) in this
    partition: those may be in another piece (the rest are in this one whatever the plan)."""
    pd = _require("pandas")
    if pairs <= 1:  # the usual partition: one period and one unit folder
        keep = ref.notna().to_numpy(dtype=bool, na_value=False) & ~_isin(ref, own)
    else:
        base = keys["_period"].fillna("") + _SEP + keys["_route"].fillna("") + _SEP
        keep = ref.notna().to_numpy(dtype=bool, na_value=False) & ~_isin(base + ref, (base + own).dropna())
    return pd.DataFrame({"_period": keys["_period"][keep], "_route": keys["_route"][keep], "ref": ref[keep]})


def _lookup(frame: Any, wanted: Mapping[str, frozenset[str]]) -> Any:
    """The rows of a partition of employees whose id is wanted in their period (stripped text)."""
    pd = _require("pandas")
    period = _text(frame[_PERIOD])
    ident = _text(frame["employee_id"])
    keep = pd.Series(False, index=frame.index)
    for pid, ids in wanted.items():
        keep |= (period == pid).fillna(False).to_numpy(dtype=bool) & _isin(ident, ids)
    rows = frame[keep]
    out = pd.DataFrame(
        {
            "_period": period[keep],
            "employee_id": ident[keep],
            "name": _text(rows["name"]) if _has(rows, "name") else pd.NA,
            "unit_id": _text(rows["unit_id"]) if _has(rows, "unit_id") else pd.NA,
            "superior_id": _text(rows["superior_id"]) if _has(rows, "superior_id") else pd.NA,
        }
    )
    return out.astype("string")


def plan_pieces(
    tables: Mapping[str, Any],
    *,
    periods: Sequence[Period] | Any,
    agency: str = "",
    level: int = 1,
    piece_size: int = 50_000,
    route: str = "unit",
) -> Plan:
    """Cut the tables (Dask DataFrames with a ``period`` column) into pieces: reads the units table whole, counts
    employees per unit, checks employee ids across the period, finds which partitions hold which units and which
    employees each piece refers to in another. A few small Dask computations; nothing is evaluated.

    ``level``: the depth of the subtree roots (0: the whole tree of each root unit in one piece; 1: the units under
    the top ones, ...); ``piece_size``: employees per piece to aim at (whole subtrees are packed together up to it;
    a larger subtree is a piece of its own); ``route``: the column naming the unit each row is stored under.
    """
    dask = _require("dask")
    _require("dask.dataframe")
    pd = _require("pandas")
    if level < 0:
        raise ValueError("level must be 0 or more")
    defined = _periods(periods)
    given = _check_tables(tables)

    routes = _owner_routes(given, route)

    # --- one pass: the units (small: one row per unit), what each partition holds, ids used twice ------------
    emp = given["employees"][[_PERIOD, "employee_id"]].map_partitions(
        _normalised_ids, ["employee_id"], meta={"_period": "string", "employee_id": "string"}
    )
    per_id = emp.groupby(["_period", "employee_id"]).size(split_out=True)
    summary = dask.delayed(_summary, pure=True)
    names = [n for n in given if n != "units"]
    summaries = {n: [summary(part, n, routes[n]) for part in given[n].to_delayed()] for n in names}
    unit_parts, computed, twice = dask.compute(given["units"].to_delayed(), summaries, per_id[per_id > 1].to_delayed())
    problems = [
        Problem(
            f"duplicate id {ident!r} ({int(n)} employees of the period)",
            source=f"{pid}/employees",
            record=str(ident),
            field="employee_id",
        )
        for frame in twice
        for (pid, ident), n in frame.items()
    ]
    units = pd.concat(unit_parts, ignore_index=True)
    units = units.assign(
        _period=_text(units[_PERIOD]),
        _unit=_text(units["unit_id"]) if _has(units, "unit_id") else pd.NA,
        _parent=_text(units["parent_id"]) if _has(units, "parent_id") else pd.NA,
    )
    units = units.drop(columns=[c for c in (route,) if c != "unit_id" and _has(units, c)])
    try:
        _validate_units(units, defined, agency)
    except DataError as exc:
        problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    units = units.astype({"_period": object, "_unit": object, "_parent": object})
    units["_parent"] = units["_parent"].where(units["_parent"].notna(), None)

    # --- pieces: whole subtrees packed by their employees ------------------------------------------------------
    counts: dict[tuple[str, str], int] = {}
    for s in computed["employees"]:
        for key, n in s["counts"].items():
            counts[key] = counts.get(key, 0) + n
    links = [link for s in computed["employees"] for link in s["links"]]
    roots = _roots(units, level)
    pieces = _pack(roots, counts, links, defined, piece_size)
    unit_piece = {(p.period.id, u): p.index for p in pieces for u in p.units}
    units["_piece"] = [unit_piece.get((p, u), -1) for p, u in zip(units["_period"], units["_unit"], strict=True)]

    # --- which partitions feed which piece; references that may leave their piece ----------------------------
    parts: dict[str, tuple[tuple[int, ...], ...]] = {}
    ref_frames = []
    for n in names:
        feeds: list[list[int]] = [[] for _ in pieces]
        for i, s in enumerate(computed[n]):
            if s["missing"]:
                problems.append(_without_route(n, routes[n], route, s["missing"], s["examples"]))
            hit = set()
            for pid, where in zip(s["keys"]["_period"], s["keys"]["_route"], strict=True):
                k = unit_piece.get((str(pid), str(where)))
                if k is None:
                    problems.append(_unrouted(n, routes[n], str(pid), str(where), defined))
                else:
                    hit.add(k)
            for k in hit:
                feeds[k].append(i)
            if "refs" in s:
                ref_frames.append(s["refs"])
        parts[n] = tuple(tuple(f) for f in feeds)
    if problems:
        raise DataError(problems)

    guests = _guests(given, ref_frames, unit_piece, pd, dask)
    return Plan(
        periods=defined,
        pieces=pieces,
        tables=given,
        routes=routes,
        parts=parts,
        guests=guests,
        units=units,
    )


def _without_route(name: str, column: str, route: str, count: int, examples: list[str | None]) -> Problem:
    owner = _OWNER[name][0]
    shown = ", ".join(repr(x) for x in examples)
    if column != route and name not in ("employees", "surveys"):  # routed by looking its owner up
        what = "RHK" if owner == "rhk_id" else "employee"
        message = f"{count} row(s) whose {owner} is no {what} of the period (e.g. {shown}): they cannot be routed"
    else:
        message = f"{count} row(s) without a period or a {column!r} (e.g. {owner} {shown}): they cannot be routed"
    return Problem(message, source=name, field=column)


def _unrouted(name: str, route: str, period: str, where: str, periods: Mapping[str, Period]) -> Problem:
    if period not in periods:
        return Problem(f"period {period!r} is not among the periods given", source=name, field=_PERIOD)
    return Problem(
        f"rows stored under unit {where!r} ({route}), which is not in the units table of period {period}",
        source=f"{period}/{name}",
        field=route,
    )


def _guests(
    given: Mapping[str, Any], ref_frames: list[Any], unit_piece: Mapping[tuple[str, str], int], pd: Any, dask: Any
) -> dict[int, Any]:
    """Per piece: the employees its rows refer to that another piece holds (one small lookup in ``employees``)."""
    columns = ["employee_id", "name", "unit_id", "superior_id"]
    if not ref_frames:
        return {}
    refs = pd.concat(ref_frames, ignore_index=True).drop_duplicates()
    if not len(refs):
        return {}
    refs["_piece"] = [
        unit_piece.get((str(p), str(r)), -1) for p, r in zip(refs["_period"], refs["_route"], strict=True)
    ]
    refs = refs[["_period", "_piece", "ref"]].drop_duplicates()
    wanted = {str(pid): frozenset(str(x) for x in rows["ref"]) for pid, rows in refs.groupby("_period")}
    employees = given["employees"]
    cols = [c for c in (_PERIOD, *columns) if _has(employees, c)]
    meta = {"_period": "string", **dict.fromkeys(columns, "string")}
    found = employees[cols].map_partitions(_lookup, dask.delayed(wanted), meta=meta).compute()
    found = found.drop_duplicates(subset=["_period", "employee_id"])
    found["_home"] = [
        unit_piece.get((str(p), str(u)), -1) for p, u in zip(found["_period"], found["unit_id"], strict=True)
    ]
    joined = refs.merge(found, left_on=["_period", "ref"], right_on=["_period", "employee_id"], how="inner")
    joined = joined[joined["_home"] != joined["_piece"]]
    return {int(k): rows[columns].reset_index(drop=True) for k, rows in joined.groupby("_piece")}


# --- one piece ---------------------------------------------------------------------------------------------------


@attrs.frozen
class _Spec:
    """What a piece task needs besides its partitions."""

    piece: Piece
    agency: str
    scale: tuple[Decimal, Decimal]
    routes: Mapping[str, str]
    route: str


def _assemble(spec: _Spec, units: Any, guests: Any, parts: Mapping[str, list[Any]]) -> tuple[Any, int]:
    """The piece's dataset (validated) and how many of its employees are its own (the first rows)."""
    pd = _require("pandas")
    piece = spec.piece
    pid = piece.period.id
    frames: dict[str, Any] = {}
    for name, chunks in parts.items():
        route = spec.routes[name]
        frame = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0].reset_index(drop=True)
        keep = (_text(frame[_PERIOD]) == pid).fillna(False).to_numpy(dtype=bool) & _isin(frame[route], piece.units)
        frame = frame[keep]
        drop = [c for c in (_PERIOD, route, spec.route, "_piece") if _has(frame, c) and c not in ("unit_id",)]
        frames[name] = frame.drop(columns=drop).reset_index(drop=True)
    problems = _misrouted(frames, piece, spec)
    employees = frames.get("employees")
    n_own = 0 if employees is None else len(employees)
    if guests is not None and len(guests):
        ids = (
            guests["employee_id"]
            if employees is None
            else pd.concat([_text(employees["employee_id"]), guests["employee_id"]])
        )
        superior = guests["superior_id"].where(_isin(guests["superior_id"], ids), None)
        visitors = pd.DataFrame(
            {
                "employee_id": guests["employee_id"],
                "name": guests["name"].fillna("-"),
                "unit_id": guests["unit_id"],
                "jenis_jabatan": "JA",
                "superior_id": superior,
            }
        ).astype("string")
        frames["employees"] = visitors if employees is None else pd.concat([employees, visitors], ignore_index=True)
        given = pd.DataFrame(
            {"employee_id": visitors["employee_id"], "rating_hasil_kerja": "sesuai", "rating_perilaku_kerja": "sesuai"}
        )
        evaluations = frames.get("evaluations")
        frames["evaluations"] = given if evaluations is None else pd.concat([evaluations, given], ignore_index=True)
    if problems:
        raise DataError(_prefixed(problems, pid))
    tables: dict[str, Any] = {name: _arrow(frames.get(name)) for name in TABLES if name != "units"}
    for name in _REQUIRED[1:]:
        if tables[name] is None:
            tables[name] = pd.DataFrame()
    try:
        dataset = from_frames(agency=spec.agency, period=piece.period, scale=spec.scale, units=units, **tables)
    except DataError as exc:
        raise DataError(_prefixed(exc.problems, pid)) from None
    return dataset, n_own


def _arrow(frame: Any) -> Any:
    """A piece's table as an Arrow table for validation (text columns dictionary-encoded by Arrow, as fast as
    the single-machine Arrow input); ``None`` stays ``None``."""
    if frame is None:
        return None
    pa = _require("pyarrow")
    return pa.Table.from_pandas(frame, preserve_index=False)


def _misrouted(frames: Mapping[str, Any], piece: Piece, spec: _Spec) -> list[Problem]:
    """Rows whose owner is not in the piece they were routed to: stored under the wrong unit, or an owner that
    does not exist (a row is never given to a guest, or left out of its owner's evaluation)."""
    own: dict[str, Any] = {"units": piece.units}
    for name, key in (("employees", "employee_id"), ("rhk", "rhk_id")):
        frame = frames.get(name)
        own[name] = [] if frame is None or not _has(frame, key) else _text(frame[key])
    words = {"units": "unit", "employees": "employee", "rhk": "RHK"}
    problems: list[Problem] = []
    for name, frame in frames.items():
        column, into = _OWNER[name]
        if not _has(frame, column):
            continue
        owner = _text(frame[column])
        bad = np.flatnonzero(owner.notna().to_numpy(dtype=bool, na_value=False) & ~_isin(owner, own[into]))
        if not len(bad):
            continue
        key = _KEYS.get(name, column)
        records = _text(frame[key]) if _has(frame, key) else owner
        what = words[into]
        for row in bad:
            record = records.iloc[row]
            problems.append(
                Problem(
                    f"{what} {owner.iloc[row]!r} is not in the piece this row was routed to by "
                    f"{spec.routes[name]!r} (units {_units_text(piece)}): the row is stored under another unit than "
                    f"its {what}'s, or the {what} does not exist",
                    source=name,
                    record=None if record is None or record is _require("pandas").NA else str(record),
                    field=column,
                )
            )
    return problems


_KEYS = {"employees": "employee_id", "rhk": "rhk_id", "indicators": "indicator_id", "surveys": "respondent_id"}


def _units_text(piece: Piece) -> str:
    shown = sorted(piece.roots)[:3]
    more = "" if len(piece.roots) <= 3 else f" and {len(piece.roots) - 3} more"
    return "under " + ", ".join(shown) + more


def _evaluate(policy: Policy, dataset: Any, period: str) -> Evaluation:
    try:
        result = evaluate(policy, dataset)
    except DataError as exc:
        raise DataError(_prefixed(exc.problems, period)) from None
    assert isinstance(result, Evaluation)
    return result


def _employees_frame(evaluation: Evaluation, n_own: int, period: str) -> Any:
    frame = evaluation.to_frame().iloc[:n_own].reset_index(drop=True)
    frame.insert(0, _PERIOD, period)
    return frame


def _piece_evaluation(spec: _Spec, policy: Policy, units: Any, guests: Any, parts: Mapping[str, list[Any]]) -> Any:
    dataset, n_own = _assemble(spec, units, guests, parts)
    return _employees_frame(_evaluate(policy, dataset, spec.piece.period.id), n_own, spec.piece.period.id)


def _piece_units(spec: _Spec, policy: Policy, units: Any, guests: Any, parts: Mapping[str, list[Any]]) -> Any:
    dataset, _ = _assemble(spec, units, guests, parts)
    evaluation = _evaluate(policy, dataset, spec.piece.period.id)
    return _unit_rows([u for u in evaluation.units() if u.unit_id in spec.piece.units], spec.piece.period.id)


def _unit_rows(reports: Sequence[Any], period: str) -> Any:
    pd = _require("pandas")
    rows = []
    for u in reports:
        rows.append(
            {
                _PERIOD: period,
                "unit_id": u.unit_id,
                "name": u.name,
                "predikat_organisasi": None if u.predikat_organisasi is None else u.predikat_organisasi.value,
                "n": u.n,
                **{p.value: int(u.counts[p]) for p in Predikat},
                "guidance": None if u.ok is None else "ok" if u.ok else "violated",
                "violations": "" if u.distribution is None else "; ".join(str(v) for v in u.distribution.violations),
            }
        )
    columns = [
        _PERIOD,
        "unit_id",
        "name",
        "predikat_organisasi",
        "n",
        *(p.value for p in Predikat),
        "guidance",
        "violations",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"n": np.int64, **{p.value: np.int64 for p in Predikat}})


_CHANGE_SIDES = ("predikat", "rating_hasil_kerja", "rating_perilaku_kerja", "capaian", "perilaku_score")


def _piece_comparison(
    spec: _Spec, policies: tuple[Policy, Policy], units: Any, guests: Any, parts: Mapping[str, list[Any]]
) -> tuple[Any, Any]:
    """The piece under two policies: its changed employees (frame) and its transition counts (5 × 5)."""
    dataset, n_own = _assemble(spec, units, guests, parts)
    pid = spec.piece.period.id
    a, b = (_evaluate(p, dataset, pid) for p in policies)
    kinds = len(Predikat)
    pa, pb = a.predikat[:n_own].astype(np.int64), b.predikat[:n_own].astype(np.int64)
    both = (pa >= 0) & (pb >= 0)
    transitions = np.bincount(pa[both] * kinds + pb[both], minlength=kinds * kinds).reshape(kinds, kinds)
    return _changes(a, b, n_own, pid), _transition_rows(pid, transitions)


def _transition_rows(period: str, counts: Any) -> Any:
    """A piece's transition counts as rows: ``period``, ``predikat_a`` and one count column per predikat under B."""
    pd = _require("pandas")
    labels = [p.label for p in Predikat]
    frame = pd.DataFrame(counts.astype(np.int64), columns=labels)
    frame.insert(0, "predikat_a", pd.Categorical(labels, categories=labels, ordered=True))
    frame.insert(0, _PERIOD, pd.array([period] * len(labels), dtype="string"))
    return frame


def _changes(a: Evaluation, b: Evaluation, n_own: int, period: str) -> Any:
    """Employees whose predikat or a rating differs (the columns of :meth:`Comparison.to_frame`), dataset order."""
    pd = _require("pandas")
    fa, fb = a.to_frame().iloc[:n_own], b.to_frame().iloc[:n_own]
    changed = (
        (a.predikat[:n_own] != b.predikat[:n_own])
        | (a.rating_hasil_kerja[:n_own] != b.rating_hasil_kerja[:n_own])
        | (a.rating_perilaku_kerja[:n_own] != b.rating_perilaku_kerja[:n_own])
    )
    fa, fb = fa[changed].reset_index(drop=True), fb[changed].reset_index(drop=True)
    pa, pb = a.predikat[:n_own][changed], b.predikat[:n_own][changed]
    columns: dict[str, Any] = {_PERIOD: period, "employee_id": fa["employee_id"], "unit_id": fa["unit_id"]}
    columns["predikat_a"], columns["predikat_b"] = fa["predikat"], fb["predikat"]
    columns["direction"] = pd.Categorical(
        np.where(pb < pa, "up", np.where(pb > pa, "down", "same")), categories=["up", "down", "same"]
    )
    for name in _CHANGE_SIDES[1:]:
        columns[f"{name}_a"], columns[f"{name}_b"] = fa[name], fb[name]
    return pd.DataFrame(columns)


# --- the graph --------------------------------------------------------------------------------------------------


def _tasks(
    plan: Plan,
    run: Callable[..., Any],
    policies: Any,
    agency: str,
    scale: tuple[Decimal, Decimal],
    route: str,
    nout: int | None = None,
) -> list[Any]:
    """One delayed task per piece: ``run(spec, policies, units, guests, parts)``."""
    dask = _require("dask")
    delayed_parts = {name: frame.to_delayed() for name, frame in plan.tables.items() if name != "units"}
    units = plan.units
    task = dask.delayed(functools.partial(_collection_paused, run), pure=True, nout=nout)
    shared = dask.delayed(policies, pure=True)
    out = []
    for piece in plan.pieces:
        guests = plan.guests.get(piece.index)
        wanted = set(piece.units)
        if guests is not None:
            wanted |= set(guests["unit_id"].dropna())
        rows = units[(units["_period"] == piece.period.id) & units["_unit"].isin(wanted)]
        rows = rows.assign(parent_id=rows["_parent"].where(rows["_parent"].isin(wanted), None))
        rows = rows.drop(columns=["_period", "_unit", "_parent", "_piece", _PERIOD]).reset_index(drop=True)
        parts = {
            name: [delayed_parts[name][i] for i in plan.parts[name][piece.index]]
            for name in delayed_parts
            if plan.parts[name][piece.index]
        }
        spec = _Spec(piece, agency, scale, plan.routes, route)
        out.append(task(spec, shared, rows, guests, parts))
    return out


def _collection_paused(run: Callable[..., Any], *args: Any) -> Any:
    """``run(*args)`` with Python's cyclic garbage collector paused: a piece allocates many small objects and
    frees them at its end, and collections in between only cost time (a third of it on a worker)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return run(*args)
    finally:
        if enabled:
            gc.enable()


def _empty_dataset(agency: str, period: Period, scale: tuple[Decimal, Decimal]) -> Any:
    return from_frames(
        agency=agency,
        period=period,
        scale=scale,
        units={"unit_id": [], "name": []},
        employees={"employee_id": [], "name": [], "unit_id": [], "jenis_jabatan": []},
        rhk={"rhk_id": [], "employee_id": [], "text": []},
        indicators={"indicator_id": [], "rhk_id": [], "text": [], "target": []},
    )


def _empty_evaluation(policy: Policy) -> Evaluation:
    """The policy's evaluation of no one: the columns and types of an output, for Dask's ``meta``."""
    pk = _regime(policy).rules.perilaku_kerja
    scale = (pk.scale.min, pk.scale.max)
    period = Period("-", dt.date(2000, 1, 1), dt.date(2000, 12, 31))
    return _evaluate(policy, _empty_dataset("-", period, scale), "-")


def _regime(policy: Policy) -> PermenpanrbPolicy:
    from asn_kinerja.regimes.permenpanrb_6_2022 import population_policy

    return population_policy(policy, "distributed evaluation")


def _scale(scale: tuple[Decimal | int | str, Decimal | int | str]) -> tuple[Decimal, Decimal]:
    return Decimal(scale[0]), Decimal(scale[1])


def evaluate_dask(
    policy: Policy,
    tables: Mapping[str, Any],
    *,
    periods: Sequence[Period] | Any,
    agency: str,
    scale: tuple[Decimal | int | str, Decimal | int | str] = (1, 5),
    level: int = 1,
    piece_size: int = 50_000,
    route: str = "unit",
    plan: Plan | None = None,
) -> Any:
    """Evaluate every employee of every period: a lazy ``dask.dataframe.DataFrame`` with the columns of
    :meth:`~asn_kinerja.Evaluation.to_frame` after a first column ``period``, one partition per piece (rows of a
    piece in the order of its employees). Planning (:func:`plan_pieces`, or ``plan`` given) runs a few small
    computations now; the evaluation runs when the frame is computed. See the module for how pieces are cut."""
    dd = _require("dask.dataframe")
    _regime(policy)
    sc = _scale(scale)
    plan = plan or plan_pieces(tables, periods=periods, agency=agency, level=level, piece_size=piece_size, route=route)
    tasks = _tasks(plan, _piece_evaluation, policy, agency, sc, route)
    meta = _employees_frame(_empty_evaluation(policy), 0, "-")
    return dd.from_delayed(tasks, meta=meta, verify_meta=False) if tasks else dd.from_pandas(meta, npartitions=1)


def unit_reports_dask(
    policy: Policy,
    tables: Mapping[str, Any],
    *,
    periods: Sequence[Period] | Any,
    agency: str,
    scale: tuple[Decimal | int | str, Decimal | int | str] = (1, 5),
    level: int = 1,
    piece_size: int = 50_000,
    route: str = "unit",
    plan: Plan | None = None,
) -> Any:
    """Per unit and period, as :meth:`~asn_kinerja.Evaluation.units` gives it: ``period``, ``unit_id``, ``name``,
    ``predikat_organisasi``, ``n``, the count of each predikat (columns named by its id), ``guidance`` (``ok``,
    ``violated`` or empty) and ``violations``: a lazy Dask DataFrame. A unit is never split over pieces, so its
    distribution check sees all its staff."""
    dd = _require("dask.dataframe")
    _regime(policy)
    sc = _scale(scale)
    plan = plan or plan_pieces(tables, periods=periods, agency=agency, level=level, piece_size=piece_size, route=route)
    tasks = _tasks(plan, _piece_units, policy, agency, sc, route)
    meta = _unit_rows([], "-")
    return dd.from_delayed(tasks, meta=meta, verify_meta=False) if tasks else dd.from_pandas(meta, npartitions=1)


@attrs.frozen(eq=False)
class DaskComparison:
    """Two policies over the same tables, lazily: ``changes`` (a Dask DataFrame: one row per employee and period
    whose predikat or a rating differs — ``period``, ``employee_id``, ``unit_id``, ``predikat_a``, ``predikat_b``,
    ``direction`` and the ratings, capaian and published perilaku score under A and B) and ``transitions`` (a Dask
    DataFrame indexed by ``period`` and ``predikat_a``, a column per predikat under B: the counts summed over the
    pieces). :meth:`compute` computes both in one pass over the pieces."""

    policy_a: Policy
    policy_b: Policy
    changes: Any
    transitions: Any

    def compute(self, **kwargs: Any) -> tuple[Any, Any]:
        """``(changes, transitions)`` as pandas DataFrames, sharing one evaluation of each piece."""
        dask = _require("dask")
        changes, transitions = dask.compute(self.changes, self.transitions, **kwargs)
        return changes, transitions


def compare_dask(
    policy_a: Policy,
    policy_b: Policy,
    tables: Mapping[str, Any],
    *,
    periods: Sequence[Period] | Any,
    agency: str,
    scale: tuple[Decimal | int | str, Decimal | int | str] = (1, 5),
    level: int = 1,
    piece_size: int = 50_000,
    route: str = "unit",
    plan: Plan | None = None,
) -> DaskComparison:
    """Compare two policies (both of the permenpanrb-6-2022 regime) over every period, piece by piece: each
    piece is evaluated under both and gives its changed employees and its transition counts; the counts are
    summed per period. As :func:`asn_kinerja.compare` without the per-step explanations and the rank agreement
    (which need the whole period at once)."""
    dd = _require("dask.dataframe")
    _regime(policy_a)
    _regime(policy_b)
    sc = _scale(scale)
    plan = plan or plan_pieces(tables, periods=periods, agency=agency, level=level, piece_size=piece_size, route=route)
    tasks = _tasks(plan, _piece_comparison, (policy_a, policy_b), agency, sc, route, nout=2)
    empty = _empty_evaluation(policy_a)
    meta = _changes(empty, empty, 0, "-")
    changes = (
        dd.from_delayed([t[0] for t in tasks], meta=meta, verify_meta=False)
        if tasks
        else dd.from_pandas(meta, npartitions=1)
    )
    rows_meta = _transition_rows("-", np.zeros((len(Predikat), len(Predikat)), dtype=np.int64)).iloc[:0]
    rows = (
        dd.from_delayed([t[1] for t in tasks], meta=rows_meta, verify_meta=False)
        if tasks
        else dd.from_pandas(rows_meta, npartitions=1)
    )
    transitions = rows.groupby([_PERIOD, "predikat_a"], observed=True, sort=True).sum()
    return DaskComparison(policy_a, policy_b, changes, transitions)


# --- inputs -----------------------------------------------------------------------------------------------------


def to_dask(tables: Mapping[str, Any], *, npartitions: int = 1) -> dict[str, Any]:
    """pandas tables (a ``period`` column each) as Dask DataFrames of ``npartitions`` partitions each, rows split
    in their order (a unit may well be split over two partitions: the plan gathers it)."""
    dd = _require("dask.dataframe")
    return {
        name: dd.from_pandas(frame, npartitions=max(1, min(npartitions, len(frame) or 1)), sort=False)
        for name, frame in tables.items()
        if frame is not None
    }
