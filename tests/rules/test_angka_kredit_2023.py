"""Tests of angka kredit (PermenPANRB 1/2023 + Peraturan BKN 3/2023)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_kinerja.errors import DataError
from asn_kinerja.model import Predikat
from asn_kinerja.rules.angka_kredit_2023 import (
    JENJANG,
    KEBUTUHAN,
    KEBUTUHAN_NOTE,
    KOEFISIEN,
    PERSENTASE,
    Akumulasi,
    Kebutuhan,
    akumulasi,
    angka_kredit,
    parse_jenjang,
    progress,
)

COEFFICIENTS = [
    ("pemula", "Pemula", "3.75"),
    ("terampil", "Terampil", "5"),
    ("mahir", "Mahir", "12.5"),
    ("penyelia", "Penyelia", "25"),
    ("ahli_pertama", "Ahli Pertama", "12.5"),
    ("ahli_muda", "Ahli Muda", "25"),
    ("ahli_madya", "Ahli Madya", "37.5"),
    ("ahli_utama", "Ahli Utama", "50"),
]

PERCENTAGES = [
    (Predikat.SANGAT_BAIK, "150"),
    (Predikat.BAIK, "100"),
    (Predikat.BUTUH_PERBAIKAN, "75"),
    (Predikat.KURANG_MISCONDUCT, "50"),
    (Predikat.SANGAT_KURANG, "25"),
]


def test_tables_have_exactly_the_regulation_rows() -> None:
    assert list(KOEFISIEN) == [ident for ident, _, _ in COEFFICIENTS]
    assert list(JENJANG) == list(KOEFISIEN)
    assert list(PERSENTASE) == list(Predikat)


@pytest.mark.parametrize(("ident", "label", "coefficient"), COEFFICIENTS)
def test_coefficient_table(ident: str, label: str, coefficient: str) -> None:
    assert KOEFISIEN[ident] == Decimal(coefficient)
    assert JENJANG[ident] == label
    assert angka_kredit(ident, "baik") == Decimal(coefficient)  # 12 months at 100 %
    assert angka_kredit(label, Predikat.BAIK, exact=True) == Fraction(coefficient)
    assert angka_kredit(label.upper(), "Baik") == angka_kredit(label.lower().replace(" ", "_"), "baik")


@pytest.mark.parametrize(("predikat", "percentage"), PERCENTAGES)
def test_percentage_table(predikat: Predikat, percentage: str) -> None:
    assert PERSENTASE[predikat] == Decimal(percentage)
    expected = Decimal(50) * Decimal(percentage) / 100
    assert angka_kredit("ahli_utama", predikat) == expected
    assert angka_kredit("ahli_utama", predikat.value) == expected
    assert angka_kredit("ahli_utama", predikat.label) == expected


@pytest.mark.parametrize(("ident", "label", "coefficient"), COEFFICIENTS)
@pytest.mark.parametrize(("predikat", "percentage"), PERCENTAGES)
def test_every_cell_for_a_year(ident: str, label: str, coefficient: str, predikat: Predikat, percentage: str) -> None:
    exact = Fraction(coefficient) * Fraction(percentage) / 100
    assert angka_kredit(ident, predikat, exact=True) == exact


def test_worked_examples() -> None:
    assert angka_kredit("ahli_pertama", "sangat_baik", bulan=12) == Decimal("18.75")
    assert angka_kredit("ahli_pertama", "baik", bulan=2) == Decimal("2.08")
    assert angka_kredit("ahli_pertama", "baik", bulan=2, exact=True) == Fraction(25, 12)
    total = akumulasi([("ahli_pertama", "sangat_baik", 12), ("ahli_pertama", "baik", 2)])
    assert total.total == Decimal("20.83")
    assert total.per_period == (Decimal("18.75"), Decimal("2.08"))
    assert total.exact == Fraction(75, 4) + Fraction(25, 12)


def test_tie_rounds_half_up() -> None:
    assert angka_kredit("ahli_pertama", "butuh_perbaikan", bulan=4, exact=True) == Fraction("3.125")
    assert angka_kredit("ahli_pertama", "butuh_perbaikan", bulan=4) == Decimal("3.13")
    assert round(3.125, 2) == 3.12  # Python's round() would publish 3.12
    assert angka_kredit("terampil", "butuh_perbaikan", bulan=1) == Decimal("0.31")  # 0.3125


def test_kurang_alias() -> None:
    assert angka_kredit("ahli_muda", "kurang") == angka_kredit("ahli_muda", Predikat.KURANG_MISCONDUCT)
    assert angka_kredit("ahli_muda", "Kurang/Misconduct") == Decimal("12.50")


def test_parse_jenjang_spellings() -> None:
    for text in ("ahli_pertama", "Ahli Pertama", "AHLI PERTAMA", "ahli-pertama", " Ahli_Pertama "):
        assert parse_jenjang(text) == "ahli_pertama"


# ------------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize("jenjang", ["ahli", "ahli senior", "", 3, None])
def test_unknown_jenjang(jenjang: object) -> None:
    with pytest.raises(DataError, match="unknown jenjang") as err:
        angka_kredit(jenjang, "baik")  # type: ignore[call-overload]
    assert err.value.problems[0].field == "jenjang"


@pytest.mark.parametrize("bulan", [0, 13, -1, True, 1.5, "6"])
def test_bad_bulan(bulan: object) -> None:
    with pytest.raises(DataError, match="months 1–12") as err:
        angka_kredit("ahli_muda", "baik", bulan=bulan)  # type: ignore[call-overload]
    assert err.value.problems[0].field == "bulan"


@pytest.mark.parametrize("predikat", ["luar biasa", "", 1, None])
def test_bad_predikat(predikat: object) -> None:
    with pytest.raises(DataError) as err:
        angka_kredit("ahli_muda", predikat)  # type: ignore[call-overload]
    assert err.value.problems[0].field == "predikat"


def test_all_argument_problems_reported_together() -> None:
    with pytest.raises(DataError) as err:
        angka_kredit("ahli", "luar biasa", bulan=13)
    assert {p.field for p in err.value.problems} == {"jenjang", "predikat", "bulan"}


# ------------------------------------------------------------------------------------------- accumulation


def test_accumulation_rounded_once_vs_rounded_per_period() -> None:
    r = akumulasi([("ahli_pertama", "baik", 2)] * 2)
    assert r.exact == Fraction(25, 6)
    assert r.total == Decimal("4.17")
    assert r.total_of_rounded == Decimal("4.16")
    assert r.differs


def test_accumulation_of_nothing() -> None:
    r = akumulasi([])
    assert r.exact == 0
    assert r.per_period == ()
    assert r.total == r.total_of_rounded == Decimal("0.00")


def test_accumulation_errors_name_the_period() -> None:
    with pytest.raises(DataError) as err:
        akumulasi([("ahli_pertama", "baik", 12), ("ahli", "baik", 13), ("ahli_pertama", "baik"), "x"])  # type: ignore[list-item]
    found = {(p.record, p.field) for p in err.value.problems}
    assert found == {("period 2", "jenjang"), ("period 2", "bulan"), ("period 3", None), ("period 4", None)}


# ------------------------------------------------------------------------------------------- progress

REQUIREMENTS = [
    ("pemula", 15, 15),
    ("terampil", 20, 60),
    ("mahir", 50, 100),
    ("penyelia", 100, None),
    ("ahli_pertama", 50, 100),
    ("ahli_muda", 100, 200),
    ("ahli_madya", 150, 450),
    ("ahli_utama", 200, None),
]


@pytest.mark.parametrize(("ident", "pangkat", "jenjang"), REQUIREMENTS)
def test_default_requirement_table(ident: str, pangkat: int, jenjang: int | None) -> None:
    assert KEBUTUHAN[ident].pangkat == pangkat
    assert KEBUTUHAN[ident].jenjang == jenjang
    p = progress(ident, 0)
    assert (p.pangkat_required, p.pangkat_remaining, p.pangkat_met) == (
        Decimal(pangkat),
        Decimal(pangkat),
        False,
    )
    assert p.jenjang_required == jenjang


def test_requirement_confidence_marks() -> None:
    assert list(KEBUTUHAN) == list(KOEFISIEN)
    assert KEBUTUHAN["terampil"].confidence == "B/U"
    assert KEBUTUHAN["mahir"].confidence == "U"
    assert {KEBUTUHAN[j].confidence for j in KEBUTUHAN if j not in ("terampil", "mahir")} == {"A"}
    assert "Terampil" in KEBUTUHAN_NOTE
    assert "Mahir" in KEBUTUHAN_NOTE


def test_progress() -> None:
    p = progress("Ahli Pertama", Decimal("20.83"))
    assert (p.jenjang, p.total_ak) == ("ahli_pertama", Decimal("20.83"))
    assert (p.pangkat_remaining, p.pangkat_met) == (Decimal("29.17"), False)
    assert (p.jenjang_remaining, p.jenjang_met) == (Decimal("79.17"), False)
    exactly = progress("ahli_pertama", 50)
    assert (exactly.pangkat_remaining, exactly.pangkat_met, exactly.jenjang_met) == (Decimal(0), True, False)
    top = progress("ahli_utama", 250)
    assert (top.pangkat_met, top.jenjang_required, top.jenjang_remaining, top.jenjang_met) == (
        True,
        None,
        None,
        None,
    )


def test_progress_from_an_accumulation() -> None:
    total = akumulasi([("ahli_pertama", "sangat_baik", 12)] * 3)
    assert isinstance(total, Akumulasi)
    p = progress("ahli_pertama", total)
    assert p.total_ak == Decimal("56.25")
    assert p.pangkat_met


def test_progress_with_requirements_override() -> None:
    p = progress("terampil", 45, requirements={**KEBUTUHAN, "Terampil": (40, 60)})
    assert (p.pangkat_required, p.pangkat_met, p.jenjang_remaining) == (Decimal(40), True, Decimal(15))
    assert progress("mahir", 60, requirements={"mahir": Kebutuhan(Decimal(60), None)}).pangkat_met
    with pytest.raises(DataError, match="no requirement for jenjang"):
        progress("ahli_muda", 10, requirements={"terampil": (40, 60)})
    with pytest.raises(DataError, match="unknown jenjang"):
        progress("ahli_muda", 10, requirements={"ahli_tua": (40, 60)})
    with pytest.raises(DataError, match=r"\(pangkat, jenjang\)"):
        progress("ahli_muda", 10, requirements={"ahli_muda": 40})  # type: ignore[dict-item]


def test_progress_errors() -> None:
    with pytest.raises(DataError, match="must not be negative"):
        progress("ahli_muda", -1)
    with pytest.raises(DataError) as err:
        progress("ahli", "abc")
    assert {p.field for p in err.value.problems} == {"jenjang", "total_ak"}


# ------------------------------------------------------------------------------------------- properties

jenjang_ids = st.sampled_from(list(KOEFISIEN))
months = st.integers(min_value=1, max_value=12)


@settings(max_examples=100, deadline=None)
@given(jenjang_ids, st.sampled_from(list(Predikat)), months, months)
def test_monotone_in_bulan(jenjang: str, predikat: Predikat, a: int, b: int) -> None:
    lo, hi = sorted((a, b))
    assert angka_kredit(jenjang, predikat, bulan=lo, exact=True) <= angka_kredit(
        jenjang, predikat, bulan=hi, exact=True
    )
    assert angka_kredit(jenjang, predikat, bulan=lo) <= angka_kredit(jenjang, predikat, bulan=hi)


@settings(max_examples=100, deadline=None)
@given(jenjang_ids, months, st.sampled_from(list(Predikat)), st.sampled_from(list(Predikat)))
def test_monotone_in_predikat(jenjang: str, bulan: int, a: Predikat, b: Predikat) -> None:
    better, worse = sorted((a, b), key=lambda p: p.code)  # code 0 is Sangat Baik
    assert angka_kredit(jenjang, better, bulan=bulan) >= angka_kredit(jenjang, worse, bulan=bulan)
    assert angka_kredit(jenjang, better, bulan=bulan, exact=True) >= angka_kredit(
        jenjang, worse, bulan=bulan, exact=True
    )


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(jenjang_ids, st.sampled_from(list(Predikat)), months), max_size=6))
def test_accumulation_total_is_the_rounded_exact_sum(periods: list[tuple[str, Predikat, int]]) -> None:
    r = akumulasi(periods)
    assert r.exact == sum((angka_kredit(*p[:2], bulan=p[2], exact=True) for p in periods), Fraction(0))
    assert abs(r.total - r.total_of_rounded) <= Decimal("0.005") * max(len(periods), 1)
