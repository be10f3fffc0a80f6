"""The per-employee details of an evaluation, published column by column: the self-rating and the self − others
gap, each rater group's raters, score and spread, the unit's citizen index, the development themes.

They are computed from the engine's float cells and settled exactly where a figure lies within the tolerance of a
rounding tie (:func:`publish`): those few rows take the exact path of :class:`~asn_kinerja.engine.result.Evaluation`
(:meth:`~asn_kinerja.engine.result.Evaluation.group_summary` and the self figures), so every published figure equals
the exact one. The privacy rules are those of the exact path: an anonymous group's score and spread, the gap where
the others count an anonymous group, and the citizen index are withheld unless the policy publishes every figure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from asn_kinerja.engine import cells
from asn_kinerja.engine.settle import MISSING, ambiguous
from asn_kinerja.engine.strategies import ANONYMOUS, POOL
from asn_kinerja.engine.table import (
    Coded,
    Column,
    ResultTable,
    coded_objects,
    distinct_values,
    json_field,
    json_objects,
    json_text,
    labelled,
    positions,
    text_values,
)
from asn_kinerja.model import RaterGroup

if TYPE_CHECKING:
    from asn_kinerja.engine.result import Evaluation

__all__ = [
    "adjustment_json",
    "citizen_json",
    "development_json",
    "employee_table",
    "group_codes",
    "group_json",
    "publish",
    "self_figures",
]

F = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Obj = npt.NDArray[np.object_]


def publish(approx: F, exact: Callable[[int], Decimal | None], *, places: int = 2) -> I64:
    """Published figures scaled by ``10**places`` (half-up), ``MISSING`` where NaN; rows within the tolerance of a
    rounding tie take ``exact(row)`` (a figure already rounded to ``places``).

    >>> publish(np.array([2.344, np.nan, 0.125]), lambda row: Decimal("0.13")).tolist()[::2]
    [234, 13]
    """
    valid = ~np.isnan(approx)
    a = np.where(valid, approx, 0.0)
    factor = 10.0**places
    out: I64 = (np.sign(a) * np.floor(np.abs(a) * factor + 0.5)).astype(np.int64)
    for row in np.flatnonzero(ambiguous(approx, (), places=places)).tolist():
        value = exact(row)
        out[row] = MISSING if value is None else int(value.scaleb(places))
    out[~valid] = MISSING
    return out


def self_figures(ev: Evaluation) -> tuple[I64, I64]:
    """Per employee (dataset row order): the self-rating and the published self − others gap, scaled by 100."""
    b = ev._behaviour
    own = publish(b.self_score, lambda row: ev._self_figures(row)["self_score"])
    with np.errstate(invalid="ignore"):
        gap_approx = np.where(ev._gap_withheld | np.isnan(b.self_score), np.nan, b.self_score - b.others)
    gap = publish(gap_approx, lambda row: ev._self_figures(row)["self_gap"])
    return own, gap


def _cell_spreads(ev: Evaluation, slots: list[int]) -> F:
    """The population standard deviation of each cell (ratee × slot × criterion) of the given slot positions (the
    second axis: ``slots`` in the order given), from the ratings that make the cell's value (the pool's being the
    pooled ones); NaN where empty. Each rating's cell is found a chunk of ratings at a time (:func:`_wanted_cells`);
    then the count and sum of each cell, and the sum of squared deviations from its mean, each taken in rating order
    (as ``np.bincount`` takes them). A cell of one rating deviates from nothing: where no wanted cell holds more than
    one (a supervisor-only policy), the engine's counts of the cells tell every spread (0, or NaN where empty) and
    the ratings are not read again; elsewhere only the ratings of cells holding several are taken a second time."""
    b = ev._behaviour
    if POOL not in b.slots:  # the engine's cells are the wanted ones: its counts are theirs
        counts = b.slot_counts[:, slots, :]
        if not counts.size or counts.max() <= 1:
            return np.where(counts > 0, 0.0, np.nan)
    return _spreads_from_ratings(ev, slots)


def _spreads_from_ratings(ev: Evaluation, slots: list[int]) -> F:
    """:func:`_cell_spreads` from the ratings, whatever the cells' counts."""
    n, _, criteria = ev._behaviour.slot_counts.shape
    size = n * len(slots) * criteria
    key, x = _collected(ev, slots)
    counts = np.bincount(key, minlength=size).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(key, weights=x, minlength=size).astype(np.float64, copy=False)  # int64 when empty
        np.divide(mean, counts, out=mean)
        spread = np.zeros(size, dtype=np.float64)
        several = np.take(counts > 1, key)
        if not several.all():
            key, x = key[several], x[several]
        dev = np.empty(min(len(key), cells.CHUNK), dtype=np.float64)
        for start in range(0, len(key), cells.CHUNK):
            at, d = key[start : start + cells.CHUNK], dev[: min(cells.CHUNK, len(key) - start)]
            np.take(mean, at, out=d)
            np.subtract(x[start : start + cells.CHUNK], d, out=d)
            np.multiply(d, d, out=d)
            np.add.at(spread, at, d)
        np.divide(spread, counts, out=spread)
        np.sqrt(spread, out=spread)
    return spread.reshape(n, len(slots), criteria)


