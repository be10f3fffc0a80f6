"""The public functions: one Dask task per piece of the plan, and the lazy frames of their results."""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from asn_kinerja.distributed.assembly import (
    PieceSpec,
    changed_rows,
    checked_policy,
    employees_frame,
    empty_evaluation,
    piece_comparison,
    piece_evaluation,
    piece_units,
    transition_rows,
    unit_rows,
)
from asn_kinerja.distributed.keys import PERIOD, require
from asn_kinerja.distributed.options import DistributedOptions, resolve_options
from asn_kinerja.distributed.planning import Plan, plan_pieces
from asn_kinerja.model import Predikat
from asn_kinerja.policy.model import Policy

__all__ = ["DaskComparison", "compare_dask", "evaluate_dask", "to_dask", "unit_reports_dask"]


def _tasks(
    run: Callable[..., Any],
    policies: tuple[Policy, ...],
    tables: Mapping[str, Any],
    opts: DistributedOptions,
    plan: Plan | None,
    nout: int | None = None,
) -> list[Any]:
    """One delayed task per piece of the plan (``plan``, or made now by :func:`plan_pieces`):
    ``run(spec, policies, units, guests, parts)``, with ``policies`` the one policy or the pair."""
    for policy in policies:
        checked_policy(policy)
    plan = plan or plan_pieces(tables, opts)
    dask = require("dask")
    delayed_parts = {name: frame.to_delayed() for name, frame in plan.tables.items() if name != "units"}
    units = plan.units
    task = dask.delayed(functools.partial(_collection_paused, run), pure=True, nout=nout)
    shared = dask.delayed(policies[0] if len(policies) == 1 else policies, pure=True)
    out = []
    for piece in plan.pieces:
        guests = plan.guests.get(piece.index)
        wanted = set(piece.units)
        if guests is not None:
            wanted |= set(guests["unit_id"].dropna())
        rows = units[(units["_period"] == piece.period.id) & units["_unit"].isin(wanted)]
        rows = rows.assign(parent_id=rows["_parent"].where(rows["_parent"].isin(wanted), None))
        rows = rows.drop(columns=["_period", "_unit", "_parent", "_piece", PERIOD]).reset_index(drop=True)
        parts = {
            name: [delayed_parts[name][i] for i in plan.parts[name][piece.index]]
            for name in delayed_parts
            if plan.parts[name][piece.index]
        }
        spec = PieceSpec(piece, opts.agency, opts.scale, plan.routes, opts.route)
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


def _lazy(tasks: Sequence[Any], meta: Any) -> Any:
    """The pieces' frames as one lazy Dask DataFrame (one partition per piece; an empty one without pieces)."""
    dd = require("dask.dataframe")
    return dd.from_delayed(list(tasks), meta=meta, verify_meta=False) if tasks else dd.from_pandas(meta, npartitions=1)


def evaluate_dask(
    policy: Policy,
    tables: Mapping[str, Any],
    options: DistributedOptions | None = None,
    *,
    plan: Plan | None = None,
    **keywords: Any,
) -> Any:
    """Evaluate every employee of every period: a lazy ``dask.dataframe.DataFrame`` with the columns of
    :meth:`~asn_kinerja.Evaluation.to_frame` after a first column ``period``, one partition per piece (rows of a
    piece in the order of its employees). Planning (:func:`plan_pieces`, or ``plan`` given) runs a few small
    computations now; the evaluation runs when the frame is computed. See the module for how pieces are cut.

    ``options`` (a :class:`DistributedOptions`) may be left out where a ``plan`` is given: the plan's are used.
    The keyword arguments ``periods``, ``agency``, ``scale``, ``level``, ``piece_size`` and ``route`` in place of
    ``options`` are deprecated (a ``DeprecationWarning``); the same holds for the functions below."""
    require("dask.dataframe")
    opts = resolve_options("evaluate_dask", options, plan, keywords)
    tasks = _tasks(piece_evaluation, (policy,), tables, opts, plan)
    return _lazy(tasks, employees_frame(empty_evaluation(policy), 0, "-"))


