"""PP 46/2011 + Perka BKN 1/2013: worked examples, edges, properties, variants and invalid input."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, localcontext
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from asn_kinerja._numbers import CONTEXT, Number, Rounding
from asn_kinerja.errors import DataError, PolicyError
from asn_kinerja.rules.pp46_2011 import (
    DIVISORS,
    EFFICIENCY_RULES,
    SEBUTAN,
    SEBUTAN_READINGS,
    aspek_biaya,
    aspek_kualitas,
    aspek_kuantitas,
    aspek_waktu,
    nilai_capaian_kegiatan,
    nilai_perilaku,
    nilai_prestasi_kerja,
    nilai_skp,
    sebutan,
)

D = Decimal

# Positive amounts with 2 decimals, as they appear on SKP forms.
amounts = st.decimals(min_value=D("0.01"), max_value=D("100000"), places=2)
realisations = st.decimals(min_value=D("0"), max_value=D("100000"), places=2)
nilai = st.decimals(min_value=D("0"), max_value=D("150"), places=4)


# --- worked examples --------------------------------------------------------------------------------------


def test_published_spreadsheet_example() -> None:
    assert aspek_kuantitas(1, 1) == D("100")
    assert aspek_kualitas(100, 90) == D("90")
    assert aspek_waktu(12, 12) == D("76")
    assert aspek_biaya(170_395_000, 170_395_000) == D("76")
    result = nilai_capaian_kegiatan(
        kuantitas=(1, 1), kualitas=(100, 90), waktu=(12, 12), biaya=(170_395_000, 170_395_000)
    )
    assert str(result) == "85.50"
    assert sebutan(result) == "Baik"


def test_blog_example_waktu_five_days_in_four() -> None:
    assert str(aspek_waktu(5, 4)) == "96.00"


def test_results_are_published_to_two_decimals_and_exact_on_request() -> None:
    assert str(aspek_kuantitas(3, 1)) == "33.33"
    exact = aspek_kuantitas(3, 1, exact=True)
    assert len(str(exact)) > 40  # 33.333… to the 50 digits of CONTEXT
    assert str(aspek_waktu(12, 12, exact=True)) == "76"
    # nilai capaian combines exact aspects: (100/3 + 100/3 + 76) / 3 = 47.5556 → 47.56, whereas the printed
    # aspects would give (33.33 + 33.33 + 76) / 3 = 47.5533 → 47.55.
    assert nilai_capaian_kegiatan(kuantitas=(3, 1), kualitas=(3, 1), waktu=(1, 1)) == D("47.56")


def test_nilai_skp_perilaku_prestasi_kerja() -> None:
    assert str(nilai_skp(["85.50", "90.25"])) == "87.88"
    assert str(nilai_perilaku([80, 85, 78, 90, 82])) == "83.00"
    assert str(nilai_prestasi_kerja("87.88", "83.00")) == "85.93"


@pytest.mark.parametrize(("tasks", "bonus"), [(0, 0), (1, 1), (3, 1), (4, 2), (6, 2), (7, 3), (20, 3)])
def test_tugas_tambahan_bonus(tasks: int, bonus: int) -> None:
    assert nilai_skp([80], tugas_tambahan=tasks) == D(80 + bonus)


@pytest.mark.parametrize(("level", "points"), [("unit", 3), ("Organisasi", 6), ("nasional", 12), (0, 0), ("6", 6)])
def test_kreativitas_bonus(level: str | int, points: int) -> None:
    assert nilai_skp([80], kreativitas=level) == D(80 + points)


def test_activity_not_carried_out_scores_zero_on_waktu_and_biaya() -> None:
    for rule in EFFICIENCY_RULES:
        assert aspek_waktu(12, 0, efficiency=rule) == 0
        assert aspek_biaya(1_000_000, 0, efficiency=rule) == 0


# --- float, str and Decimal give the same figures, on edges too -------------------------------------------

CONVERTERS: list[Callable[[str], Number]] = [float, str, Decimal]


@pytest.mark.parametrize("conv", CONVERTERS, ids=["float", "str", "Decimal"])
@pytest.mark.parametrize(
    ("target", "realisasi", "expected"),
    [
        ("12", "9.12", "100.00"),  # EW exactly 24: binary floats put it at 24.000000000000014 and score 76
        ("0.25", "0.19", "100.00"),  # EW exactly 24
        ("12", "9.11", "75.92"),  # just above 24: the second branch, R/T × 100
        ("12", "12", "76.00"),
        ("5", "4", "96.00"),
        ("170395000", "170395000", "76.00"),
    ],
)
def test_efficiency_branch_edge_is_exact(
    conv: Callable[[str], Number], target: str, realisasi: str, expected: str
) -> None:
    assert str(aspek_waktu(conv(target), conv(realisasi))) == expected
    assert str(aspek_biaya(conv(target), conv(realisasi))) == expected


@pytest.mark.parametrize("conv", CONVERTERS, ids=["float", "str", "Decimal"])
def test_same_figures_for_every_input_type(conv: Callable[[str], Number]) -> None:
    c = conv
    assert nilai_capaian_kegiatan(
        kuantitas=(c("1"), c("1")),
        kualitas=(c("100"), c("90")),
        waktu=(c("12"), c("9.12")),
        biaya=(c("0.25"), c("0.19")),
    ) == D("97.50")
    assert aspek_kuantitas(c("3"), c("2.1")) == D("70.00")
    assert nilai_skp([c("85.5"), c("90.25")], tugas_tambahan=1) == D("88.88")
    assert nilai_perilaku([c("90.5"), c("91")]) == D("90.75")
    assert nilai_prestasi_kerja(c("85.5"), c("80")) == D("83.30")


@pytest.mark.parametrize("conv", CONVERTERS, ids=["float", "str", "Decimal"])
@pytest.mark.parametrize(
    ("value", "threshold", "rounded", "ceiling"),
    [
        ("91", "Sangat Baik", "Sangat Baik", "Sangat Baik"),
        ("90.5", "Baik", "Sangat Baik", "Sangat Baik"),
        ("90.49", "Baik", "Baik", "Sangat Baik"),
        ("90", "Baik", "Baik", "Baik"),
        ("76", "Baik", "Baik", "Baik"),
        ("75.99", "Cukup", "Baik", "Baik"),
        ("75.5", "Cukup", "Baik", "Baik"),
        ("75.01", "Cukup", "Cukup", "Baik"),
        ("61", "Cukup", "Cukup", "Cukup"),
        ("60.5", "Kurang", "Cukup", "Cukup"),
        ("51", "Kurang", "Kurang", "Kurang"),
        ("50.99", "Buruk", "Kurang", "Kurang"),
        ("50", "Buruk", "Buruk", "Buruk"),
        ("0", "Buruk", "Buruk", "Buruk"),
    ],
)
def test_sebutan_bands_and_readings(
    conv: Callable[[str], Number], value: str, threshold: str, rounded: str, ceiling: str
) -> None:
    x = conv(value)
    assert sebutan(x) == threshold
    assert sebutan(x, reading="truncate") == threshold
    assert sebutan(x, reading="round_half_up") == rounded
    assert sebutan(x, reading="ceiling") == ceiling


# --- properties -------------------------------------------------------------------------------------------


@given(amounts, realisations, realisations)
def test_kuantitas_and_kualitas_monotone_in_realisasi(t: Decimal, r1: Decimal, r2: Decimal) -> None:
    lo, hi = sorted((r1, r2))
    for aspect in (aspek_kuantitas, aspek_kualitas):
        assert aspect(t, lo, exact=True) <= aspect(t, hi, exact=True)
        assert aspect(t, lo) <= aspect(t, hi)
        assert aspect(t, lo, cap=100) <= aspect(t, hi, cap=100)


percent_from_76 = st.decimals(min_value=76, max_value=300, places=2)


@given(amounts, percent_from_76, percent_from_76)
def test_waktu_non_increasing_from_76_percent_of_target(t: Decimal, a: Decimal, b: Decimal) -> None:
    # Holds for the regulation formula: for R ≥ 0.76 T (EW ≤ 24) it is 176 − 100 R/T.
    r_lo, r_hi = (t * p / 100 for p in sorted((a, b)))  # exact: 4 decimals at most
    for rule in EFFICIENCY_RULES:
        assert aspek_waktu(t, r_lo, efficiency=rule, exact=True) >= aspek_waktu(t, r_hi, efficiency=rule, exact=True)
        assert aspek_biaya(t, r_lo, efficiency=rule) >= aspek_biaya(t, r_hi, efficiency=rule)


def test_waktu_is_not_monotone_below_76_percent_under_the_regulation() -> None:
    # Documented finding: above 24 % efficiency the regulation's branch is R/T × 100, rising with R, and the
    # score drops from 100 to 76 as the efficiency crosses 24 %.
    assert [aspek_waktu(100, r) for r in (50, 75, D("75.99"), 76, 88, 100)] == [
        D("50"),
        D("75"),
        D("75.99"),
        D("100"),
        D("88"),
        D("76"),
    ]


@given(amounts, realisations)
def test_aspects_within_documented_ranges(t: Decimal, r: Decimal) -> None:
    assert aspek_kuantitas(t, r) >= 0
    assert 0 <= aspek_kualitas(t, r, cap=100) <= 100
    reg = aspek_waktu(t, r, exact=True)
    assert reg <= 100
    if r <= D("1.76") * t:
        assert reg >= 0
    assert aspek_waktu(t, r, efficiency="none", exact=True) < 176
    assert aspek_biaya(t, r, efficiency="linear", exact=True) < 228


@given(amounts, realisations, amounts, realisations, amounts, realisations)
def test_nilai_capaian_kegiatan_is_the_mean_of_its_aspects(
    tk: Decimal, rk: Decimal, tw: Decimal, rw: Decimal, tb: Decimal, rb: Decimal
) -> None:
    aspects = [aspek_kuantitas(tk, rk, exact=True), aspek_kualitas(100, 90, exact=True)]
    aspects += [aspek_waktu(tw, rw, exact=True), aspek_biaya(tb, rb, exact=True)]
    result = nilai_capaian_kegiatan(kuantitas=(tk, rk), kualitas=(100, 90), waktu=(tw, rw), biaya=(tb, rb), exact=True)
    # exact=True values carry 50 significant digits: compare with a relative tolerance
    with localcontext(CONTEXT):
        mean = sum(aspects, D(0)) / 4
    tol = D("1e-40") * max(D(1), *(abs(a) for a in aspects))
    assert abs(result - mean) <= tol
    assert min(aspects) - tol <= result <= max(aspects) + tol


@given(st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=1, max_size=6))
def test_nilai_perilaku_within_0_100(scores: list[Decimal]) -> None:
    assert min(scores) <= nilai_perilaku(scores, exact=True) <= max(scores)
    assert 0 <= nilai_perilaku(scores) <= 100


@given(nilai, st.decimals(min_value=0, max_value=100, places=2))
def test_nilai_prestasi_kerja_between_its_inputs(skp: Decimal, perilaku: Decimal) -> None:
    result = nilai_prestasi_kerja(skp, perilaku, exact=True)
    assert min(skp, perilaku) <= result <= max(skp, perilaku)


@given(st.decimals(min_value=-50, max_value=200, places=4))
def test_sebutan_is_a_label_and_truncate_equals_threshold(x: Decimal) -> None:
    assert sebutan(x) in SEBUTAN
    assert sebutan(x, reading="truncate") == sebutan(x)
    order = {label: i for i, label in enumerate(SEBUTAN)}
    # Rounding up first can only move a value to the same or a better band.
    assert order[sebutan(x, reading="ceiling")] <= order[sebutan(x, reading="round_half_up")] <= order[sebutan(x)]


@given(nilai, nilai)
def test_sebutan_monotone(a: Decimal, b: Decimal) -> None:
    assume(a != b)
    lo, hi = sorted((a, b))
    order = {label: i for i, label in enumerate(SEBUTAN)}
    for reading in SEBUTAN_READINGS:
        assert order[sebutan(lo, reading=reading)] >= order[sebutan(hi, reading=reading)]


# --- variants differ from the default where they should ---------------------------------------------------


def test_rounding_variants() -> None:
    assert aspek_kuantitas(3, 1) == D("33.33")
    assert aspek_kuantitas(3, 1, rounding=Rounding.CEILING) == D("33.34")
    assert aspek_kuantitas(3, 2) == D("66.67")
    assert aspek_kuantitas(3, 2, rounding=Rounding.TRUNCATE) == D("66.66")
    assert aspek_kuantitas(3, 2, rounding="truncate") == D("66.66")
    kegiatan: dict[str, Any] = {"kuantitas": (3, 2), "kualitas": (100, 90), "waktu": (12, 12)}
    assert nilai_capaian_kegiatan(**kegiatan) == D("77.56")
    assert nilai_capaian_kegiatan(**kegiatan, rounding=Rounding.TRUNCATE) == D("77.55")
    assert nilai_perilaku([80, 81, 81], rounding=Rounding.TRUNCATE) == D("80.66")
    assert nilai_skp(["80.002", "80"]) == D("80.00")
    assert nilai_skp(["80.002", "80"], rounding=Rounding.CEILING) == D("80.01")
    assert nilai_prestasi_kerja("80.01", 80) == D("80.01")
    assert nilai_prestasi_kerja("80.01", 80, rounding=Rounding.TRUNCATE) == D("80.00")


def test_efficiency_variants() -> None:
    # Above 24 % efficiency the three rules differ; at or below it they agree.
    assert [aspek_waktu(12, 6, efficiency=rule) for rule in EFFICIENCY_RULES] == [D("50"), D("126"), D("176")]
    assert [aspek_biaya(100, 70, efficiency=rule) for rule in EFFICIENCY_RULES] == [
        D("70"),
        D("106"),
        D("216"),
    ]
    assert {aspek_waktu(12, 10, efficiency=rule) for rule in EFFICIENCY_RULES} == {D("92.67")}
    assert {aspek_waktu(12, 15, efficiency=rule) for rule in EFFICIENCY_RULES} == {D("51")}


def test_divisor_variants() -> None:
    three: dict[str, Any] = {"kuantitas": (1, 1), "kualitas": (100, 90), "waktu": (12, 12)}
    assert nilai_capaian_kegiatan(**three) == D("88.67")
    assert nilai_capaian_kegiatan(**three, divisor=3) == D("88.67")
    assert nilai_capaian_kegiatan(**three, divisor=4) == D("66.50")
    four = {**three, "biaya": (1000, 1000)}
    assert nilai_capaian_kegiatan(**four) == D("85.50")
    assert nilai_capaian_kegiatan(**four, divisor=3) == D("114.00")
    with_zero: dict[str, Any] = {
        "kuantitas": (10, 0),
        "kualitas": (100, 0),
        "waktu": (12, 0),
        "biaya": (1000, 1000),
    }
    assert nilai_capaian_kegiatan(**with_zero) == D("19.00")
    assert nilai_capaian_kegiatan(**with_zero, divisor="nonzero") == D("76.00")
    nothing: dict[str, Any] = {"kuantitas": (10, 0), "kualitas": (100, 0), "waktu": (12, 0)}
    assert nilai_capaian_kegiatan(**nothing, divisor="nonzero") == D("0")
    assert set(DIVISORS) == {"aspects", "nonzero", 3, 4}


def test_cap_variant() -> None:
    assert aspek_kuantitas(10, 12) == D("120")
    assert aspek_kuantitas(10, 12, cap=100) == D("100")
    assert aspek_kualitas(100, 105, cap="100") == D("100")
    assert aspek_kualitas(100, 95, cap=100) == D("95")
    over: dict[str, Any] = {"kuantitas": (10, 12), "kualitas": (100, 110), "waktu": (12, 12)}
    assert nilai_capaian_kegiatan(**over) == D("102.00")
    assert nilai_capaian_kegiatan(**over, cap=100) == D("92.00")


# --- invalid input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: aspek_kuantitas(0, 1), "target"),
        (lambda: aspek_kualitas(-100, 90), "target"),
        (lambda: aspek_waktu(12, -1), "realisasi"),
        (lambda: aspek_biaya(float("nan"), 1), "target"),
        (lambda: aspek_biaya(1, float("inf")), "realisasi"),
        (lambda: aspek_waktu(True, 1), "target"),
        (lambda: aspek_waktu(12, "dua belas"), "realisasi"),
        (
            lambda: nilai_capaian_kegiatan(kuantitas=(1, 1), kualitas=(0, 90), waktu=(12, 12)),
            "kualitas.target",
        ),
        (lambda: nilai_capaian_kegiatan(kuantitas=(1, 1), kualitas=(100, 90), waktu=(12,)), "waktu"),  # type: ignore[arg-type]
        (
            lambda: nilai_capaian_kegiatan(kuantitas=(1, 1), kualitas=(100, 90), waktu=(12, 12), biaya=(0, 0)),
            "biaya.target",
        ),
        (lambda: nilai_skp([]), "kegiatan"),
        (lambda: nilai_skp([80, "x"]), "kegiatan[1]"),
        (lambda: nilai_skp([80], tugas_tambahan=-1), "tugas_tambahan"),
        (lambda: nilai_skp([80], tugas_tambahan=1.5), "tugas_tambahan"),
        (lambda: nilai_skp([80], kreativitas="daerah"), "kreativitas"),
        (lambda: nilai_perilaku([]), "scores"),
        (lambda: nilai_perilaku([80, 101]), "scores[1]"),
        (lambda: nilai_perilaku({"integritas": -1}), "integritas"),
        (lambda: nilai_perilaku({"kejujuran": 80}), "kejujuran"),
        (lambda: nilai_prestasi_kerja(80, 100.5), "nilai_perilaku"),
        (lambda: nilai_prestasi_kerja(float("nan"), 80), "nilai_skp"),
        (lambda: sebutan(float("inf")), "nilai"),
        (lambda: sebutan(False), "nilai"),
    ],
)
def test_data_errors_name_the_field(call: Callable[[], object], field: str) -> None:
    with pytest.raises(DataError) as info:
        call()
    assert field in {p.field for p in info.value.problems}


def test_all_problems_of_a_call_are_reported_at_once() -> None:
    with pytest.raises(DataError) as info:
        nilai_capaian_kegiatan(kuantitas=(0, 1), kualitas=(100, -1), waktu=(float("nan"), 1), biaya=(1, True))
    fields = {p.field for p in info.value.problems}
    assert fields == {"kuantitas.target", "kualitas.realisasi", "waktu.target", "biaya.realisasi"}


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: aspek_waktu(12, 12, efficiency="strict"), "efficiency"),  # type: ignore[arg-type]
        (
            lambda: nilai_capaian_kegiatan(kuantitas=(1, 1), kualitas=(1, 1), waktu=(1, 1), divisor=5),  # type: ignore[arg-type]
            "divisor",
        ),
        (
            lambda: nilai_capaian_kegiatan(kuantitas=(1, 1), kualitas=(1, 1), waktu=(1, 1), divisor=True),  # type: ignore[arg-type]
            "divisor",
        ),
        (lambda: aspek_kuantitas(1, 1, cap=0), "cap"),
        (lambda: aspek_kuantitas(1, 1, cap="none"), "cap"),
        (lambda: aspek_kuantitas(1, 1, rounding="banker"), "rounding"),
        (lambda: sebutan(90, reading="floor"), "reading"),  # type: ignore[arg-type]
    ],
)
def test_unknown_options_are_policy_errors(call: Callable[[], object], field: str) -> None:
    with pytest.raises(PolicyError) as info:
        call()
    assert info.value.problems[0].field == field
