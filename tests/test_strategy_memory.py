"""Memory of the aggregation strategies at national scale, measured in bytes held at once (``tracemalloc`` sees
numpy's arrays), never in time: a million employees have some 40 million ratings, so each array of the ratings'
length is hundreds of megabytes, and each one made afresh costs page faults as well.

- the grid check of median and trimmed mean makes one byte per score (the codes), not float copies of the scores;
- a counted median or trimmed mean holds the codes, one float and one integer array of the ratings' length;
- the keys of the counted ratings are made in place, without selecting the counted ratings or copying scores;
- a strategy reads the ratings a chunk at a time: less than half a byte per rating beside its arrays per cell.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from asn_kinerja import load_policy
from asn_kinerja.engine import cells, kernels, strategies
from asn_kinerja.engine.cells import CellKeys, GroupTally
from asn_kinerja.engine.strategies import GROUPS, Aggregator
from asn_kinerja.model import RaterGroup


def _peak_bytes(call: Callable[[], object]) -> int:
    """The most memory (numpy arrays included) held at once during ``call`` above what was held before it."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        call()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def test_the_grid_check_makes_one_byte_per_score(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kernels, "GRID_CHUNK", 1 << 12)
    score = 1 + np.random.default_rng(3).integers(0, 9, 200_000) / 2
    grid = kernels.on_grid(score)
    assert grid is not None and grid[1].tolist() == list(range(10, 51, 5)) and grid[2] == 10
    # the codes (one byte per score) and temporaries of a chunk's length, never a float array of all the scores
    assert _peak_bytes(lambda: kernels.on_grid(score)) < len(score) + 64 * kernels.GRID_CHUNK


@pytest.mark.parametrize("tendency", ["median", "trimmed_mean"])
def test_a_counted_median_holds_few_arrays_of_the_ratings_length(
    monkeypatch: pytest.MonkeyPatch, tendency: str
) -> None:
    monkeypatch.setattr(kernels, "GRID_CHUNK", 1 << 12)
    rng = np.random.default_rng(5)
    ratings, cells = 300_000, 20_000  # 15 ratings a cell: every cell is counted
    key = rng.integers(0, cells, ratings)
    score = 1 + rng.integers(0, 9, ratings) / 2

    def central() -> object:
        return kernels.cell_stats(key, score, cells, tendency, Fraction(1, 5), with_spread=False)

    # Beside the keys and scores given: the codes (1 byte a rating), the grid units as floats for one bincount
    # (8), then the value × cell pairs (8) and their counts (values × cells); sums of the scores as floats, a
    # selection of the counted ratings or copies of their keys would each add 8 bytes a rating.
    assert _peak_bytes(central) < 9 * ratings + 8 * 9 * cells + 64 * kernels.GRID_CHUNK + 40 * cells


def test_the_keys_of_the_counted_ratings_are_made_in_place() -> None:
    aggregator = Aggregator(load_policy("examples/policies/three-sixty.yaml").perilaku_kerja)
    rng = np.random.default_rng(7)
    n, ratings = 1000, 300_000
    ratee = rng.integers(0, n, ratings).astype(np.int32)
    group = rng.integers(0, 5, ratings).astype(np.int8)  # some of every group: not all counted
    criterion = rng.integers(0, 7, ratings).astype(np.int8)
    score = 1 + rng.integers(0, 9, ratings) / 2
    plan = aggregator._plan(n)

    def keys() -> object:
        n_, k, criteria = plan.shape
        cells = CellKeys(ratee, group, criterion, slot_of=plan.slot_of, slots=k, criteria=criteria, n=n_)
        return strategies._counted(plan, cells, score, GroupTally.of(RaterGroup.DIRI.code, cells))

    # the keys (8 bytes a rating), each rating's slot and whether it counts (1 + 1), then arrays per cell: no
    # selection of the counted ratings (8), no copy of their ratees, keys or scores (4, 8, 8)
    assert _peak_bytes(keys) < 10 * ratings + 40 * plan.size


@pytest.mark.parametrize("tendency", ["mean", "median", "trimmed_mean"])
def test_strategies_hold_less_than_a_byte_per_rating(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tendency: str
) -> None:
    monkeypatch.setattr(cells, "CHUNK", 1 << 12)
    monkeypatch.setattr(kernels, "GRID_CHUNK", 1 << 12)
    text = Path("examples/policies/three-sixty.yaml").read_text(encoding="utf-8")
    if tendency != "mean":
        text = text.replace("central_tendency: mean", f"central_tendency: {tendency}\n    trim: 0.2")
    (tmp_path / "policy.yaml").write_text(text, encoding="utf-8")
    rules = load_policy(tmp_path / "policy.yaml").perilaku_kerja
    assert rules.three_sixty is not None and rules.three_sixty.central_tendency == tendency
    rng = np.random.default_rng(11)
    n, ratings = 1000, 2_000_000  # 2 000 ratings a ratee: arrays per rating would dwarf those per cell
    ratee = np.sort(rng.integers(0, n, ratings)).astype(np.int32)
    group = rng.integers(0, GROUPS, ratings).astype(np.int8)
    criterion = rng.integers(0, 7, ratings).astype(np.int8)
    score = 1 + rng.integers(0, 9, ratings) / 2
    citizen = np.full(n, np.nan)
    aggregator = Aggregator(rules)
    cells_held = n * 7 * (GROUPS + 1)

    def score_all() -> object:
        return aggregator.score(ratee, group, criterion, score, n, citizen)

    # arrays per cell (counts, values, counts per grid value, the results) and chunk-sized temporaries; one byte
    # per rating (a code, a flag) would add 2 MB, the keys of all the ratings 16 MB
    assert _peak_bytes(score_all) < ratings // 2 + 40 * cells_held + 128 * cells.CHUNK
