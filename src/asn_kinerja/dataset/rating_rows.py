"""The rating rows that break a rule of who rates whom, found in one pass over the ratings.

A national dataset has some 42 ratings an employee (42 million rows at 1 000 000 employees). Every rule about a
rating's rater is checked here in a single pass of blocks of :data:`~asn_kinerja.dataset.columns.BLOCK` rows: each
block's columns are read once from memory and every test on them runs while they are in the processor's cache,
with temporaries the size of a block. Each rule is first decided on a cheap test that only says *whether* a block
may hold a problem; the exact rule runs only on the rows that test picks, so data without problems costs a few
comparisons a row and no Python per row.

The rules (:class:`RatingRows` holds the rows breaking each, in row order):

- *unknown*: an internal rater id that is not an employee of the agency (a service user's id is not looked up;
  nor is the atasan of an employee without ``superior_id``: a Pejabat Penilai outside the agency);
- *self_rated*: a self-rating in a group other than ``diri``;
- *diri*: a rating in group ``diri`` by someone other than the ratee;
- *atasan*: an atasan who is not the ratee's direct superior; *bawahan*: a bawahan who does not report to the
  ratee (where the superior is unresolved, ``-2``, it was reported once already and is not checked again).

>>> import numpy as np
>>> from asn_kinerja.model import RaterGroup
>>> ratee = np.array([0, 0, 1, 1], dtype=np.int32)
>>> found = np.array([0, 1, 1, -1], dtype=np.int32)  # rater rows (-1: not an employee)
>>> group = np.array([RaterGroup.DIRI.code, RaterGroup.DIRI.code, RaterGroup.ATASAN.code,
...                   RaterGroup.PENGGUNA_LAYANAN.code], dtype=np.int8)
>>> rows = scan_ratings(ratee, found, np.array([0, 1, 1, 2]), group, np.zeros(4, dtype=np.int32),
...                     superior=np.array([-1, -1], dtype=np.int32))
>>> rows.diri.tolist(), rows.atasan.tolist(), rows.unknown.tolist(), rows.complete, rows.increasing
([1], [2], [], True, True)
>>> found.tolist()  # a service user's rater is -1 once scanned (their id is kept as text only)
[0, 1, 1, -1]
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from asn_kinerja.dataset.columns import BLOCK
from asn_kinerja.model import RaterGroup

__all__ = ["RatingRows", "rises", "scan_ratings"]

Rows = npt.NDArray[np.intp]
Ints = npt.NDArray[np.integer[Any]]

_DIRI = RaterGroup.DIRI.code
_ATASAN = RaterGroup.ATASAN.code
_BAWAHAN = RaterGroup.BAWAHAN.code
_EXTERNAL = RaterGroup.PENGGUNA_LAYANAN.code


@attrs.frozen
class RatingRows:
    """What one pass over the ratings found: the rows breaking each rule (sorted), whether every rating has its
    ratee, rater id, group and criterion (``complete``) and whether the keys ``(ratee, rater id, criterion)``
    strictly increase row by row (``increasing``: then no rating repeats another)."""

    unknown: Rows
    self_rated: Rows
    diri: Rows
    atasan: Rows
    bawahan: Rows
    complete: bool
    increasing: bool


def scan_ratings(
    ratee: npt.NDArray[np.int32],
    found: npt.NDArray[np.int32],
    rater_codes: Ints,
    group: npt.NDArray[np.int8],
    criterion_codes: Ints,
    superior: npt.NDArray[np.int32],
) -> RatingRows:
    """The rows of the ratings breaking each rule, in one pass of blocks. ``found`` is each rating's rater row
    (``-1`` where the id is empty or not an employee); once a block is checked, its service users' raters are set
    to ``-1`` in place (their ids are kept as text only). ``superior``: each employee's superior row (``-1`` none,
    ``-2`` unresolved)."""
    parts: dict[str, list[Rows]] = {name: [] for name in ("unknown", "self", "diri", "atasan", "bawahan")}
    complete = increasing = True
    n = len(found)
    if not len(superior):  # no employee: no ratee is known, so no rule that looks a superior up holds for a row
        superior = np.full(1, -1, dtype=np.int32)

    def add(name: str, rows: Rows, start: int) -> None:
        if len(rows):
            parts[name].append(rows + start)

    for start in range(0, n, BLOCK):
        s = slice(start, min(start + BLOCK, n))
        r, f, g, k = ratee[s], found[s], group[s], rater_codes[s]
        complete = complete and min(int(r.min()), int(k.min()), int(g.min()), int(criterion_codes[s].min())) >= 0
        if int(f.min()) < 0:
            add("unknown", _unknown(r, f, g, k, superior), start)
        # A self-rating outside diri, or diri by another: the rater is the ratee exactly where the group is not
        # diri, or the other way round (a test that picks every such row, and more only where the ratee, the rater
        # or the group is missing, which the exact rules then drop).
        if bool(np.not_equal(f == r, g == _DIRI).any()):
            self_rows, diri = _self_and_diri(r, f, g, k)
            add("self", self_rows, start)
            add("diri", diri, start)
        add("atasan", _wrong_superior(g, _ATASAN, above=f, below=r, superior=superior), start)
        add("bawahan", _wrong_superior(g, _BAWAHAN, above=r, below=f, superior=superior), start)
        if increasing:
            before = slice(max(start - 1, 0), s.stop)
            increasing = rises(ratee[before], rater_codes[before], criterion_codes[before])
        f[g == _EXTERNAL] = -1
    unknown, self_rows, diri, atasan, bawahan = (
        np.concatenate(p) if p else np.empty(0, dtype=np.intp) for p in parts.values()
    )
    return RatingRows(unknown, self_rows, diri, atasan, bawahan, complete=complete, increasing=increasing)


def _unknown(r: Ints, f: Ints, g: Ints, k: Ints, superior: npt.NDArray[np.int32]) -> Rows:
    """Rows of a block whose internal rater id (given) is not an employee's; the atasan of a ratee without
    superior is not checked (a Pejabat Penilai outside the agency), nor is a service user."""
    rows = np.flatnonzero(f < 0)
    gr, rr = g[rows], r[rows]
    outside_atasan = (gr == _ATASAN) & (rr >= 0) & (superior[np.maximum(rr, 0)] == -1)
    out: Rows = rows[(k[rows] >= 0) & (gr != _EXTERNAL) & ~outside_atasan]
    return out


def _self_and_diri(r: Ints, f: Ints, g: Ints, k: Ints) -> tuple[Rows, Rows]:
    """Rows of a block rating themselves outside ``diri`` (both known, the group given), and rows of ``diri``
    whose rater (given) is not the ratee (known)."""
    self_rows = np.flatnonzero((f == r) & (f >= 0) & (g >= 0) & (g != _DIRI))
    diri = np.flatnonzero((g == _DIRI) & (k >= 0) & (r >= 0) & (f != r))
    return self_rows, diri


def _wrong_superior(g: Ints, role: int, *, above: Ints, below: Ints, superior: npt.NDArray[np.int32]) -> Rows:
    """Rows of a block in group ``role`` whose ``above`` is not the superior of their ``below`` (both known, the
    superior resolved): worked out on the rows of the group only."""
    rows = np.flatnonzero(g == role)
    if not len(rows):
        return rows
    hi, lo = above[rows], below[rows]
    boss = superior[np.maximum(lo, 0)]
    out: Rows = rows[(hi >= 0) & (lo >= 0) & (boss != -2) & (boss != hi)]
    return out


def rises(a: Ints, b: Ints, c: Ints) -> bool:
    """Whether the keys ``(a, b, c)`` strictly increase row by row (compared on the columns as they are: no wide
    key is built).

    >>> rises(np.array([0, 0, 1]), np.array([1, 2, 0]), np.array([5, 0, 0]))
    True
    >>> rises(np.array([0, 0, 1]), np.array([1, 1, 0]), np.array([5, 5, 0]))
    False
    """
    later: npt.NDArray[np.bool_] = c[1:] > c[:-1]
    for x in (b, a):
        later &= x[1:] == x[:-1]
        later |= x[1:] > x[:-1]
    return bool(later.all())
