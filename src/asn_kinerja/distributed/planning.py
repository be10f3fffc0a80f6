"""Planning: the tables cut into independent pieces (a period and whole unit subtrees each), with the partitions
that feed each piece and its guests (see :mod:`asn_kinerja.distributed`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from asn_kinerja.dataset.frames import from_frames
from asn_kinerja.distributed.keys import OWNER, PERIOD, REQUIRED, TABLES, as_text, has, prefixed, require
from asn_kinerja.distributed.options import DistributedOptions, resolve_options
from asn_kinerja.distributed.routing import find_guests, normalised_ids, owner_routes, partition_summary
from asn_kinerja.errors import DataError, Problem
from asn_kinerja.model import Period

__all__ = ["Piece", "Plan", "plan_pieces"]


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
    another piece holds: ``employee_id``, ``name``, ``unit_id``, ``superior_id``), made by :func:`plan_pieces` with
    ``options`` (which the functions given the plan use where they are given no options of their own)."""

    periods: Mapping[str, Period]
    pieces: tuple[Piece, ...]
    tables: Mapping[str, Any]
    routes: Mapping[str, str]
    parts: Mapping[str, tuple[tuple[int, ...], ...]]
    guests: Mapping[int, Any]
    units: Any
    options: DistributedOptions

    def __repr__(self) -> str:
        guests = sum(len(g) for g in self.guests.values())
        return (
            f"<Plan: {len(self.pieces)} pieces over {len(self.periods)} periods, "
            f"{sum(p.employees for p in self.pieces)} employees, {guests} guests>"
        )


def _check_tables(tables: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise TypeError(f"unknown tables {unknown}: the tables are {', '.join(TABLES)}")
    problems = [Problem(f"the {name} table is missing", source=name) for name in REQUIRED if tables.get(name) is None]
    given = {name: tables[name] for name in TABLES if tables.get(name) is not None}
    for name, frame in given.items():
        if not hasattr(frame, "to_delayed"):
            raise TypeError(f"the {name} table must be a dask DataFrame (see asn_kinerja.distributed.to_dask)")
        if not has(frame, PERIOD):
            problems.append(Problem(f"the column {PERIOD!r} is missing", source=name, field=PERIOD))
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
        problems.append(Problem("a unit without a period", source="units", field=PERIOD))
    for pid in sorted(set(units["_period"].dropna()) - known):
        problems.append(Problem(f"period {pid!r} is not among the periods given", source="units", field=PERIOD))
    for pid, rows in units.groupby("_period", sort=True):
        if pid not in known:
            continue
        raw = rows.drop(columns=["_period", "_unit", "_parent", PERIOD])
        try:
            from_frames(agency=agency, period=periods[pid], units=raw, **empty)
        except DataError as exc:
            problems.extend(prefixed(exc.problems, str(pid)))
    if problems:
        raise DataError(problems)


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


def plan_pieces(tables: Mapping[str, Any], options: DistributedOptions | None = None, **keywords: Any) -> Plan:
    """Cut the tables (Dask DataFrames with a ``period`` column) into pieces as the ``options`` say (their
    ``periods``, ``level``, ``piece_size`` and ``route``): reads the units table whole, counts employees per unit,
    checks employee ids across the period, finds which partitions hold which units and which employees each piece
    refers to in another. A few small Dask computations; nothing is evaluated.

    The keyword arguments ``periods``, ``agency``, ``level``, ``piece_size`` and ``route`` in place of ``options``
    are deprecated (a ``DeprecationWarning``): they make the :class:`DistributedOptions`.
    """
    opts = resolve_options("plan_pieces", options, None, keywords, defaults={"agency": ""})
    dask = require("dask")
    require("dask.dataframe")
    pd = require("pandas")
    given = _check_tables(tables)
    routes = owner_routes(given, opts.route)
    units, computed = _read(given, routes, opts, dask, pd)
    counts: dict[tuple[str, str], int] = {}
    for s in computed["employees"]:
        for key, n in s["counts"].items():
            counts[key] = counts.get(key, 0) + n
    links = [link for s in computed["employees"] for link in s["links"]]
    pieces = _pack(_roots(units, opts.level), counts, links, opts.by_id, opts.piece_size)
    unit_piece = {(p.period.id, u): p.index for p in pieces for u in p.units}
    units["_piece"] = [unit_piece.get((p, u), -1) for p, u in zip(units["_period"], units["_unit"], strict=True)]
    parts, ref_frames = _feeds(computed, routes, unit_piece, len(pieces), opts)
    return Plan(
        periods=opts.by_id,
        pieces=pieces,
        tables=given,
        routes=routes,
        parts=parts,
        guests=find_guests(given, ref_frames, unit_piece, pd, dask),
        units=units,
        options=opts,
    )


def _read(
    given: Mapping[str, Any], routes: Mapping[str, str], options: DistributedOptions, dask: Any, pd: Any
) -> tuple[Any, dict[str, list[dict[str, Any]]]]:
    """One pass over the tables: the units (small: one row per unit, validated per period), what each partition of
    the other tables holds, and employee ids used twice in a period (all problems at once)."""
    emp = given["employees"][[PERIOD, "employee_id"]].map_partitions(
        normalised_ids, ["employee_id"], meta={"_period": "string", "employee_id": "string"}
    )
    per_id = emp.groupby(["_period", "employee_id"]).size(split_out=True)
    summary = dask.delayed(partition_summary, pure=True)
    summaries = {n: [summary(part, n, routes[n]) for part in given[n].to_delayed()] for n in given if n != "units"}
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
        _period=as_text(units[PERIOD]),
        _unit=as_text(units["unit_id"]) if has(units, "unit_id") else pd.NA,
        _parent=as_text(units["parent_id"]) if has(units, "parent_id") else pd.NA,
    )
    units = units.drop(columns=[c for c in (options.route,) if c != "unit_id" and has(units, c)])
    try:
        _validate_units(units, options.by_id, options.agency)
    except DataError as exc:
        problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    units = units.astype({"_period": object, "_unit": object, "_parent": object})
    units["_parent"] = units["_parent"].where(units["_parent"].notna(), None)
    return units, computed


