"""Denominators of the cells near a development threshold (:func:`~asn_kinerja.engine.denominators.cell_denominators`)
equal those of their whole rows (:func:`~asn_kinerja.engine.denominators.behaviour_denominators`), under every
strategy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_kinerja import Evaluation, evaluate, load_policy_text
from asn_kinerja.engine.denominators import (
    behaviour_denominators,
    cell_denominators,
    citizen_scale,
    overall_denominators,
    scores_scale,
)
from asn_kinerja.testing import generate_population

POLICIES = Path(__file__).resolve().parents[1] / "examples" / "policies"
THREE_SIXTY = (POLICIES / "three-sixty.yaml").read_text(encoding="utf-8")
VARIANTS = {
    "mean": THREE_SIXTY,
    "median pooled": THREE_SIXTY.replace("central_tendency: mean", "central_tendency: median").replace(
        "below_minimum: drop", "below_minimum: pool"
    ),
    "trimmed mean with self": THREE_SIXTY.replace("central_tendency: mean", "central_tendency: trimmed_mean")
    .replace("below_minimum: drop", "below_minimum: drop\n    trim: 0.2")
    .replace("include_self: false", "include_self: true")
    .replace("bawahan: 0.2}", "bawahan: 0.1, diri: 0.1}"),
    "citizen-weighted": (POLICIES / "citizen-weighted.yaml").read_text(encoding="utf-8"),
}


def _denominators(result: Evaluation) -> tuple[dict[str, np.ndarray], list[np.ndarray], np.ndarray]:
    """Every row's denominators, the same per cell (criteria, gap) for every cell of every row, and the overall
    ones alone."""
    pk = result.policy.perilaku_kerja
    data, scores = result.dataset, result._behaviour
    n, criteria = scores.per_criterion.shape
    unit_den = np.zeros(len(data.units), dtype=np.int64)
    if result._citizen_units is not None:
        unit_den = citizen_scale(data, pk, result._citizen_units.answered)
    rows = np.arange(n)
    scale10, z_den = scores_scale(data, rows), unit_den[data.employees.unit]
    whole = behaviour_denominators(pk, scores, rows, scale10, z_den)
    r, c = (x.ravel() for x in np.indices((n, criteria)))
    cells = [
        cell_denominators(pk, scores, r, c, scale10[r], z_den[r], gap=gap).reshape(n, criteria) for gap in (False, True)
    ]
    return whole, cells, overall_denominators(pk, scores, rows, scale10, z_den)


@pytest.mark.parametrize("name", sorted(VARIANTS))
@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 2**16))
def test_cell_denominators_equal_those_of_the_whole_rows(name: str, seed: int) -> None:
    text = VARIANTS[name].replace("id: bungo-", "id: test-")
    policy = load_policy_text(text)
    assert policy.perilaku_kerja.strategy in text
    whole, (criteria, gap), overall = _denominators(evaluate(policy, generate_population(40, seed=seed)))
    assert overall.tolist() == whole["overall"].tolist()
    assert criteria.tolist() == whole["criteria"].tolist()
    assert gap.tolist() == whole["gap"].tolist()
    assert (criteria > 0).any()  # known denominators, not only the unknown 0