def unit_reports_dask(
    policy: Policy,
    tables: Mapping[str, Any],
    options: DistributedOptions | None = None,
    *,
    plan: Plan | None = None,
    **keywords: Any,
) -> Any:
    """Per unit and period, as :meth:`~asn_kinerja.Evaluation.units` gives it: ``period``, then the columns of the
    units' result table (:func:`~asn_kinerja.engine.organisation.unit_table`): ``unit_id``, ``name``,
    ``predikat_organisasi`` with ``predikat_organisasi_label`` beside it, ``n``, the count of each predikat (columns
    named by its id, integers), ``guidance`` (``ok``, ``violated`` or empty) and ``violations`` (empty where the unit
    has no guidance): a lazy Dask DataFrame. A unit is never split over pieces, so its
    distribution check sees all its staff."""
    require("dask.dataframe")
    opts = resolve_options("unit_reports_dask", options, plan, keywords)
    tasks = _tasks(piece_units, (policy,), tables, opts, plan)
    return _lazy(tasks, unit_rows([], "-"))


@attrs.frozen(eq=False)
class DaskComparison:
    """Two policies over the same tables, lazily: ``changes`` (a Dask DataFrame: one row per employee and period
    whose predikat or a rating differs — ``period``, ``employee_id``, ``unit_id``, ``predikat_a``, ``predikat_b``,
    ``direction`` and the ratings, capaian and published perilaku score under A and B) and ``transitions`` (a Dask
    DataFrame indexed by ``period``, ``predikat_a`` and its label ``predikat_a_label``, a column per predikat under B
    named by its identifier: the counts summed over the pieces, ``transitions.loc[period]`` the period's matrix).
    :meth:`compute` computes both in one pass over the pieces."""

    policy_a: Policy
    policy_b: Policy
    changes: Any
    transitions: Any

    def compute(self, **kwargs: Any) -> tuple[Any, Any]:
        """``(changes, transitions)`` as pandas DataFrames, sharing one evaluation of each piece."""
        dask = require("dask")
        changes, transitions = dask.compute(self.changes, self.transitions, **kwargs)
        return changes, transitions


def compare_dask(
    policy_a: Policy,
    policy_b: Policy,
    tables: Mapping[str, Any],
    options: DistributedOptions | None = None,
    *,
    plan: Plan | None = None,
    **keywords: Any,
) -> DaskComparison:
    """Compare two policies (both of the permenpanrb-6-2022 regime) over every period, piece by piece: each
    piece is evaluated under both and gives its changed employees and its transition counts; the counts are
    summed per period. As :func:`asn_kinerja.compare` without the per-step explanations and the rank agreement
    (which need the whole period at once)."""
    require("dask.dataframe")
    opts = resolve_options("compare_dask", options, plan, keywords)
    tasks = _tasks(piece_comparison, (policy_a, policy_b), tables, opts, plan, nout=2)
    empty = empty_evaluation(policy_a)
    changes = _lazy([t[0] for t in tasks], changed_rows(empty, empty, 0, "-"))
    rows = _lazy(
        [t[1] for t in tasks], transition_rows("-", np.zeros((len(Predikat), len(Predikat)), dtype=np.int64)).iloc[:0]
    )
    transitions = rows.groupby([PERIOD, "predikat_a", "predikat_a_label"], observed=True, sort=True).sum()
    return DaskComparison(policy_a, policy_b, changes, transitions)


# --- inputs -----------------------------------------------------------------------------------------------------


def to_dask(tables: Mapping[str, Any], *, npartitions: int = 1) -> dict[str, Any]:
    """pandas tables (a ``period`` column each) as Dask DataFrames of ``npartitions`` partitions each, rows split
    in their order (a unit may well be split over two partitions: the plan gathers it)."""
    dd = require("dask.dataframe")
    return {
        name: dd.from_pandas(frame, npartitions=max(1, min(npartitions, len(frame) or 1)), sort=False)
        for name, frame in tables.items()
        if frame is not None
    }
