"""SE MenPANRB 3/2023: the distribution of employee predikat by organisation predikat."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asn_kinerja.errors import DataError, PolicyError
from asn_kinerja.model import Predikat, PredikatOrganisasi
from asn_kinerja.rules.distribution import (
    DistributionOptions,
    DistributionReport,
    Violation,
    check_distribution,
)
from asn_kinerja.rules.permenpanrb_6_2022 import check_distribution as reexported

SB, B, BP, K, SK = "sangat_baik", "baik", "butuh_perbaikan", "kurang_misconduct", "sangat_kurang"


def rules(report: DistributionReport) -> set[str]:
    return {v.rule for v in report.violations}


# Units of 10 so that every share is a round percentage; each clause has a passing and a failing unit,
# and each failing unit breaks exactly that clause.
TABLE = [
    # Istimewa: SB the largest group, SB <= 70 %, the rest any mix
    ("istimewa", {SB: 6, B: 3, BP: 1}, set()),
    ("istimewa", {SB: 7, B: 1, K: 1, SK: 1}, set()),  # exactly 70 %
    ("istimewa", {SB: 8, B: 2}, {"istimewa.sb_max_70"}),
    ("istimewa", {SB: 3, B: 4, BP: 3}, {"istimewa.sb_largest"}),
    ("istimewa", {SB: 4, B: 4, BP: 2}, {"istimewa.sb_largest"}),  # a tie is not a largest group
    ("istimewa", {SB: 4, B: 3, BP: 3}, set()),  # plurality, not majority
    # Baik: Baik the largest group, Baik <= 70 %, at least one BP or K/M, the rest may be SB or SK
    ("baik", {SB: 2, B: 6, BP: 1, K: 1}, set()),
    ("baik", {SB: 1, B: 7, K: 1, SK: 1}, set()),  # 70 %, one Kurang/Misconduct is enough
    ("baik", {SB: 1, B: 7, BP: 1, SK: 1}, set()),  # one Butuh Perbaikan is enough
    ("baik", {B: 8, BP: 2}, {"baik.baik_max_70"}),
    ("baik", {SB: 3, B: 7}, {"baik.bp_or_k_min_1"}),
    ("baik", {SB: 2, B: 7, SK: 1}, {"baik.bp_or_k_min_1"}),  # Sangat Kurang does not count
    ("baik", {SB: 5, B: 4, BP: 1}, {"baik.baik_largest"}),
    ("baik", {SB: 4, B: 4, BP: 2}, {"baik.baik_largest"}),
    # Butuh Perbaikan: BP >= 60 %, SB <= 10 %
    ("butuh_perbaikan", {BP: 6, SB: 1, B: 3}, set()),
    ("butuh_perbaikan", {BP: 10}, set()),
    ("butuh_perbaikan", {BP: 5, B: 5}, {"butuh_perbaikan.bp_min_60"}),
    ("butuh_perbaikan", {BP: 6, SB: 2, B: 2}, {"butuh_perbaikan.sb_max_10"}),
    ("butuh_perbaikan", {BP: 5, SB: 2, B: 3}, {"butuh_perbaikan.bp_min_60", "butuh_perbaikan.sb_max_10"}),
    # Kurang: K/M >= 60 %, BP >= 10 %, SB <= 10 %
    ("kurang", {K: 6, BP: 1, SB: 1, B: 2}, set()),
    ("kurang", {K: 9, BP: 1}, set()),
    ("kurang", {K: 5, BP: 3, B: 2}, {"kurang.k_min_60"}),
    ("kurang", {K: 7, B: 3}, {"kurang.bp_min_10"}),
    ("kurang", {K: 6, BP: 2, SB: 2}, {"kurang.sb_max_10"}),
    # Sangat Kurang: SK >= 60 %, K/M + BP >= 10 %, no SB
    ("sangat_kurang", {SK: 6, K: 2, BP: 2}, set()),
    ("sangat_kurang", {SK: 9, BP: 1}, set()),
    ("sangat_kurang", {SK: 9, K: 1}, set()),
    ("sangat_kurang", {SK: 5, K: 5}, {"sangat_kurang.sk_min_60"}),
    ("sangat_kurang", {SK: 9, B: 1}, {"sangat_kurang.k_bp_min_10"}),
    ("sangat_kurang", {SK: 8, K: 1, SB: 1}, {"sangat_kurang.no_sb"}),
]


@pytest.mark.parametrize(("org", "counts", "violated"), TABLE)
def test_the_guidance_table(org: str, counts: dict[str, int], violated: set[str]) -> None:
    report = check_distribution(org, counts)
    assert rules(report) == violated
    assert report.ok == (not violated)
    assert report.n == 10
    assert report.predikat_organisasi is PredikatOrganisasi.parse(org)


def test_every_clause_of_the_table_is_exercised_passing_and_failing() -> None:
    failed = set().union(*(v for _, _, v in TABLE))
    assert len(failed) == 13  # 2 + 3 + 2 + 3 + 3 clauses
    assert {org for org, _, v in TABLE if not v} == {p.value for p in PredikatOrganisasi}


def test_violation_renders_required_and_actual_exactly() -> None:
    (v,) = check_distribution(PredikatOrganisasi.ISTIMEWA, {Predikat.SANGAT_BAIK: 5, Predikat.BAIK: 2}).violations
    assert v == Violation(
        rule="istimewa.sb_max_70",
        text="Sangat Baik paling banyak 70 %",
        relation="<=",
        required=Fraction(7, 10),
        actual=Fraction(5, 7),
        required_text="≤ 70 %",
        actual_text="5/7 = 71.43 %",
    )
    assert str(v) == "istimewa.sb_max_70: Sangat Baik paling banyak 70 % (required ≤ 70 %, actual 5/7 = 71.43 %)"


def test_lower_limits_and_combined_groups_render() -> None:
    (v,) = check_distribution("sangat_kurang", {SK: 19, B: 1}).violations
    assert v.text == "Kurang/Misconduct dan Butuh Perbaikan paling sedikit 10 %"
    assert (v.required, v.actual, v.required_text, v.actual_text) == (
        Fraction(1, 10),
        Fraction(0),
        "≥ 10 %",
        "0/20 = 0.00 %",
    )
    (v,) = check_distribution("sangat_kurang", {SK: 8, SB: 1, K: 1}).violations
    assert (v.rule, v.text, v.required, v.actual) == (
        "sangat_kurang.no_sb",
        "tidak ada pegawai Sangat Baik",
        0,
        1,
    )


def test_plurality_names_the_rival() -> None:
    (v,) = check_distribution("baik", {SB: 5, B: 4, K: 1}).violations
    assert (v.relation, v.required, v.actual) == (">", 5, 4)
    assert (v.required_text, v.actual_text) == ("> 5 (Sangat Baik)", "4 of 10")


# --- options --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "plurality", "majority"),
    [
        ({SB: 4, B: 3, BP: 3}, True, False),  # largest, 40 %
        ({SB: 5, B: 4, BP: 1}, True, False),  # exactly half is not more than half
        ({SB: 5, B: 5}, False, False),  # a tie
        ({SB: 6, B: 4}, True, True),
    ],
)
def test_largest_group_plurality_or_majority(counts: dict[str, int], plurality: bool, majority: bool) -> None:
    assert check_distribution("istimewa", counts).ok is plurality
    report = check_distribution("istimewa", counts, options=DistributionOptions(largest_group="majority"))
    assert report.ok is majority
    if not majority:
        (v,) = report.violations
        assert (v.rule, v.required, v.required_text) == (
            "istimewa.sb_largest",
            Fraction(1, 2),
            "> 50 % (majority)",
        )
        assert v.actual == Fraction(counts[SB], 10)


# Units of 7: 70 % = 4.9, 60 % = 4.2, 10 % = 0.7 people.
SEVEN = [
    # org, counts, clause, {rounding: ok}
    (
        "istimewa",
        {SB: 5, B: 2},
        "istimewa.sb_max_70",
        {"exact": False, "floor": False, "ceil": True, "half_up": True},
    ),
    (
        "butuh_perbaikan",
        {BP: 4, B: 3},
        "butuh_perbaikan.bp_min_60",
        {"exact": False, "floor": True, "ceil": False, "half_up": True},
    ),
    (
        "kurang",
        {K: 5, B: 2},
        "kurang.bp_min_10",
        {"exact": False, "floor": True, "ceil": False, "half_up": False},
    ),
    (
        "butuh_perbaikan",
        {BP: 5, SB: 1, B: 1},
        "butuh_perbaikan.sb_max_10",
        {"exact": False, "floor": False, "ceil": True, "half_up": True},
    ),
]


@pytest.mark.parametrize(("org", "counts", "clause", "verdicts"), SEVEN)
@pytest.mark.parametrize("rounding", ["exact", "floor", "ceil", "half_up"])
def test_rounding_of_limits_on_a_seven_person_unit(
    org: str, counts: dict[str, int], clause: str, verdicts: dict[str, bool], rounding: str
) -> None:
    report = check_distribution(org, counts, options=DistributionOptions(rounding=rounding))  # type: ignore[arg-type]
    assert rules(report) == (set() if verdicts[rounding] else {clause})


def test_the_four_rounding_modes_differ_on_seven_people() -> None:
    patterns = {tuple(v[mode] for *_, v in SEVEN) for mode in ("exact", "floor", "ceil", "half_up")}
    assert len(patterns) == 4


def test_head_count_rounding_reports_counts() -> None:
    options = DistributionOptions(rounding="floor")
    (v,) = check_distribution("istimewa", {SB: 5, B: 2}, options=options).violations
    assert (v.required, v.actual) == (4, 5)
    assert v.required_text == "≤ 4 of 7 (70 % of 7 = 4.9, floor)"
    assert v.actual_text == "5 of 7"
    assert v.to_dict()["measure"] == "count"
    (v,) = check_distribution("butuh_perbaikan", {BP: 4, B: 3}, options=DistributionOptions(rounding="ceil")).violations
    assert (v.required, v.actual, v.required_text) == (5, 4, "≥ 5 of 7 (60 % of 7 = 4.2, ceil)")


def test_rounding_does_not_touch_head_count_clauses() -> None:
    for rounding in ("floor", "ceil", "half_up"):
        options = DistributionOptions(rounding=rounding)
        assert rules(check_distribution("baik", {SB: 3, B: 4}, options=options)) == {"baik.bp_or_k_min_1"}
        assert rules(check_distribution("sangat_kurang", {SK: 16, K: 3, SB: 1}, options=options)) == {
            "sangat_kurang.no_sb"
        }


def test_count_leader_is_carried_not_applied() -> None:
    options = DistributionOptions(count_leader=False)
    report = check_distribution("baik", {B: 6, SB: 3, BP: 1}, options=options)
    assert report.ok
    assert report.options.count_leader is False
    assert report.to_dict()["options"] == {
        "largest_group": "plurality",
        "rounding": "exact",
        "count_leader": False,
    }


def test_default_options() -> None:
    assert DistributionOptions() == DistributionOptions("plurality", "exact", True)
    assert check_distribution("baik", {B: 1, BP: 0, K: 1}).options == DistributionOptions()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"largest_group": "most"}, "largest_group"),
        ({"rounding": "round"}, "rounding"),
        ({"rounding": "truncate"}, "rounding"),
        ({"count_leader": "yes"}, "count_leader"),
        ({"count_leader": 1}, "count_leader"),
    ],
)
def test_bad_options_are_policy_errors(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(PolicyError) as info:
        DistributionOptions(**kwargs)  # type: ignore[arg-type]
    assert [p.field for p in info.value.problems] == [field]


# --- input ----------------------------------------------------------------------------------------


def test_keys_may_be_members_identifiers_or_labels_and_missing_keys_are_zero() -> None:
    a = check_distribution("Butuh Perbaikan", {"Butuh Perbaikan": 6, "Sangat Baik": 1, "Kurang/Misconduct": 3})
    mixed: dict[Predikat | str, int] = {Predikat.BUTUH_PERBAIKAN: 6, SB: 1, K: 3}
    b = check_distribution(PredikatOrganisasi.BUTUH_PERBAIKAN, mixed)
    assert a == b
    assert a.ok
    assert dict(a.counts) == {
        Predikat.SANGAT_BAIK: 1,
        Predikat.BAIK: 0,
        Predikat.BUTUH_PERBAIKAN: 6,
        Predikat.KURANG_MISCONDUCT: 3,
        Predikat.SANGAT_KURANG: 0,
    }
    assert list(a.counts) == list(Predikat)


def test_numpy_integer_counts_are_accepted() -> None:
    np = pytest.importorskip("numpy")
    assert check_distribution("istimewa", {SB: np.int64(6), B: np.int32(4)}).counts[Predikat.SANGAT_BAIK] == 6


@pytest.mark.parametrize(
    ("counts", "field", "message"),
    [
        ({B: -1}, "counts.baik", "must not be negative, got -1"),
        ({B: 2.0}, "counts.baik", "must be a whole number of staff, got 2.0"),
        ({B: "3"}, "counts.baik", "must be a whole number of staff, got '3'"),
        ({B: True}, "counts.baik", "must be a whole number of staff, got True"),
        ({B: Fraction(1, 2)}, "counts.baik", "must be a whole number of staff, got Fraction(1, 2)"),
        ({B: None}, "counts.baik", "must be a whole number of staff, got None"),
        ({"cukup": 1}, "counts.cukup", "'cukup' is not one of"),
        ({B: 1, "Baik": 2}, "counts.Baik", "'baik' is given twice"),
        ({PredikatOrganisasi.ISTIMEWA: 1}, "counts.istimewa", "must be a Predikat"),
        ({PredikatOrganisasi.BAIK: 1}, "counts.baik", "must be a Predikat"),
    ],
)
def test_bad_counts_are_data_errors_naming_the_key(counts: dict[object, object], field: str, message: str) -> None:
    with pytest.raises(DataError) as info:
        check_distribution("baik", counts)  # type: ignore[arg-type]
    (problem,) = info.value.problems
    assert problem.field == field
    assert problem.message.startswith(message)


def test_bad_organisation_predikat() -> None:
    with pytest.raises(DataError, match="predikat_organisasi: 'cukup' is not one of 'istimewa'"):
        check_distribution("cukup", {B: 1})
    with pytest.raises(DataError, match="predikat_organisasi: must be a PredikatOrganisasi"):
        check_distribution(Predikat.BAIK, {B: 1})  # type: ignore[arg-type]


def test_counts_must_be_a_mapping() -> None:
    with pytest.raises(DataError, match="counts: must be a mapping"):
        check_distribution("baik", [3, 4])  # type: ignore[arg-type]


def test_all_problems_are_reported_at_once() -> None:
    with pytest.raises(DataError) as info:
        check_distribution("luar biasa", {B: -2, SB: 1.5, "x": 1, K: 3})  # type: ignore[arg-type]
    assert [p.field for p in info.value.problems] == [
        "counts.baik",
        "counts.sangat_baik",
        "counts.x",
        "predikat_organisasi",
    ]


def test_an_empty_unit_is_ok_with_a_note() -> None:
    report = check_distribution("baik", {B: 0})
    assert report.ok
    assert report.violations == ()
    assert report.n == 0
    assert set(report.shares.values()) == {Fraction(0)}
    assert report.note is not None
    assert "no staff evaluated" in report.note
    assert report.to_dict()["note"] == report.note
    assert str(report) == f"Baik unit, n = 0: {report.note}"
    assert check_distribution("baik", {B: 1}).note is None


# --- the report -----------------------------------------------------------------------------------


def test_to_dict_is_json_ready() -> None:
    report = check_distribution("istimewa", {SB: 5, B: 2})
    d = report.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d == {
        "predikat_organisasi": "istimewa",
        "reference": "SE MenPANRB 3/2023: distribution of employee predikat by organisation predikat",
        "ok": False,
        "n": 7,
        "counts": {SB: 5, B: 2, BP: 0, K: 0, SK: 0},
        "shares": {SB: "71.43", B: "28.57", BP: "0.00", K: "0.00", SK: "0.00"},
        "violations": [
            {
                "rule": "istimewa.sb_max_70",
                "text": "Sangat Baik paling banyak 70 %",
                "measure": "share",
                "relation": "<=",
                "required": "70.00",
                "actual": "71.43",
                "required_text": "≤ 70 %",
                "actual_text": "5/7 = 71.43 %",
            }
        ],
        "options": {"largest_group": "plurality", "rounding": "exact", "count_leader": True},
        "note": None,
    }


def test_to_dict_rounds_shares_half_up() -> None:
    # 1/3 = 33.33 %, 2/3 = 66.67 %; 1/4000 = 0.025 % rounds half-up to 0.03 (half-even would give 0.02)
    d = check_distribution("istimewa", {SB: 2, B: 1}).to_dict()
    assert d["shares"] == {SB: "66.67", B: "33.33", BP: "0.00", K: "0.00", SK: "0.00"}
    assert check_distribution("kurang", {K: 1, BP: 1999}).to_dict()["shares"][K] == "0.05"  # 0.05 exactly
    assert check_distribution("kurang", {K: 1, BP: 3999}).to_dict()["shares"][K] == "0.03"  # 0.025 → 0.03


def test_report_str_lists_violations() -> None:
    text = str(check_distribution("kurang", {K: 5, B: 5}))
    assert text.splitlines() == [
        "Kurang unit, n = 10: 2 violation(s) of SE MenPANRB 3/2023",
        "  kurang.k_min_60: Kurang/Misconduct paling sedikit 60 % (required ≥ 60 %, actual 5/10 = 50.00 %)",
        "  kurang.bp_min_10: Butuh Perbaikan paling sedikit 10 % (required ≥ 10 %, actual 0/10 = 0.00 %)",
    ]


def test_the_report_is_frozen() -> None:
    report = check_distribution("istimewa", {SB: 6, B: 4})
    with pytest.raises(AttributeError):
        report.note = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        report.counts[Predikat.BAIK] = 9  # type: ignore[index]


def test_reexported_from_permenpanrb_6_2022() -> None:
    assert reexported is check_distribution


# --- properties -----------------------------------------------------------------------------------

counts_st = st.fixed_dictionaries({p: st.integers(0, 40) for p in Predikat})
orgs_st = st.sampled_from(list(PredikatOrganisasi))
largest_st = st.sampled_from(["plurality", "majority"])


@given(orgs_st, counts_st, st.integers(1, 7), largest_st)
def test_scaling_the_unit_keeps_the_verdicts_under_exact(
    org: PredikatOrganisasi, counts: dict[Predikat, int], k: int, largest: str
) -> None:
    options = DistributionOptions(largest_group=largest)  # type: ignore[arg-type]
    base = check_distribution(org, counts, options=options)
    scaled = check_distribution(org, {p: k * c for p, c in counts.items()}, options=options)
    assert rules(scaled) == rules(base)
    assert scaled.ok is base.ok
    assert scaled.shares == base.shares


@given(orgs_st, counts_st, st.sampled_from(["exact", "floor", "ceil", "half_up"]))
def test_report_totals(org: PredikatOrganisasi, counts: dict[Predikat, int], rounding: str) -> None:
    report = check_distribution(org, counts, options=DistributionOptions(rounding=rounding))  # type: ignore[arg-type]
    assert report.n == sum(counts.values()) == sum(report.counts.values())
    assert dict(report.counts) == counts
    assert sum(report.shares.values()) == (1 if report.n else 0)
    assert report.ok is (report.violations == ())
    assert all(v.rule.startswith(f"{org.value}.") for v in report.violations)
    d = report.to_dict()
    assert d["n"] == report.n
    assert sum(d["counts"].values()) == report.n


@given(orgs_st, counts_st)
def test_exact_is_the_strictest_rounding(org: PredikatOrganisasi, counts: dict[Predikat, int]) -> None:
    exact = rules(check_distribution(org, counts))
    for rounding in ("floor", "ceil", "half_up"):
        options = DistributionOptions(rounding=rounding)
        assert rules(check_distribution(org, counts, options=options)) <= exact
