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


def test_development_is_one_name_and_training_is_deprecated() -> None:
    result = evaluate(load_policy("permenpanrb-6-2022"), generate_population(60, seed=4))
    needs = result.development()
    assert needs, "the population has development needs"
    for row in range(len(result)):
        themes = result.themes_of(result.development_needs[row])
        assert result.result(row).development == themes
        assert sorted(themes) == sorted(t for t, flags in needs.items() if flags[row])
    with pytest.warns(DeprecationWarning, match=r"Evaluation\.development\(\)"):
        old = result.training()
    assert old.keys() == needs.keys()
    assert all(np.array_equal(old[t], needs[t]) for t in needs)
    with pytest.warns(DeprecationWarning, match=r"Evaluation\.development_needs"):
        assert result.weak is result.development_needs
    unit = next(u for u in result.units() if u.development)
    assert unit.to_dict()["development"] == dict(unit.development)
    assert "training" not in unit.to_dict()
    with pytest.warns(DeprecationWarning, match=r"UnitReport\.development"):
        assert unit.training == unit.development


def test_report_and_result_table_agree_on_development_themes() -> None:
    from asn_kinerja.report.data import published_employees

    result = evaluate(load_policy("permenpanrb-6-2022"), generate_population(60, seed=4))
    by_id = {r["employee_id"]: r["development"] for r in result.table().records()}
    shown = published_employees(result)
    assert any(p.development for p in shown)
    for p in shown:
        assert list(p.development) == by_id[p.employee_id]


