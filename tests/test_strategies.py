"""Aggregation strategies: supervisor-only, 360-degree and citizen-weighted; properties, exactness, anonymity."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import asn_kinerja
from asn_kinerja import PolicyError, Predikat, Rating, evaluate, from_records, load_policy, load_policy_text
from asn_kinerja._numbers import round_to
from asn_kinerja.engine.exact import evaluate_exact
from asn_kinerja.engine.strategies import POOL, Aggregator
from asn_kinerja.model import (
    BERAKHLAK,
    Employee,
    Indicator,
    JenisJabatan,
    Period,
    RaterGroup,
    RatingRecord,
    Realisasi,
    RencanaHasilKerja,
    Target,
    Unit,
)
from asn_kinerja.policy.model import PrivacyRules

ROOT = Path(__file__).resolve().parents[1]
POLICIES = ROOT / "examples" / "policies"
PERIOD = Period("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31))
THREE_SIXTY = """\
id: t360
title: Tiga ratus enam puluh
extends: permenpanrb-6-2022
perilaku_kerja:
  strategy: three_sixty
  weights: {atasan: 0.5, rekan: 0.3, bawahan: 0.2}
  three_sixty: {min_raters: {rekan: 3, bawahan: 3}, below_minimum: %s, central_tendency: %s, trim: 0.2}