def _feeds(
    computed: Mapping[str, list[dict[str, Any]]],
    routes: Mapping[str, str],
    unit_piece: Mapping[tuple[str, str], int],
    n_pieces: int,
    options: DistributedOptions,
) -> tuple[dict[str, tuple[tuple[int, ...], ...]], list[Any]]:
    """Which partitions of each table feed which piece, and the references that may leave their piece; a row
    without a route or stored under a unit no piece holds is a problem (all of them at once)."""
    parts: dict[str, tuple[tuple[int, ...], ...]] = {}
    ref_frames = []
    problems = []
    for n, summaries in computed.items():
        feeds: list[list[int]] = [[] for _ in range(n_pieces)]
        for i, s in enumerate(summaries):
            if s["missing"]:
                problems.append(_without_route(n, routes[n], options.route, s["missing"], s["examples"]))
            hit = set()
            for pid, where in zip(s["keys"]["_period"], s["keys"]["_route"], strict=True):
                k = unit_piece.get((str(pid), str(where)))
                if k is None:
                    problems.append(_unrouted(n, routes[n], str(pid), str(where), options.by_id))
                else:
                    hit.add(k)
            for k in hit:
                feeds[k].append(i)
            if "refs" in s:
                ref_frames.append(s["refs"])
        parts[n] = tuple(tuple(f) for f in feeds)
    if problems:
        raise DataError(problems)
    return parts, ref_frames


def _without_route(name: str, column: str, route: str, count: int, examples: list[str | None]) -> Problem:
    owner = OWNER[name][0]
    shown = ", ".join(repr(x) for x in examples)
    if column != route and name not in ("employees", "surveys"):  # routed by looking its owner up
        what = "RHK" if owner == "rhk_id" else "employee"
        message = f"{count} row(s) whose {owner} is no {what} of the period (e.g. {shown}): they cannot be routed"
    else:
        message = f"{count} row(s) without a period or a {column!r} (e.g. {owner} {shown}): they cannot be routed"
    return Problem(message, source=name, field=column)


def _unrouted(name: str, route: str, period: str, where: str, periods: Mapping[str, Period]) -> Problem:
    if period not in periods:
        return Problem(f"period {period!r} is not among the periods given", source=name, field=PERIOD)
    return Problem(
        f"rows stored under unit {where!r} ({route}), which is not in the units table of period {period}",
        source=f"{period}/{name}",
        field=route,
    )