def _collected(ev: Evaluation, slots: list[int]) -> tuple[I64, F]:
    """The cell and the score of each rating counted in a wanted slot, in rating order (the arrays are made at the
    size of all ratings, their pages touched only as far as they are filled)."""
    count = len(ev.dataset.ratings.score)
    key, x = np.empty(count, dtype=np.int64), np.empty(count, dtype=np.float64)
    filled = 0
    for at, scores in _wanted_cells(ev, slots):
        key[filled : filled + len(at)] = at
        x[filled : filled + len(at)] = scores
        filled += len(at)
    return key[:filled], x[:filled]


def _wanted_cells(ev: Evaluation, slots: list[int]) -> Iterator[tuple[I64, F]]:
    """Per chunk of ratings, in order: the cell among ratee × wanted slot × criterion (the positions of
    :func:`_cell_spreads`'s arrays) and the score of each rating counted in a wanted slot — the engine's cells of
    :class:`~asn_kinerja.engine.cells.CellKeys` (the pool holding the ratings of cells below their minimum), of the
    groups whose ratings may count in a wanted slot, moved to the wanted slots' positions."""
    from asn_kinerja.engine.evaluate import criterion_index

    b, pk, rt = ev._behaviour, ev.rules.perilaku_kerja, ev.dataset.ratings
    n, k, criteria = b.slot_counts.shape
    criterion, unknown = criterion_index(list(pk.criteria), rt)
    assert not len(unknown), "an evaluation's ratings are of the policy's criteria"
    pooled = bool(b.slots) and b.slots[-1] == POOL
    slot_of = np.full(len(RaterGroup) + 1, -1, dtype=np.int8)  # the groups that may count in a wanted slot
    for s, g in enumerate(b.slots):
        if g != POOL and (s in slots or (pooled and k - 1 in slots)):
            slot_of[g] = s
    keys = cells.CellKeys(rt.ratee, rt.group, criterion, slot_of=slot_of, slots=k, criteria=criteria, n=n)
    if pooled:  # a group below its minimum counts in the pool, the last slot
        mins = np.array([1 if g == POOL else pk.minimum(RaterGroup.from_code(g)) for g in b.slots])
        keys = keys.with_pool((b.slot_counts > 0) & (b.slot_counts < mins[None, :, None]))
    # a ratee's engine cell (slot × criteria + criterion) → its wanted position's, -1 where the slot is not wanted
    moved = np.full((k, criteria), -1, dtype=np.int64)
    moved[slots] = np.arange(len(slots) * criteria).reshape(len(slots), criteria)
    same = slots == list(range(k))
    for part, key, sel in keys.chunks():
        x = rt.score[part] if sel is None else rt.score[part][sel]
        if same:
            yield key, x
            continue
        ratee, cell = np.divmod(key, k * criteria)
        cell = moved.reshape(-1)[cell]
        ratee *= len(slots) * criteria
        ratee += cell
        wanted = cell >= 0
        yield ratee[wanted], x[wanted]