"""


def three_sixty(below: str = "drop", tendency: str = "mean", publish: str = "when_not_anonymous") -> asn_kinerja.Policy:
    """The 360-degree overlay; ``publish="always"`` publishes the figures computed from anonymous ratings (the
    tests of the arithmetic use it: under the default those figures are withheld)."""
    return load_policy_text(THREE_SIXTY % (below, tendency) + f"privacy: {{publish_scores: {publish}}}\n")


# --- the example policies on the example agency ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["supervisor-only", "three-sixty", "citizen-weighted"])
def test_example_policies_are_overlays_of_the_baseline(name: str, example) -> None:  # type: ignore[no-untyped-def]
    policy = load_policy(POLICIES / f"{name}.yaml")
    assert policy.matrix == load_policy("permenpanrb-6-2022").matrix
    result = evaluate(policy, example)
    assert len(result) == len(example.employees)


def test_supervisor_only_example_equals_the_baseline(example, baseline) -> None:  # type: ignore[no-untyped-def]
    a = evaluate(baseline, example)
    b = evaluate(load_policy(POLICIES / "supervisor-only.yaml"), example)
    assert [(r.employee_id, r.predikat, r.perilaku_score) for r in a] == [
        (r.employee_id, r.predikat, r.perilaku_score) for r in b
    ]


def moved(example, baseline, name: str) -> dict[str, tuple[Predikat, Predikat]]:  # type: ignore[no-untyped-def]
    a = evaluate(baseline, example)
    b = evaluate(load_policy(POLICIES / f"{name}.yaml"), example)
    return {
        r.employee_id: (a[r.employee_id].predikat, r.predikat) for r in b if a[r.employee_id].predikat != r.predikat
    }


def test_low_peer_ratings_move_an_employee_under_360(example, baseline) -> None:  # type: ignore[no-untyped-def]
    changes = moved(example, baseline, "three-sixty")
    assert changes
    policy = load_policy(POLICIES / "three-sixty.yaml")
    result = evaluate(policy, example)
    # Synthetic data: publishing the figures shows why (the default withholds the peers' score).
    figures = evaluate(attrs.evolve(policy, privacy=PrivacyRules(publish_scores="always")), example)
    for employee_id, (before, after) in changes.items():
        r = result[employee_id]
        assert after.code > before.code  # moved down: peers rated them lower than the supervisor did
        groups = {s.label: s for s in r.explain()}
        assert groups["kelompok rekan"].value == "withheld"
        assert r.perilaku_score is None and r.scores_withheld
        shown = {s.label: s for s in figures[employee_id].explain()}
        assert Decimal(shown["kelompok rekan"].value) < Decimal(shown["kelompok atasan"].value)
        assert r.perilaku_kerja_basis == "suggested"


def test_low_citizen_satisfaction_moves_service_staff(example, baseline) -> None:  # type: ignore[no-untyped-def]
    changes = moved(example, baseline, "citizen-weighted")
    result = evaluate(load_policy(POLICIES / "citizen-weighted.yaml"), example)
    units = {result[e].unit_id for e in changes}
    assert "UPT-MB" in units
    assert units <= {"UPT-MB", "CAPIL", "DAFDUK"}  # only the surveyed service units
    for employee_id, (before, after) in changes.items():
        assert after.code > before.code
        citizen = next(s for s in result[employee_id].explain() if s.label == "indeks kepuasan masyarakat")
        if result[employee_id].unit_id == "UPT-MB":
            assert "mutu D" in citizen.detail
    # Staff of units that were not surveyed keep their result.
    base = evaluate(baseline, example)
    for r in result:
        if r.unit_id in ("SEKRE", "UMPEG", "KEU", "PIAK", "DUKCAPIL"):
            assert r.predikat is base[r.employee_id].predikat


# --- policy validation ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ("perilaku_kerja: {strategy: crowd_wisdom}", "perilaku_kerja.strategy", "supervisor_only"),
        (
            "perilaku_kerja: {strategy: three_sixty, weights: {atasan: 0.5, tetangga: 0.5}, three_sixty: {}}",
            "perilaku_kerja.weights.tetangga",
            "unknown key",
        ),
        (
            "perilaku_kerja: {strategy: three_sixty, weights: {atasan: 1.2, rekan: -0.2}, three_sixty: {}}",
            "perilaku_kerja.weights.rekan",
            "negative",
        ),
        (
            "perilaku_kerja: {strategy: three_sixty, weights: {atasan: 0.5, rekan: 0.5}}",
            "perilaku_kerja.three_sixty",
            "needs its rules",
        ),
        ("perilaku_kerja: {strategy: citizen_weighted}", "perilaku_kerja.citizen", "needs its rules"),
        (
            "perilaku_kerja: {strategy: citizen_weighted, citizen: {weight: 0.2, applies_to: [ramah]}}",
            "perilaku_kerja.citizen.applies_to[0]",
            "'ramah'",
        ),
        (
            "perilaku_kerja: {strategy: three_sixty, weights: {atasan: 0.5, diri: 0.5}, three_sixty: {}}",
            "perilaku_kerja.weights.diri",
            "include_self",
        ),
        (
            "perilaku_kerja: {strategy: three_sixty, weights: {atasan: 0.5, rekan: 0.5}, "
            "three_sixty: {min_raters: {rekan: 1}}}",
            "perilaku_kerja.three_sixty.min_raters.rekan",
            "anonymity",
        ),
        (
            "perilaku_kerja: {strategy: three_sixty, weights: {atasan: 0.5, rekan: 0.5}, "
            "three_sixty: {trim: 0.5, central_tendency: average}}",
            "perilaku_kerja.three_sixty.central_tendency",
            "trimmed_mean",
        ),
    ],
)
def test_strategy_policy_errors_name_the_key(body: str, field: str, words: str) -> None:
    with pytest.raises(PolicyError) as err:
        load_policy_text("id: x\ntitle: x\nextends: permenpanrb-6-2022\n" + body + "\n")
    found = [p for p in err.value.problems if p.field == field]
    assert found, str(err.value)
    assert words in found[0].message
    assert found[0].line == 4


# --- small datasets -------------------------------------------------------------------------------------------------


def team(
    peer_scores: list[str],
    *,
    boss: str = "4",
    sub_scores: tuple[str, ...] = (),
    self_score: str | None = "5",
    survey: list[list[int | None]] | None = None,
) -> asn_kinerja.Dataset:
    """E reports to BOS; peers P1.. rate E; subordinates S1.. rate E; all on every BerAKHLAK value."""
    peers = [Employee(f"P{i}", f"Rekan {i}", "U", JenisJabatan.JA, None, "BOS") for i in range(len(peer_scores))]
    subs = [Employee(f"S{i}", f"Staf {i}", "U", JenisJabatan.JA, None, "E") for i in range(len(sub_scores))]
    people = [
        Employee("BOS", "Atasan", "U", JenisJabatan.JA),
        Employee("E", "Pegawai", "U", JenisJabatan.JA, None, "BOS"),
    ]
    people += peers + subs
    scores = [RatingRecord("E", "BOS", RaterGroup.ATASAN, c, Decimal(boss)) for c in BERAKHLAK]
    scores += [
        RatingRecord("E", p.id, RaterGroup.REKAN, c, Decimal(s))
        for p, s in zip(peers, peer_scores, strict=True)
        for c in BERAKHLAK
    ]
    scores += [
        RatingRecord("E", x.id, RaterGroup.BAWAHAN, c, Decimal(s))
        for x, s in zip(subs, sub_scores, strict=True)
        for c in BERAKHLAK
    ]
    if self_score is not None:
        scores += [RatingRecord("E", "E", RaterGroup.DIRI, c, Decimal(self_score)) for c in BERAKHLAK]
    rhk = [RencanaHasilKerja(f"R-{p.id}", p.id, "Hasil") for p in people]
    return from_records(
        agency="Uji",
        period=PERIOD,
        units=[Unit("U", "Unit layanan", service_unit=True)],
        employees=people,
        rhk=rhk,
        indicators=[Indicator(f"I-{p.id}", f"R-{p.id}", "Dokumen", Target.value(Decimal(10))) for p in people],
        realisasi=[Realisasi(f"I-{p.id}", Decimal(10)) for p in people],
        ratings=scores,
        evaluations={p.id: (None, "sesuai") for p in people if p.id != "E"},
        surveys={"U": survey} if survey else None,
    )


def test_group_below_minimum_is_dropped_and_others_reweighted() -> None:
    r = evaluate(three_sixty("drop"), team(["1", "1"], boss="4"))["E"]
    assert r.perilaku_score == Decimal("4.00")  # two peers < 3: dropped, the atasan alone remains
    steps = {s.label: s for s in r.explain()}
    assert steps["kelompok rekan"].value == "—"
    assert "minimum of 3" in steps["kelompok rekan"].detail


def test_group_meeting_minimum_counts_with_its_weight() -> None:
    r = evaluate(three_sixty("drop", publish="always"), team(["2", "2", "3"], boss="4"))["E"]
    # (0.5 × 4 + 0.3 × 7/3) / 0.8 = 3.375
    assert r.perilaku_score == Decimal("3.38")
    assert r.rating_perilaku_kerja is Rating.SESUAI_EKSPEKTASI
    withheld = evaluate(three_sixty("drop"), team(["2", "2", "3"], boss="4"))["E"]
    assert (withheld.perilaku_score, withheld.scores_withheld) == (None, True)
    assert withheld.rating_perilaku_kerja is Rating.SESUAI_EKSPEKTASI


def test_pool_merges_groups_below_their_minimum() -> None:
    data = team(["2", "2"], boss="4", sub_scores=("1",))
    r = evaluate(three_sixty("pool", publish="always"), data)["E"]
    # rekan (2 raters) and bawahan (1) pooled: 3 raters, mean 5/3, weight 0.3 + 0.2 -> (0.5×4 + 0.5×5/3) / 1
    assert r.perilaku_score == Decimal("2.83")
    groups = r.to_dict()["perilaku_groups"]
    assert groups["lainnya"]["raters"] == 3
    assert not groups["rekan"]["shown"]


def test_fail_rule_names_employee_and_group() -> None:
    with pytest.raises(asn_kinerja.DataError) as err:
        evaluate(three_sixty("fail"), team(["2", "2"]))
    [problem] = err.value.problems
    assert problem.record == "E"
    assert "rekan group has fewer raters than its minimum of 3" in problem.message


@pytest.mark.parametrize(("tendency", "expected"), [("mean", "3.30"), ("median", "3.38"), ("trimmed_mean", "3.50")])
def test_central_tendency(tendency: str, expected: str) -> None:
    # peers 1, 4, 4, 5, 5: mean 3.8, median 4, trimmed (20 %: one each end) 13/3; with the atasan's 3:
    # (0.5 × 3 + 0.3 × x) / 0.8 = 3.30, 3.375, 3.50
    r = evaluate(three_sixty("drop", tendency, "always"), team(["1", "4", "4", "5", "5"], boss="3"))["E"]
    assert r.perilaku_score == Decimal(expected)


def test_self_gap_is_reported_but_not_counted() -> None:
    r = evaluate(three_sixty(publish="always"), team(["3", "3", "3"], boss="3", self_score="5"))["E"]
    assert r.perilaku_score == Decimal("3.00")
    assert r.self_score == Decimal("5.00")
    assert r.self_gap == Decimal("2.00")
    # By default the others' score includes the peers: the gap is withheld, the employee's own rating is not.
    r = evaluate(three_sixty(), team(["3", "3", "3"], boss="3", self_score="5"))["E"]
    assert (r.self_score, r.self_gap, r.perilaku_score) == (Decimal("5.00"), None, None)
    r = evaluate(three_sixty(), team(["3", "3"], boss="3", self_score="5"))["E"]  # peers dropped: atasan alone
    assert (r.self_gap, r.perilaku_score, r.scores_withheld) == (Decimal("2.00"), Decimal("3.00"), False)


CITIZEN = """\
id: cz
title: cz
extends: permenpanrb-6-2022
perilaku_kerja:
  strategy: citizen_weighted
  citizen: {weight: 0.5, applies_to: [%s], without_survey: %s, min_respondents: 3}
