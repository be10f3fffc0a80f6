"""Evaluation end to end: the example agency, explain, JSON, and the columnar path against the exact path."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import asn_kinerja
from asn_kinerja import DataError, Predikat, Rating, evaluate, from_records, load_policy_text
from asn_kinerja._numbers import round_to
from asn_kinerja.engine.exact import evaluate_exact
from asn_kinerja.model import (
    BERAKHLAK,
    Adjustment,
    Direction,
    Employee,
    Indicator,
    JenisJabatan,
    JenisRhk,
    Period,
    RaterGroup,
    RatingRecord,
    Realisasi,
    RencanaHasilKerja,
    Target,
    Unit,
)

PERIOD = Period("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def test_example_agency_every_predikat(example, baseline) -> None:  # type: ignore[no-untyped-def]
    result = evaluate(baseline, example)
    assert len(result) == len(example.employees) >= 60
    counts = result.counts()
    assert all(counts[p] > 0 for p in Predikat), counts
    assert sum(counts.values()) == len(example.employees)
    bases = {(r.hasil_kerja_basis, r.perilaku_kerja_basis) for r in result}
    assert ("given", "given") in bases
    assert ("suggested", "suggested") in bases


def test_given_rating_wins_and_is_marked(example, baseline) -> None:  # type: ignore[no-untyped-def]
    result = evaluate(baseline, example)
    emp = example.employees
    given = np.flatnonzero(emp.rating_hasil_kerja >= 0)
    assert len(given)
    for row in given:
        r = result.result(int(row))
        assert r.rating_hasil_kerja is Rating.from_code(int(emp.rating_hasil_kerja[row]))
        assert r.hasil_kerja_basis == "given"


def test_explain_names_each_step_and_its_reference(example, baseline) -> None:  # type: ignore[no-untyped-def]
    result = evaluate(baseline, example)
    for r in result:
        steps = r.explain()
        names = [s.label for s in steps]
        assert names[:3] == ["capaian hasil kerja", "rating hasil kerja", "skor perilaku kerja"]
        assert names.index("rating perilaku kerja") < names.index("predikat")
        by_name = {s.label: s for s in steps}
        assert by_name["predikat"].value == r.predikat_matrix.label
        assert "PermenPANRB 6/2022" in str(by_name["predikat"].reference)
        if "kelompok atasan" in by_name:  # supervisor-only: the atasan alone makes the score
            assert by_name["kelompok atasan"].value == str(r.perilaku_score)
        if r.hasil_kerja_basis == "suggested":
            assert "suggested" in by_name["rating hasil kerja"].detail
            assert by_name["rating hasil kerja"].reference.note is not None
        if r.adjustment is not None:
            assert names.index("penyesuaian") == names.index("predikat") + 1
            assert by_name["penyesuaian"].value == r.predikat.label
            assert r.predikat is not r.predikat_matrix


def test_json_shape_and_labels(example, baseline) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(evaluate(baseline, example).to_json())
    assert data["policy"]["id"] == "permenpanrb-6-2022"
    labels = {p.label for p in Predikat}
    ratings = {r.label for r in Rating}
    assert len(data["employees"]) == len(example.employees)
    for e in data["employees"]:
        assert {"employee_id", "predikat", "rating_hasil_kerja", "rating_perilaku_kerja"} <= set(e)
        assert e["predikat_label"] in labels
        assert e["rating_hasil_kerja_label"] in ratings
        assert e["rating_perilaku_kerja_label"] in ratings
        assert Predikat(e["predikat"]).label == e["predikat_label"]  # machines: the id, the label beside it
    ids = {p.value for p in Predikat}
    assert data["summary"]["predikat"] == {k: sum(1 for e in data["employees"] if e["predikat"] == k) for k in ids}


def test_csv_and_table(example, baseline) -> None:  # type: ignore[no-untyped-def]
    result = evaluate(baseline, example)
    assert result.to_csv().count("\n") == len(example.employees) + 1
    table = result.to_table()
    for r in result:
        assert r.employee_id in table
    assert "Sangat Kurang" in table


# --- small hand-made datasets ---------------------------------------------------------------------------------


def one_employee(
    realisasi: str | None,
    *,
    target: tuple[str, str] = ("100", "100"),
    scores: dict[str, str] | None = None,
    evaluation: tuple[str | None, str | None] | None = None,
    direction: Direction = Direction.HIGHER_IS_BETTER,
    adjustments: tuple[Adjustment, ...] = (),
) -> asn_kinerja.Dataset:
    scores = scores if scores is not None else dict.fromkeys(BERAKHLAK, "4")
    return from_records(
        agency="Uji",
        period=PERIOD,
        units=[Unit("U", "Unit")],
        employees=[
            Employee("BOS", "Atasan", "U", JenisJabatan.JA),
            Employee("E", "Pegawai", "U", JenisJabatan.JA, None, "BOS"),
        ],
        rhk=[RencanaHasilKerja("R1", "E", "Hasil"), RencanaHasilKerja("R0", "BOS", "Hasil atasan")],
        indicators=[
            Indicator("I1", "R1", "Dokumen", Target(Decimal(target[0]), Decimal(target[1])), direction),
            Indicator("I0", "R0", "Dokumen", Target.value(Decimal(1))),
        ],
        realisasi=[Realisasi(i, Decimal(r)) for i, r in (("I1", realisasi), ("I0", "1")) if r is not None],
        ratings=[RatingRecord("E", "BOS", RaterGroup.ATASAN, c, Decimal(s)) for c, s in scores.items()]
        + [RatingRecord("BOS", "BOS", RaterGroup.DIRI, c, Decimal(3)) for c in BERAKHLAK],
        evaluations={"BOS": ("sesuai", "sesuai"), **({"E": evaluation} if evaluation else {})},
        adjustments=adjustments,
    )


@pytest.mark.parametrize(
    ("realisasi", "expected", "capaian"),
    [
        ("110", "di_atas", "110.00"),
        ("109.99", "sesuai", "109.99"),
        ("90", "sesuai", "90.00"),
        ("89.99", "di_bawah", "89.99"),
    ],
)
def test_hasil_kerja_suggestion_edges(baseline, realisasi: str, expected: str, capaian: str) -> None:  # type: ignore[no-untyped-def]
    r = evaluate(baseline, one_employee(realisasi))["E"]
    assert r.rating_hasil_kerja is Rating.parse(expected)
    assert r.hasil_kerja_basis == "suggested"
    assert r.capaian == Decimal(capaian)


def test_range_and_lower_is_better_targets(baseline) -> None:  # type: ignore[no-untyped-def]
    inside = evaluate(baseline, one_employee("2", target=("1", "3"), direction=Direction.LOWER_IS_BETTER))["E"]
    assert inside.capaian == Decimal("100.00")
    faster = evaluate(baseline, one_employee("0.5", target=("1", "3"), direction=Direction.LOWER_IS_BETTER))["E"]
    assert faster.capaian == Decimal("150.00")
    slower = evaluate(baseline, one_employee("4", target=("1", "3"), direction=Direction.LOWER_IS_BETTER))["E"]
    assert slower.capaian == Decimal("66.67")
    above = evaluate(baseline, one_employee("96", target=("80", "90")))["E"]
    assert above.capaian == Decimal("106.67")


def test_perilaku_suggestion_edges(baseline) -> None:  # type: ignore[no-untyped-def]
    # Mean over the seven values exactly 4.5 -> Di Atas; a hair below -> Sesuai.
    exact_45 = dict(zip(BERAKHLAK, ["5", "5", "5", "4", "4", "4", "4.5"], strict=True))
    below = dict(zip(BERAKHLAK, ["5", "5", "5", "4", "4", "4", "4.49"], strict=True))
    r1 = evaluate(baseline, one_employee("100", scores=exact_45))["E"]
    r2 = evaluate(baseline, one_employee("100", scores=below))["E"]
    assert r1.perilaku_score == Decimal("4.50")
    assert r1.rating_perilaku_kerja is Rating.DI_ATAS_EKSPEKTASI
    assert r2.rating_perilaku_kerja is Rating.SESUAI_EKSPEKTASI
    assert r2.perilaku_score == Decimal("4.50")  # 31.49 / 7 = 4.4985..., published as 4.50 but below the threshold


def test_missing_criterion_without_given_rating_is_an_error(baseline) -> None:  # type: ignore[no-untyped-def]
    scores = dict.fromkeys(BERAKHLAK[:-1], "4")
    with pytest.raises(DataError) as err:
        evaluate(baseline, one_employee("100", scores=scores))
    [problem] = err.value.problems
    assert problem.record == "E"
    assert problem.field == "rating_perilaku_kerja"
    assert "kolaboratif" in problem.message
    # ... but a given rating makes the missing rating irrelevant.
    ok = evaluate(baseline, one_employee("100", scores=scores, evaluation=(None, "sesuai")))["E"]
    assert ok.perilaku_kerja_basis == "given"


def test_missing_realisasi_without_given_rating_is_an_error(baseline) -> None:  # type: ignore[no-untyped-def]
    dataset = from_records(
        agency="Uji",
        period=PERIOD,
        units=[Unit("U", "Unit")],
        employees=[Employee("E", "Pegawai", "U", JenisJabatan.JA)],
        rhk=[RencanaHasilKerja("R1", "E", "Hasil")],
        indicators=[Indicator("I1", "R1", "Dokumen", Target.value(Decimal(5)))],
        evaluations={"E": (None, "sesuai")},
    )
    with pytest.raises(DataError) as err:
        evaluate(baseline, dataset)
    assert "realisasi is missing for indicator I1" in str(err.value)


def test_every_rating_left_unsuggested_is_reported_with_its_reason(baseline) -> None:  # type: ignore[no-untyped-def]
    dataset = one_employee(None, scores=dict.fromkeys(BERAKHLAK[:-1], "4"))
    with pytest.raises(DataError) as err:
        evaluate(baseline, dataset)
    assert [(p.source, p.record, p.field, p.message) for p in err.value.problems] == [
        (
            "evaluations",
            "E",
            "rating_hasil_kerja",
            "no rating hasil kerja given, and realisasi is missing for indicator I1",
        ),
        (
            "evaluations",
            "E",
            "rating_perilaku_kerja",
            f"no rating perilaku kerja given, and no counted rating from atasan on {BERAKHLAK[-1]} to suggest one "
            "(supervisor_only)",
        ),
    ]


def test_adjustment_changes_only_the_final_predikat(baseline) -> None:  # type: ignore[no-untyped-def]
    adj = Adjustment("E", "KEPALA", dt.date(2026, 1, 20), Predikat.BUTUH_PERBAIKAN, Predikat.BAIK, "keberatan diterima")
    r = evaluate(baseline, one_employee("50", adjustments=(adj,)))["E"]
    assert r.predikat_matrix is Predikat.BUTUH_PERBAIKAN
    assert r.predikat is Predikat.BAIK
    assert r.to_dict()["adjustment"]["reason"] == "keberatan diterima"
    wrong = Adjustment("E", "KEPALA", dt.date(2026, 1, 20), Predikat.SANGAT_KURANG, Predikat.BAIK, "salah")
    with pytest.raises(DataError, match="adjustment is from Sangat Kurang but the evaluation gives Butuh Perbaikan"):
        evaluate(baseline, one_employee("50", adjustments=(wrong,)))


def test_policy_matrix_variant_is_used_and_labelled(baseline) -> None:  # type: ignore[no-untyped-def]
    variant = load_policy_text(
        "id: varian\ntitle: Varian keliru\nextends: permenpanrb-6-2022\n"
        "matrix: {sesuai: {di_bawah: butuh_perbaikan}, di_atas: {di_bawah: butuh_perbaikan}}\n"
    )
    data = one_employee("100", evaluation=("sesuai", "di_bawah"))
    assert evaluate(baseline, data)["E"].predikat is Predikat.KURANG_MISCONDUCT
    r = evaluate(variant, data)["E"]
    assert r.predikat is Predikat.BUTUH_PERBAIKAN
    assert "not the official one" in next(s for s in r.explain() if s.label == "predikat").detail


def test_inputs_are_not_mutated(example, baseline) -> None:  # type: ignore[no-untyped-def]
    before = example.ratings.score.copy(), example.indicators.realisasi.copy()
    evaluate(baseline, example)
    assert np.array_equal(before[0], example.ratings.score)
    assert np.array_equal(before[1], example.indicators.realisasi, equal_nan=True)
    assert baseline == asn_kinerja.load_policy("permenpanrb-6-2022")


# --- the columnar path equals the exact path --------------------------------------------------------------------

decimals = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2)
score_values = st.sampled_from([Decimal(x) / 4 for x in range(4, 21)])  # 1, 1.25, ... 5: ties and exact thresholds


@st.composite
def populations(draw: st.DrawFn) -> asn_kinerja.Dataset:
    n = draw(st.integers(min_value=1, max_value=12))
    units = [Unit("U", "Unit")]
    employees = [Employee("E0", "Kepala", "U", JenisJabatan.JPT)]
    for i in range(1, n):
        employees.append(
            Employee(f"E{i}", f"Pegawai {i}", "U", JenisJabatan.JA, None, f"E{draw(st.integers(0, i - 1))}")
        )
    rhk, indicators, realisasi, scores = [], [], [], []
    evaluations: dict[str, tuple[str | None, str | None]] = {}
    for i in range(n):
        for k in range(draw(st.integers(1, 2))):
            rid = f"R{i}-{k}"
            jenis = JenisRhk.UTAMA if k == 0 else draw(st.sampled_from(list(JenisRhk)))
            rhk.append(RencanaHasilKerja(rid, f"E{i}", "RHK", jenis))
            for j in range(draw(st.integers(1, 3))):
                low = draw(decimals)
                high = draw(st.sampled_from([low, low + draw(decimals)]))
                iid = f"I{i}-{k}-{j}"
                direction = draw(st.sampled_from(list(Direction)))
                weight = draw(st.sampled_from([Decimal(1), Decimal("0.5"), Decimal("2.25")]))
                indicators.append(Indicator(iid, rid, "IKI", Target(low, high), direction, weight=weight))
                # Realisations at, around and away from the target, hitting the thresholds exactly at times.
                factor = draw(st.sampled_from([Decimal(1), Decimal("1.1"), Decimal("0.9"), Decimal("0.5")]))
                real = draw(st.one_of(st.just((low * factor).quantize(Decimal("0.01"))), decimals))
                realisasi.append(Realisasi(iid, real))
        superior = employees[i].superior_id
        for c in BERAKHLAK:
            if superior is not None:
                scores.append(RatingRecord(f"E{i}", superior, RaterGroup.ATASAN, c, draw(score_values)))
            scores.append(RatingRecord(f"E{i}", f"E{i}", RaterGroup.DIRI, c, draw(score_values)))
        if superior is None or draw(st.booleans()):
            evaluations[f"E{i}"] = (draw(st.sampled_from([None, "di_atas", "sesuai", "di_bawah"])), "sesuai")
    return from_records(
        agency="Acak",
        period=PERIOD,
        units=units,
        employees=employees,
        rhk=rhk,
        indicators=indicators,
        realisasi=realisasi,
        ratings=scores,
        evaluations=evaluations,
    )


@settings(max_examples=60)
@given(populations())
def test_columnar_path_equals_exact_path(dataset: asn_kinerja.Dataset) -> None:
    policy = asn_kinerja.load_policy("permenpanrb-6-2022")
    result = evaluate(policy, dataset)
    for row in range(len(dataset.employees)):
        exact = evaluate_exact(policy, dataset, row)
        got = result.result(row)
        assert got.rating_hasil_kerja is exact.rating_hasil_kerja
        assert got.rating_perilaku_kerja is exact.rating_perilaku_kerja
        assert got.predikat is exact.predikat
        expected_capaian = None if exact.capaian is None else round_to(exact.capaian, 2)
        assert got.capaian == expected_capaian
        expected_score = None if exact.perilaku_score is None else round_to(exact.perilaku_score, 2)
        assert got.perilaku_score == expected_score


def test_exact_path_on_a_tie() -> None:
    # 2 indicators, capaian 100.005 exactly in the mean: published half-up as 100.01 (floats would say 100.00).
    policy = asn_kinerja.load_policy("permenpanrb-6-2022")
    data = one_employee("100.005")
    assert evaluate_exact(policy, data, 1).capaian == Fraction("100.005")
    assert evaluate(policy, data)["E"].capaian == Decimal("100.01")
