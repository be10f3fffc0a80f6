"""The glossary enforced: one code order for every enumeration, one name per concept, old names deprecated."""

from __future__ import annotations

import numpy as np
import pytest

from asn_kinerja import evaluate, load_policy
from asn_kinerja.engine.kernels import rate
from asn_kinerja.model import Predikat, PredikatOrganisasi, PredikatPp30, Rating, SebutanPp46
from asn_kinerja.testing import generate_population

RANKED = (Rating, Predikat, PredikatOrganisasi, SebutanPp46, PredikatPp30)


@pytest.mark.parametrize("enum", RANKED)
def test_every_ranked_enum_runs_best_first(enum) -> None:  # type: ignore[no-untyped-def]
    members = list(enum)
    assert [m.code for m in members] == list(range(len(members)))
    best, worst = members[0], members[-1]
    assert best.value in ("di_atas", "sangat_baik", "istimewa"), best
    assert worst.value in ("di_bawah", "sangat_kurang", "buruk"), worst


def test_rating_codes_from_thresholds_are_best_first() -> None:
    codes = rate(np.array([120.0, 100.0, 50.0, np.nan]), 110.0, 80.0)
    assert [Rating.from_code(int(c)) if c >= 0 else None for c in codes] == [
        Rating.DI_ATAS_EKSPEKTASI,
        Rating.SESUAI_EKSPEKTASI,
        Rating.DI_BAWAH_EKSPEKTASI,
        None,
    ]


def test_frame_orders_ratings_worst_to_best() -> None:
    pytest.importorskip("pandas")
    result = evaluate(load_policy("permenpanrb-6-2022"), generate_population(40, seed=3))
    frame = result.to_frame()
    for column in ("rating_hasil_kerja", "rating_perilaku_kerja"):
        assert frame[column].cat.categories.tolist() == [r.label for r in reversed(Rating)]
        assert frame[column].cat.ordered
    for row in range(len(result)):
        assert frame["rating_hasil_kerja"].iloc[row] == result.result(row).rating_hasil_kerja.label
