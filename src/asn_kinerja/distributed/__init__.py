"""Evaluation over Dask DataFrames: many periods of a national civil service, beyond one machine's memory.

The dataset tables (``units``, ``employees``, ``rhk``, ``indicators`` and optionally ``ratings``, ``evaluations``,
``surveys``, ``adjustments``; the columns of the CSV format) are given as Dask DataFrames with a ``period`` column,
each period defined by a :class:`~asn_kinerja.model.Period`. The work is cut into independent **pieces**, one per
period and group of whole unit subtrees, and each piece goes through the single-machine engine
(:func:`~asn_kinerja.dataset.frames.from_frames`, :func:`~asn_kinerja.evaluate`,
:meth:`~asn_kinerja.Evaluation.to_frame`) as one Dask task. Needs the ``dask`` extra
(``pip install 'asn_kinerja[dask]'``); Dask is imported only when these functions are called.

What the functions share (the periods, the agency, the rating scale, how the pieces are cut and routed) is one
:class:`DistributedOptions`. The package is in layers: :mod:`~asn_kinerja.distributed.planning` cuts the pieces
(with :mod:`~asn_kinerja.distributed.routing`, which finds where each row and each guest goes),
:mod:`~asn_kinerja.distributed.assembly` makes and evaluates one piece, and :mod:`~asn_kinerja.distributed.api`
holds the public functions that turn a plan into Dask tasks.

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
>>> options = DistributedOptions(periods=periods, agency="Sintetis", level=1, piece_size=40)
>>> frame = evaluate_dask(policy, tables, options)
>>> result = frame.compute(scheduler="synchronous")
>>> len(result), sorted(result["period"].unique())
(240, ['2025-S1', '2025-S2'])
"""

from asn_kinerja.distributed.api import DaskComparison, compare_dask, evaluate_dask, to_dask, unit_reports_dask
from asn_kinerja.distributed.keys import TABLES
from asn_kinerja.distributed.options import DistributedOptions
from asn_kinerja.distributed.planning import Piece, Plan, plan_pieces

__all__ = [
    "TABLES",
    "DaskComparison",
    "DistributedOptions",
    "Piece",
    "Plan",
    "compare_dask",
    "evaluate_dask",
    "plan_pieces",
    "to_dask",
    "unit_reports_dask",
]