def test_rating_record_is_the_one_name_and_score_is_deprecated() -> None:
    import datetime as dt
    from decimal import Decimal

    import asn_kinerja
    from asn_kinerja import model
    from asn_kinerja.model import (
        Employee,
        Indicator,
        JenisJabatan,
        Period,
        RaterGroup,
        RatingRecord,
        RencanaHasilKerja,
        Target,
        Unit,
    )

    with pytest.warns(DeprecationWarning, match=r"asn_kinerja\.RatingRecord"):
        assert asn_kinerja.Score is RatingRecord
    with pytest.warns(DeprecationWarning, match=r"asn_kinerja\.model\.RatingRecord"):
        assert model.Score is RatingRecord
    records = {
        "agency": "Contoh",
        "period": Period("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        "units": [Unit("U", "Unit")],
        "employees": [Employee("E", "Ani", "U", JenisJabatan.JA)],
        "rhk": [RencanaHasilKerja("R", "E", "Laporan")],
        "indicators": [Indicator("I", "R", "Laporan terbit", Target.value(Decimal(1)))],
    }
    given = [RatingRecord("E", "E", RaterGroup.DIRI, "kompeten", Decimal(4))]
    new = asn_kinerja.from_records(**records, ratings=given)  # type: ignore[arg-type]
    with pytest.warns(DeprecationWarning, match=r"from_records\(ratings=\.\.\.\)"):
        old = asn_kinerja.from_records(**records, scores=given)  # type: ignore[arg-type]
    assert len(new.ratings) == len(old.ratings) == 1
    with pytest.warns(DeprecationWarning, match="ratings="), pytest.raises(TypeError, match="ratings="):
        asn_kinerja.from_records(**records, ratings=given, scores=given)  # type: ignore[arg-type]


def test_pp46_perilaku_criteria_and_the_old_aspects_key() -> None:
    from asn_kinerja import load_policy_text

    new = load_policy_text(
        "extends: pp-46-2011\nid: t\ntitle: T\npp46:\n  perilaku:\n    criteria: [integritas, komitmen]\n"
    )
    assert new.pp46.perilaku.criteria == ("integritas", "komitmen")
    text = "extends: pp-46-2011\nid: t\ntitle: T\npp46:\n  perilaku:\n    aspects: [integritas, komitmen]\n"
    with pytest.warns(
        DeprecationWarning, match=r"pp46\.perilaku\.aspects \(<string>:6\).*use pp46\.perilaku\.criteria"
    ):
        old = load_policy_text(text)
    assert old.pp46.perilaku.criteria == new.pp46.perilaku.criteria
    with pytest.warns(DeprecationWarning, match=r"Pp46Perilaku\.criteria"):
        assert old.pp46.perilaku.aspects == old.pp46.perilaku.criteria


def test_an_old_key_beside_its_new_name_is_reported() -> None:
    from asn_kinerja import PolicyError, load_policy_text

    text = "extends: pp-46-2011\nid: t\ntitle: T\npp46:\n  perilaku:\n    criteria: [integritas]\n    aspects: [x]\n"
    with pytest.raises(PolicyError, match=r"pp46\.perilaku\.aspects"):
        load_policy_text(text)


def test_explain_steps_carry_stable_ids_beside_their_labels() -> None:
    from asn_kinerja.engine.explain import STEP_IDS

    result = evaluate(load_policy("permenpanrb-6-2022"), generate_population(40, seed=6))
    known = {i.replace("<group>", "") for i in STEP_IDS}
    seen = set()
    for row in range(len(result)):
        for step in result.result(row).explain():
            stem = step.id.rsplit(".", 1)[0] + "." if step.id.startswith("perilaku_kerja.group.") else step.id
            assert stem in known, step.id
            assert step.to_dict()["step"] == step.id
            assert step.to_dict()["step_label"] == step.label
            seen.add(step.id)
    assert {"hasil_kerja.rating", "perilaku_kerja.rating", "predikat", "perilaku_kerja.group.atasan"} <= seen
    step = next(iter(result.result(0).explain()))
    with pytest.warns(DeprecationWarning, match=r"Step\.label"):
        assert step.name == step.label


def test_numeric_steps_have_ids() -> None:
    from test_numeric_regimes import nilai46

    steps = nilai46("pp-46-2011").explain()
    assert [s.id for s in steps] == [
        "kegiatan.R-E1",
        "nilai_skp",
        "nilai_perilaku",
        "nilai_prestasi_kerja",
        "sebutan",
    ]
    assert [s.to_dict()["step_label"] for s in steps][-1] == "sebutan"


def test_perilaku_suggestion_has_the_shape_of_hasil_kerja_and_old_keys_move_into_it() -> None:
    from asn_kinerja import load_policy_text

    base = load_policy("permenpanrb-6-2022").perilaku_kerja
    assert base.suggestion.enabled is True
    assert str(base.suggestion.thresholds.di_atas) == "4.5"
    head = "extends: permenpanrb-6-2022\nid: t\ntitle: T\nperilaku_kerja:\n"
    new = load_policy_text(head + "  suggestion: {enabled: false, thresholds: {di_atas: 4.2, sesuai: 3}}\n")
    with pytest.warns(DeprecationWarning, match="perilaku_kerja") as caught:
        old = load_policy_text(head + "  thresholds: {di_atas: 4.2, sesuai: 3}\n  suggest: false\n")
    messages = [str(w.message) for w in caught]
    assert any(
        "perilaku_kerja.thresholds (<string>:5)" in m and "perilaku_kerja.suggestion.thresholds" in m for m in messages
    )
    assert any(
        "perilaku_kerja.suggest (<string>:6)" in m and "perilaku_kerja.suggestion.enabled" in m for m in messages
    )
    assert old.perilaku_kerja.suggestion == new.perilaku_kerja.suggestion
    assert old.perilaku_kerja.suggestion.enabled is False
    with pytest.warns(DeprecationWarning, match=r"suggestion\.thresholds"):
        assert old.perilaku_kerja.thresholds == old.perilaku_kerja.suggestion.thresholds
    with pytest.warns(DeprecationWarning, match=r"suggestion\.enabled"):
        assert old.perilaku_kerja.suggest is False


def test_an_old_perilaku_key_moved_into_a_given_suggestion_mapping() -> None:
    from asn_kinerja import load_policy_text

    head = "extends: permenpanrb-6-2022\nid: t\ntitle: T\nperilaku_kerja:\n"
    text = head + "  suggestion: {enabled: false}\n  thresholds: {di_atas: 4.2, sesuai: 3}\n"
    with pytest.warns(DeprecationWarning, match=r"perilaku_kerja\.thresholds"):
        policy = load_policy_text(text)
    assert policy.perilaku_kerja.suggestion.enabled is False
    assert str(policy.perilaku_kerja.suggestion.thresholds.di_atas) == "4.2"


def test_step_changes_of_a_comparison_carry_the_step_ids() -> None:
    from pathlib import Path

    from asn_kinerja import compare, load_dataset

    root = Path(__file__).resolve().parents[1]
    data = load_dataset(root / "examples" / "bungo" / "data")
    changed = compare("permenpanrb-6-2022", root / "examples" / "policies" / "three-sixty.yaml", data).changes
    changes = [c for ch in changed for c in ch.steps]
    assert changes
    for change in changes:
        step = change.b if change.b is not None else change.a
        assert step is not None
        assert (change.id, change.label) == (step.id, step.label)
        assert (change.to_dict()["step"], change.to_dict()["step_label"]) == (change.id, change.label)
    assert len({c.id for c in changes}) > 1
    with pytest.warns(DeprecationWarning, match=r"StepChange\.label"):
        assert changes[0].name == changes[0].label
