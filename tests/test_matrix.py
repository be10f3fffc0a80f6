"""The predikat matrix of PermenPANRB 6/2022: all nine cells and the properties in the regulations summary."""

from __future__ import annotations

import itertools

import pytest

from asn_kinerja import DataError, Predikat, Rating
from asn_kinerja.rules.permenpanrb_6_2022 import MATRIX, predikat

A, S, B = "di_atas", "sesuai", "di_bawah"

CELLS = [
    (A, B, "Kurang/Misconduct"),
    (A, S, "Baik"),
    (A, A, "Sangat Baik"),
    (S, B, "Kurang/Misconduct"),
    (S, S, "Baik"),
    (S, A, "Baik"),
    (B, B, "Sangat Kurang"),
    (B, S, "Butuh Perbaikan"),
    (B, A, "Butuh Perbaikan"),
]


@pytest.mark.parametrize(("hasil_kerja", "perilaku_kerja", "label"), CELLS)
def test_every_cell(hasil_kerja: str, perilaku_kerja: str, label: str) -> None:
    assert predikat(hasil_kerja, perilaku_kerja).label == label
    assert predikat(Rating.parse(hasil_kerja), Rating.parse(perilaku_kerja)).label == label


def test_cells_cover_the_matrix() -> None:
    assert {(h, p) for h, p, _ in CELLS} == set(itertools.product((A, S, B), repeat=2))


def test_labels_and_enum_values() -> None:
    assert [p.label for p in Predikat] == [
        "Sangat Baik",
        "Baik",
        "Butuh Perbaikan",
        "Kurang/Misconduct",
        "Sangat Kurang",
    ]
    assert predikat("Di Atas Ekspektasi", "Sesuai Ekspektasi") is Predikat.BAIK


def all_pairs() -> list[tuple[Rating, Rating]]:
    return list(itertools.product(Rating, repeat=2))


def test_only_both_above_gives_sangat_baik() -> None:
    hits = [pair for pair in all_pairs() if predikat(*pair) is Predikat.SANGAT_BAIK]
    assert hits == [(Rating.DI_ATAS_EKSPEKTASI, Rating.DI_ATAS_EKSPEKTASI)]


def test_only_both_below_gives_sangat_kurang() -> None:
    hits = [pair for pair in all_pairs() if predikat(*pair) is Predikat.SANGAT_KURANG]
    assert hits == [(Rating.DI_BAWAH_EKSPEKTASI, Rating.DI_BAWAH_EKSPEKTASI)]


def test_behaviour_below_never_better_than_kurang() -> None:
    for hasil in Rating:
        result = predikat(hasil, Rating.DI_BAWAH_EKSPEKTASI)
        assert result.code >= Predikat.KURANG_MISCONDUCT.code


def test_better_behaviour_never_lowers_the_predikat_when_results_meet_expectations() -> None:
    # Within a row, moving perilaku up never gives a worse predikat (codes: 0 best).
    order = [Rating.DI_BAWAH_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI, Rating.DI_ATAS_EKSPEKTASI]
    for hasil in Rating:
        codes = [MATRIX[hasil][p].code for p in order]
        assert codes == sorted(codes, reverse=True)


def test_wrong_variant_is_not_the_official_one() -> None:
    # The circulating "either is Di Bawah -> Butuh Perbaikan" reading differs from the regulation.
    assert predikat(A, B) is not Predikat.BUTUH_PERBAIKAN
    assert predikat(S, B) is Predikat.KURANG_MISCONDUCT


@pytest.mark.parametrize("bad", ["sangat", "", "DI_ATAS_EKSPEKTASIX", "3"])
def test_unknown_rating_is_a_data_error(bad: str) -> None:
    with pytest.raises(DataError) as err:
        predikat(bad, "sesuai")
    assert err.value.problems[0].field == "hasil_kerja"


def test_builtin_policy_carries_the_official_matrix(baseline) -> None:  # type: ignore[no-untyped-def]
    assert baseline.matrix.is_official()
    for hasil in Rating:
        assert dict(baseline.matrix.row(hasil)) == dict(MATRIX[hasil])