def _mean_over_shown(values: F, shown: npt.NDArray[np.bool_]) -> F:
    count = shown.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out: F = np.where(count > 0, np.where(shown, values, 0.0).sum(axis=1) / np.maximum(count, 1), np.nan)
    return out


def _int_codes(values: npt.NDArray[np.integer[Any]]) -> Coded:
    """Integers as coded JSON texts: one formatting per distinct value."""
    uniq, inverse = distinct_values(values)
    return Coded(np.array([str(int(v)) for v in uniq.tolist()], dtype=object), inverse)


def _figure_codes(scaled: I64) -> Coded:
    """Published figures (scaled by 100) as coded JSON texts."""
    texts = json_field(Column.figure("figure", scaled))
    return texts if isinstance(texts, Coded) else Coded(texts, np.arange(len(texts), dtype=np.intp))


def group_json(ev: Evaluation, rows: npt.NDArray[np.intp], *, indent: int | None, level: int = 0) -> Obj:
    """Per employee of ``rows``: the ``perilaku_groups`` object as JSON text made at ``level`` (see
    :meth:`~asn_kinerja.engine.result.Evaluation.group_summary` for what it holds)."""
    return group_codes(ev, rows, indent=indent, level=level).values()


def group_codes(ev: Evaluation, rows: npt.NDArray[np.intp], *, indent: int | None, level: int = 0) -> Coded:
    """The texts of :func:`group_json` as :class:`~asn_kinerja.engine.table.Coded`: each object made once per
    combination of the groups' states, raters, scores and spreads that occurs. The figures are computed for every
    employee in dataset order (no gather of the cells), then taken at ``rows``."""
    b = ev._behaviour
    pk = ev.rules.perilaku_kerja
    slots = list(b.slots)
    public = [
        s for s, g in enumerate(slots) if ev._publishes_all or (g != POOL and RaterGroup.from_code(g) not in ANONYMOUS)
    ]
    spreads = _cell_spreads(ev, public) if public else None
    n = len(rows)
    fields: list[tuple[str, Coded]] = []
    for s, g in enumerate(slots):
        group = None if g == POOL else RaterGroup.from_code(g)
        name = "lainnya" if group is None else group.value
        # Per employee in dataset order (no gather of the cells), then taken in output order.
        shown = b.slot_shown[:, s, :]
        shown_all = np.asarray(shown.any(axis=1))
        counted = shown_all if group is None else np.asarray(b.slot_counts[:, s, :].sum(axis=1) > 0)
        present, shown_any = counted[rows], shown_all[rows]
        hidden = {"shown": "false", "minimum": str(1 if group is None else pk.minimum(group))}
        at = np.flatnonzero(present & shown_any)
        rows_at = rows[at]
        raters = _int_codes(np.where(shown, b.slot_used[:, s, :], 0).max(axis=1)[rows_at])
        if s in public and spreads is not None:
            scores = publish(
                _mean_over_shown(b.slot_value[:, s, :], shown)[rows_at], _exact_group(ev, rows_at, name, "score")
            )
            spread = publish(
                _mean_over_shown(spreads[:, public.index(s), :], shown)[rows_at],
                _exact_group(ev, rows_at, name, "spread"),
            )
            score_text, spread_text = _figure_codes(scores), _figure_codes(spread)
        else:
            score_text = spread_text = Coded(np.array(["null"], dtype=object), np.zeros(len(at), dtype=np.intp))
        objects = coded_objects(
            [
                ("shown", Coded(np.array(["true"], dtype=object), np.zeros(len(at), dtype=np.intp))),
                ("raters", raters),
                ("score", score_text),
                ("spread", spread_text),
            ],
            len(at),
            indent=indent,
            level=level + 1,
        )
        # Position 0: no such group for the row (the key left out); 1: a group below its minimum; then the objects.
        texts = np.array([None, _object(hidden, indent, level + 1), *objects.texts.tolist()], dtype=object)
        codes = np.zeros(n, dtype=np.intp)
        codes[present & ~shown_any] = 1
        codes[at] = 2 + objects.codes
        fields.append((name, Coded(texts, codes)))
    return coded_objects(fields, n, indent=indent, level=level)


