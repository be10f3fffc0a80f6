"""Assembly: one piece's partitions and guests made into a validated dataset, evaluated by the single-machine
engine, and its results cut to the piece's own employees and units (frames with a first column ``period``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from asn_kinerja.comparison import paired_frame
from asn_kinerja.dataset.frames import from_frames
from asn_kinerja.distributed.keys import OWNER, PERIOD, REQUIRED, TABLES, as_text, has, isin, prefixed, require
from asn_kinerja.distributed.planning import Piece
from asn_kinerja.engine.evaluate import evaluate
from asn_kinerja.engine.organisation import UnitReport, unit_table
from asn_kinerja.engine.result import Evaluation
from asn_kinerja.errors import DataError, Problem
from asn_kinerja.model import Period, Predikat
from asn_kinerja.policy.model import Policy

if TYPE_CHECKING:
    from asn_kinerja.regimes.permenpanrb_6_2022 import PermenpanrbPolicy

__all__ = [
    "PieceSpec",
    "changed_rows",
    "checked_policy",
    "employees_frame",
    "empty_evaluation",
    "piece_comparison",
    "piece_evaluation",
    "piece_units",
    "transition_rows",
    "unit_rows",
]


@attrs.frozen
class PieceSpec:
    """What a piece task needs besides its partitions."""

    piece: Piece
    agency: str
    scale: tuple[Decimal, Decimal]
    routes: Mapping[str, str]
    route: str


def _assemble(spec: PieceSpec, units: Any, guests: Any, parts: Mapping[str, list[Any]]) -> tuple[Any, int]:
    """The piece's dataset (validated) and how many of its employees are its own (the first rows)."""
    pd = require("pandas")
    piece = spec.piece
    pid = piece.period.id
    frames: dict[str, Any] = {}
    for name, chunks in parts.items():
        route = spec.routes[name]
        frame = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0].reset_index(drop=True)
        keep = (as_text(frame[PERIOD]) == pid).fillna(False).to_numpy(dtype=bool) & isin(frame[route], piece.units)
        frame = frame[keep]
        drop = [c for c in (PERIOD, route, spec.route, "_piece") if has(frame, c) and c not in ("unit_id",)]
        frames[name] = frame.drop(columns=drop).reset_index(drop=True)
    problems = _misrouted(frames, piece, spec)
    employees = frames.get("employees")
    n_own = 0 if employees is None else len(employees)
    if guests is not None and len(guests):
        ids = (
            guests["employee_id"]
            if employees is None
            else pd.concat([as_text(employees["employee_id"]), guests["employee_id"]])
        )
        superior = guests["superior_id"].where(isin(guests["superior_id"], ids), None)
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
        raise DataError(prefixed(problems, pid))
    tables: dict[str, Any] = {name: _arrow(frames.get(name)) for name in TABLES if name != "units"}
    for name in REQUIRED[1:]:
        if tables[name] is None:
            tables[name] = pd.DataFrame()
    try:
        dataset = from_frames(agency=spec.agency, period=piece.period, scale=spec.scale, units=units, **tables)
    except DataError as exc:
        raise DataError(prefixed(exc.problems, pid)) from None
    return dataset, n_own


def _arrow(frame: Any) -> Any:
    """A piece's table as an Arrow table for validation (text columns dictionary-encoded by Arrow, as fast as
    the single-machine Arrow input); ``None`` stays ``None``."""
    if frame is None:
        return None
    pa = require("pyarrow")
    return pa.Table.from_pandas(frame, preserve_index=False)