privacy: {publish_scores: %s}
"""


def citizen(
    applies_to: str = "overall", without: str = "reweight", publish: str = "when_not_anonymous"
) -> asn_kinerja.Policy:
    return load_policy_text(CITIZEN % (applies_to, without, publish))


def test_citizen_index_on_the_scale_and_weighted() -> None:
    survey = [[4] * 9, [4] * 9, [1] * 9, [1] * 9]  # index 2.5 -> 3 on the 1-5 scale
    r = evaluate(citizen(publish="always"), team([], boss="5", survey=survey))["E"]
    assert r.perilaku_score == Decimal("4.00")  # (5 + 3) / 2
    assert r.to_dict()["citizen"]["konversi"] == "62.50"
    r1 = evaluate(citizen("berorientasi_pelayanan", publish="always"), team([], boss="5", survey=survey))["E"]
    assert r1.perilaku_score == Decimal("4.86")  # one value becomes (5 + 3) / 2 = 4: (6 × 5 + 4) / 7 = 4.857...
    # By default the index and the score computed from it are withheld; the mutu and the rating are published.
    r = evaluate(citizen(), team([], boss="5", survey=survey))["E"]
    assert (r.perilaku_score, r.scores_withheld, r.rating_perilaku_kerja) == (None, True, Rating.SESUAI_EKSPEKTASI)
    assert r.to_dict()["citizen"] == {
        "used": True,
        "konversi": None,
        "mutu": "D",
        "respondents": 4,
        "detail": "unit U, 4 respondents, mutu D (Tidak Baik); weight 0.5 on overall; the index is not published "
        "(privacy.publish_scores: when_not_anonymous)",
    }


def test_without_survey_reweights_or_fails() -> None:
    r = evaluate(citizen(), team([], boss="5"))["E"]
    assert (r.perilaku_score, r.scores_withheld) == (Decimal("5.00"), False)  # no index: the atasan's alone
    with pytest.raises(asn_kinerja.DataError, match="no citizen survey"):
        evaluate(citizen(without="fail"), team([], boss="5"))


# --- anonymity: nothing an output shows depends on one rater of a group below its minimum ---------------------------


def outputs(policy: asn_kinerja.Policy, data: asn_kinerja.Dataset) -> str:
    result = evaluate(policy, data)
    explains = "\n".join(str(r.explain()) for r in result)
    return result.to_json() + result.to_csv() + result.to_table() + explains + repr(result)


@pytest.mark.parametrize("value", ["1", "2.5", "5"])
def test_a_single_peer_below_minimum_cannot_be_recovered(value: str) -> None:
    policy = three_sixty("drop")
    base = outputs(policy, team(["3", "4"]))
    assert outputs(policy, team(["3", value])) == base


def test_a_citizen_in_a_survey_below_minimum_cannot_be_recovered() -> None:
    policy = citizen()
    one = outputs(policy, team([], survey=[[4] * 9, [3] * 9]))
    two = outputs(policy, team([], survey=[[4] * 9, [1] * 9]))
    assert one == two


def test_group_values_shown_only_from_the_minimum_up() -> None:
    policy = three_sixty("drop")
    shown = evaluate(three_sixty("drop", publish="always"), team(["3", "4", "5"])).to_dict()["employees"]
    e = next(x for x in shown if x["employee_id"] == "E")
    assert e["perilaku_groups"]["rekan"] == {"shown": True, "raters": 3, "score": "4.00", "spread": "0.82"}
    withheld = evaluate(policy, team(["3", "4", "5"])).to_dict()["employees"]
    e = next(x for x in withheld if x["employee_id"] == "E")
    assert e["perilaku_groups"]["rekan"] == {"shown": True, "raters": 3, "score": None, "spread": None}
    hidden = evaluate(policy, team(["3", "4"])).to_dict()["employees"]
    e = next(x for x in hidden if x["employee_id"] == "E")
    assert e["perilaku_groups"]["rekan"] == {"shown": False, "minimum": 3}
    assert "4" not in json.dumps(e["perilaku_groups"]["rekan"])


# --- properties of the aggregate ------------------------------------------------------------------------------------

group_codes = st.sampled_from([RaterGroup.ATASAN.code, RaterGroup.REKAN.code, RaterGroup.BAWAHAN.code])
rating_rows = st.lists(
    st.tuples(st.integers(0, 3), group_codes, st.integers(0, 6), st.sampled_from([1.0, 1.5, 2.0, 3.0, 3.25, 4.0, 5.0])),
    min_size=1,
    max_size=60,
)
tendencies = st.sampled_from(["mean", "median", "trimmed_mean"])
below_rules = st.sampled_from(["drop", "pool"])


def aggregate(
    rows: list[tuple[int, int, int, float]], policy: asn_kinerja.Policy, weights: dict[RaterGroup, str] | None = None
):  # type: ignore[no-untyped-def]
    pk = policy.perilaku_kerja
    assert pk is not None
    if weights is not None:
        pk = attrs.evolve(pk, weights={g: Decimal(w) for g, w in weights.items()})
    arr = np.array(rows, dtype=np.float64).reshape(-1, 4)
    return Aggregator(pk).score(
        arr[:, 0].astype(np.intp),
        arr[:, 1].astype(np.intp),
        arr[:, 2].astype(np.intp),
        arr[:, 3],
        4,
        np.full(4, np.nan),
    )


@settings(max_examples=80)
@given(rating_rows, tendencies, below_rules)
def test_group_value_lies_within_its_raters(rows, tendency, below) -> None:  # type: ignore[no-untyped-def]
    scores = aggregate(rows, three_sixty(below, tendency))
    for ratee, group, crit, _ in rows:
        if scores.shown[ratee, group, crit]:
            mine = [s for r, g, c, s in rows if (r, g, c) == (ratee, group, crit)]
            assert min(mine) - 1e-12 <= scores.value[ratee, group, crit] <= max(mine) + 1e-12
    finite = scores.overall[~np.isnan(scores.overall)]
    assert np.all((finite >= 1.0 - 1e-12) & (finite <= 5.0 + 1e-12))


@settings(max_examples=80)
@given(rating_rows, tendencies, below_rules, st.randoms(use_true_random=False))
def test_shuffling_raters_changes_nothing(rows, tendency, below, rnd) -> None:  # type: ignore[no-untyped-def]
    policy = three_sixty(below, tendency)
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    a, b = aggregate(rows, policy), aggregate(shuffled, policy)
    np.testing.assert_allclose(a.overall, b.overall, rtol=1e-12, equal_nan=True)
    assert np.array_equal(a.shown, b.shown)


@settings(max_examples=80)
@given(rating_rows, tendencies, st.sampled_from(["2", "0.1", "7.5"]))
def test_scaling_all_weights_changes_nothing(rows, tendency, factor) -> None:  # type: ignore[no-untyped-def]
    policy = three_sixty("drop", tendency)
    base = {RaterGroup.ATASAN: "0.5", RaterGroup.REKAN: "0.3", RaterGroup.BAWAHAN: "0.2"}
    scaled = {g: str(Decimal(w) * Decimal(factor)) for g, w in base.items()}
    a, b = aggregate(rows, policy, base), aggregate(rows, policy, scaled)
    np.testing.assert_allclose(a.overall, b.overall, rtol=1e-9, equal_nan=True)


@settings(max_examples=80)
@given(rating_rows, tendencies, below_rules, st.data())
def test_raising_a_score_never_lowers_the_result(rows, tendency, below, data) -> None:  # type: ignore[no-untyped-def]
    policy = three_sixty(below, tendency)
    i = data.draw(st.integers(0, len(rows) - 1))
    ratee, group, crit, score = rows[i]
    raised = list(rows)
    raised[i] = (ratee, group, crit, min(5.0, score + data.draw(st.sampled_from([0.25, 1.0, 4.0]))))
    a, b = aggregate(rows, policy), aggregate(raised, policy)
    both = ~np.isnan(a.overall) & ~np.isnan(b.overall)
    assert np.all(b.overall[both] >= a.overall[both] - 1e-12)
    assert np.array_equal(np.isnan(a.overall), np.isnan(b.overall))


@settings(max_examples=80)
@given(rating_rows, below_rules, st.integers(2, 4), st.integers(0, 3))
def test_raising_a_minimum_never_reveals_more_groups(rows, below, low, extra) -> None:  # type: ignore[no-untyped-def]
    def policy(minimum: int) -> asn_kinerja.Policy:
        text = THREE_SIXTY.replace("{rekan: 3, bawahan: 3}", f"{{rekan: {minimum}, bawahan: {minimum}}}")
        return load_policy_text(text % (below, "mean"))

    a, b = aggregate(rows, policy(low)), aggregate(rows, policy(low + extra))
    assert not np.any(b.shown[:, :POOL] & ~a.shown[:, :POOL])
    assert b.shown.sum() <= a.shown.sum() + b.shown[:, POOL].sum()


# --- the columnar path equals the exact path under every strategy --------------------------------------------------

score_values = st.sampled_from([Decimal(x) / 4 for x in range(4, 21)])


@st.composite
def teams(draw: st.DrawFn) -> asn_kinerja.Dataset:
    peers = draw(st.lists(score_values, max_size=5))
    subs = draw(st.lists(score_values, max_size=4))
    boss = draw(score_values)
    survey = draw(
        st.one_of(st.none(), st.lists(st.lists(st.integers(1, 4), min_size=9, max_size=9), min_size=1, max_size=8))
    )
    return team([str(p) for p in peers], boss=str(boss), sub_scores=tuple(str(s) for s in subs), survey=survey)


POLICY_TEXTS = [
    THREE_SIXTY % ("drop", "mean"),
    THREE_SIXTY % ("pool", "median"),
    THREE_SIXTY % ("pool", "trimmed_mean"),
    CITIZEN % ("overall", "reweight", "when_not_anonymous"),
    CITIZEN % ("berorientasi_pelayanan", "reweight", "when_not_anonymous"),
]


@settings(max_examples=60)
@given(teams(), st.sampled_from(POLICY_TEXTS))
def test_columnar_equals_exact_under_every_strategy(data: asn_kinerja.Dataset, text: str) -> None:
    policy = load_policy_text(text)
    figures = attrs.evolve(policy, privacy=PrivacyRules(publish_scores="always"))
    result, published = evaluate(figures, data), evaluate(policy, data)
    for row in range(len(data.employees)):
        exact = evaluate_exact(policy, data, row)
        got = result.result(row)
        assert got.rating_perilaku_kerja is exact.rating_perilaku_kerja
        assert got.predikat is exact.predikat
        assert got.perilaku_score == (None if exact.perilaku_score is None else round_to(exact.perilaku_score, 2))
        # The default publishes the same figure, or withholds it, and changes nothing else.
        shown = published.result(row)
        assert shown.perilaku_score == (None if shown.scores_withheld else got.perilaku_score)
        assert (shown.rating_perilaku_kerja, shown.predikat, shown.development) == (
            got.rating_perilaku_kerja,
            got.predikat,
            got.development,
        )