def _exact_group(ev: Evaluation, rows: npt.NDArray[np.intp], name: str, key: str) -> Callable[[int], Decimal | None]:
    """The exact path's figure ``key`` of the group ``name`` for the i-th of ``rows``."""

    def exact(i: int) -> Decimal | None:
        value: Decimal | None = ev.group_summary(int(rows[i]))[name][key]
        return value

    return exact


def _object(fields: dict[str, str], indent: int | None, level: int) -> str:
    return str(
        json_objects([(k, np.array([v], dtype=object)) for k, v in fields.items()], 1, indent=indent, level=level)[0]
    )


def _coded_column(name: str, coded: Coded, level: int) -> Column:
    return Column.coded(name, coded.texts, coded.codes, "json", level=level)


def citizen_json(ev: Evaluation, rows: npt.NDArray[np.intp], *, indent: int | None, level: int = 0) -> Column:
    """The ``citizen`` column: per employee of ``rows``, the citizen object of the employee's unit as JSON text
    made at ``level`` (``null`` without citizen rules), made once per unit."""
    from asn_kinerja.engine.result import citizen_json_ready

    unit = ev.dataset.employees.unit[rows]
    per_unit = np.empty(len(ev.dataset.units) + 1, dtype=object)
    per_unit[:] = "null"
    for u in np.unique(unit).tolist():
        summary = citizen_json_ready(ev.unit_citizen_summary(int(u)))
        per_unit[u] = json_text(summary, indent=indent, level=level)
    return Column.coded("citizen", per_unit, unit, "json", level=level)


def development_json(ev: Evaluation, rows: npt.NDArray[np.intp], *, indent: int | None, level: int = 0) -> Column:
    """The ``development`` column: per employee of ``rows``, the development themes as a JSON list made at
    ``level`` (its CSV text the themes joined by ``"; "``), made once per distinct pattern of weak values."""
    weak = ev.development_needs[rows]
    if not weak.shape[1] or ev.policy.development is None:
        none = np.zeros(len(rows), dtype=np.intp)
        return Column(
            "development",
            np.full(len(rows), "[]", dtype=object),
            "json",
            np.full(len(rows), None),
            np.array(["[]"], dtype=object),
            none,
            level,
        )
    patterns, inverse = _patterns(weak)
    themes = [ev.themes_of(p) for p in patterns]
    texts = np.array([json_text(list(t), indent=indent, level=level) for t in themes], dtype=object)
    joined = np.array(["; ".join(t) or None for t in themes], dtype=object)
    return Column("development", None, "json", joined[inverse], texts, positions(inverse, len(texts)), level)


def _patterns(flags: npt.NDArray[np.bool_]) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.intp]]:
    """The distinct rows of a boolean matrix (as bits of one integer per row) and each row's index among them.

    >>> patterns, inverse = _patterns(np.array([[True, False], [False, False], [True, False]]))
    >>> patterns.tolist(), inverse.tolist()
    ([[False, False], [True, False]], [1, 0, 1])
    """
    bits = flags.astype(np.int64) @ (np.int64(1) << np.arange(flags.shape[1], dtype=np.int64))
    codes, inverse = distinct_values(bits)
    patterns = (codes[:, None] >> np.arange(flags.shape[1])) & 1
    return patterns.astype(bool), inverse


def adjustment_json(ev: Evaluation, rows: npt.NDArray[np.intp], *, indent: int | None, level: int = 0) -> Column:
    """The ``adjustment`` column: per employee of ``rows``, the adjustment (keberatan) applied as JSON text made
    at ``level``, else ``null`` (one text per adjustment record, not per employee)."""
    from asn_kinerja.engine.result import adjustment_dict

    texts = np.empty(len(ev.dataset.adjustments) + 1, dtype=object)
    texts[:-1] = [json_text(adjustment_dict(a), indent=indent, level=level) for a in ev.dataset.adjustments]
    texts[-1] = "null"
    return Column.coded("adjustment", texts, ev.adjustment[rows], "json", level=level)