def _misrouted(frames: Mapping[str, Any], piece: Piece, spec: PieceSpec) -> list[Problem]:
    """Rows whose owner is not in the piece they were routed to: stored under the wrong unit, or an owner that
    does not exist (a row is never given to a guest, or left out of its owner's evaluation)."""
    own: dict[str, Any] = {"units": piece.units}
    for name, key in (("employees", "employee_id"), ("rhk", "rhk_id")):
        frame = frames.get(name)
        own[name] = [] if frame is None or not has(frame, key) else as_text(frame[key])
    words = {"units": "unit", "employees": "employee", "rhk": "RHK"}
    problems: list[Problem] = []
    for name, frame in frames.items():
        column, into = OWNER[name]
        if not has(frame, column):
            continue
        owner = as_text(frame[column])
        bad = np.flatnonzero(owner.notna().to_numpy(dtype=bool, na_value=False) & ~isin(owner, own[into]))
        if not len(bad):
            continue
        key = _KEYS.get(name, column)
        records = as_text(frame[key]) if has(frame, key) else owner
        what = words[into]
        for row in bad:
            record = records.iloc[row]
            problems.append(
                Problem(
                    f"{what} {owner.iloc[row]!r} is not in the piece this row was routed to by "
                    f"{spec.routes[name]!r} (units {_units_text(piece)}): the row is stored under another unit than "
                    f"its {what}'s, or the {what} does not exist",
                    source=name,
                    record=None if record is None or record is require("pandas").NA else str(record),
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
        raise DataError(prefixed(exc.problems, period)) from None
    assert isinstance(result, Evaluation)
    return result


def employees_frame(evaluation: Evaluation, n_own: int, period: str) -> Any:
    frame = evaluation.to_frame().iloc[:n_own].reset_index(drop=True)
    frame.insert(0, PERIOD, period)
    return frame


def piece_evaluation(spec: PieceSpec, policy: Policy, units: Any, guests: Any, parts: Mapping[str, list[Any]]) -> Any:
    dataset, n_own = _assemble(spec, units, guests, parts)
    return employees_frame(_evaluate(policy, dataset, spec.piece.period.id), n_own, spec.piece.period.id)


def piece_units(spec: PieceSpec, policy: Policy, units: Any, guests: Any, parts: Mapping[str, list[Any]]) -> Any:
    dataset, _ = _assemble(spec, units, guests, parts)
    evaluation = _evaluate(policy, dataset, spec.piece.period.id)
    return unit_rows([u for u in evaluation.units() if u.unit_id in spec.piece.units], spec.piece.period.id)


def unit_rows(reports: Sequence[UnitReport], period: str) -> Any:
    """The units as the result table gives them to machines (:func:`~asn_kinerja.engine.organisation.unit_table`:
    identifiers with the official labels beside them), after a first column ``period``; the counts as integers."""
    frame = unit_table(reports).to_frame()
    frame.insert(0, PERIOD, period)
    return frame.astype({"n": np.int64, **{p.value: np.int64 for p in Predikat}})


def piece_comparison(
    spec: PieceSpec, policies: tuple[Policy, Policy], units: Any, guests: Any, parts: Mapping[str, list[Any]]
) -> tuple[Any, Any]:
    """The piece under two policies: its changed employees (frame) and its transition counts (5 × 5)."""
    dataset, n_own = _assemble(spec, units, guests, parts)
    pid = spec.piece.period.id
    a, b = (_evaluate(p, dataset, pid) for p in policies)
    kinds = len(Predikat)
    pa, pb = a.predikat[:n_own].astype(np.int64), b.predikat[:n_own].astype(np.int64)
    both = (pa >= 0) & (pb >= 0)
    transitions = np.bincount(pa[both] * kinds + pb[both], minlength=kinds * kinds).reshape(kinds, kinds)
    return changed_rows(a, b, n_own, pid), transition_rows(pid, transitions)


def transition_rows(period: str, counts: Any) -> Any:
    """A piece's transition counts as rows: ``period``, ``predikat_a`` (the identifier under A) with its label
    ``predikat_a_label`` beside it, and one count column per predikat under B, named by its identifier. Both
    predikat columns are ordered categoricals in code order (best first), so that rows sort as the matrix."""
    pd = require("pandas")
    ids = [p.value for p in Predikat]
    labels = [p.label for p in Predikat]
    frame = pd.DataFrame(counts.astype(np.int64), columns=ids)
    frame.insert(0, "predikat_a_label", pd.Categorical(labels, categories=labels, ordered=True))
    frame.insert(0, "predikat_a", pd.Categorical(ids, categories=ids, ordered=True))
    frame.insert(0, PERIOD, pd.array([period] * len(ids), dtype="string"))
    return frame


def changed_rows(a: Evaluation, b: Evaluation, n_own: int, period: str) -> Any:
    """Employees whose predikat or a rating differs, dataset order: ``period``, then the columns of
    :meth:`Comparison.to_frame <asn_kinerja.Comparison.to_frame>` (:func:`asn_kinerja.comparison.paired_frame`)."""
    changed = (
        (a.predikat[:n_own] != b.predikat[:n_own])
        | (a.rating_hasil_kerja[:n_own] != b.rating_hasil_kerja[:n_own])
        | (a.rating_perilaku_kerja[:n_own] != b.rating_perilaku_kerja[:n_own])
    )
    frame = paired_frame(a, b, np.flatnonzero(changed))
    frame.insert(0, PERIOD, period)
    return frame


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


def empty_evaluation(policy: Policy) -> Evaluation:
    """The policy's evaluation of no one: the columns and types of an output, for Dask's ``meta``."""
    pk = checked_policy(policy).rules.perilaku_kerja
    scale = (pk.scale.min, pk.scale.max)
    period = Period("-", dt.date(2000, 1, 1), dt.date(2000, 12, 31))
    return _evaluate(policy, _empty_dataset("-", period, scale), "-")


def checked_policy(policy: Policy) -> PermenpanrbPolicy:
    from asn_kinerja.regimes.permenpanrb_6_2022 import population_policy

    return population_policy(policy, "distributed evaluation")