def _shared_objects(name: str, values: Obj) -> Column:
    """A text column of values that rows share as objects (each angka kredit is one object per distinct jenjang and
    predikat): the text of each distinct object made once, in the order of their first rows, the objects told apart
    by identity (so that equal values written differently, such as ``Decimal("5.0")`` and ``Decimal("5.00")``, keep
    their own texts).

    >>> from decimal import Decimal
    >>> a, b = Decimal("5.0"), Decimal("5.00")
    >>> column = _shared_objects("x", np.array([a, None, b, a], dtype=object))
    >>> column.table.tolist(), column.codes.tolist()
    (['5.0', None, '5.00'], [0, 1, 2, 0])
    """
    identity = np.fromiter(map(id, values.tolist()), dtype=np.uintp, count=len(values))
    _, first, inverse = np.unique(identity, return_index=True, return_inverse=True)
    by_first = np.argsort(first)  # the distinct objects in the order of their first rows (not of their addresses)
    rank = np.empty(len(first), dtype=np.intp)
    rank[by_first] = np.arange(len(first))
    return Column.coded(name, text_values(values[first[by_first]]), rank[inverse.ravel()])


def employee_table(ev: Evaluation, *, details: bool = False, indent: int | None = 2, level: int = 0) -> ResultTable:
    """The evaluation as one result table in output order (by unit, then employee id): identifiers with the
    official labels beside them, the bases, the published figures and the privacy flag. ``details`` adds the
    nested per-employee details of the JSON output (rater groups, citizen index, adjustment), made for
    ``indent`` at ``level`` (that of the rows' fields where the table is written, so that they are placed as they
    are)."""
    from asn_kinerja.engine.frame import BASES
    from asn_kinerja.model import JenisJabatan, Predikat, Rating

    rows = ev.order()
    emp = ev.dataset.employees
    hk_basis = np.where(ev.hasil_kerja_given, 0, np.where(ev.hasil_kerja_from_organisation, 2, 1))[rows]
    bases = np.array(BASES, dtype=object)
    own, gap = self_figures(ev)
    ak = ev.angka_kredit[rows]
    columns = [
        Column.text("employee_id", emp.id[rows]),
        Column.text("name", emp.name[rows]),
        Column.coded("unit_id", text_values(ev.dataset.units.id), emp.unit[rows]),
        *labelled("jenis_jabatan", JenisJabatan, emp.jenis_jabatan[rows]),
        *labelled("rating_hasil_kerja", Rating, ev.rating_hasil_kerja[rows]),
        Column.coded("hasil_kerja_basis", bases, hk_basis),
        *labelled("rating_perilaku_kerja", Rating, ev.rating_perilaku_kerja[rows]),
        Column.coded("perilaku_kerja_basis", bases, np.where(ev.perilaku_kerja_given[rows], 0, 1)),
        *labelled("predikat", Predikat, ev.predikat[rows]),
        *labelled("predikat_matrix", Predikat, ev.predikat_matrix[rows]),
        Column.flag("adjusted", ev.adjustment[rows] >= 0),
        Column.figure("capaian", ev.capaian_scaled[rows]),
        Column.figure("perilaku_score", ev.perilaku_scaled[rows]),
        Column.figure("self_score", own[rows]),
        Column.figure("self_gap", gap[rows]),
        Column.flag("scores_withheld", ev.scores_withheld[rows]),
    ]
    if details:
        columns += [
            _coded_column("perilaku_groups", group_codes(ev, rows, indent=indent, level=level), level),
            citizen_json(ev, rows, indent=indent, level=level),
        ]
    columns.append(_shared_objects("angka_kredit", ak))
    columns.append(development_json(ev, rows, indent=indent, level=level))
    if details:
        columns.append(adjustment_json(ev, rows, indent=indent, level=level))
    return ResultTable(tuple(columns))
