"""Comparing two policies: transitions, units, who moves and why, rank agreement, renderings, anonymity."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import asn_kinerja
from asn_kinerja import Comparison, DataError, PolicyError, Predikat, compare, evaluate, load_policy, load_policy_text
from asn_kinerja.cli import main
from asn_kinerja.comparison import StepChange, composite_ranks, spearman, step_changes
from asn_kinerja.engine.result import Explanation, Step
from asn_kinerja.policy import Reference

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "bungo" / "data"
THREE_SIXTY = ROOT / "examples" / "policies" / "three-sixty.yaml"


@pytest.fixture(scope="module")
def versus_360() -> Comparison:
    return compare("permenpanrb-6-2022", THREE_SIXTY, EXAMPLE)


def test_a_policy_compared_with_itself_is_the_identity(example, baseline) -> None:  # type: ignore[no-untyped-def]
    c = compare(baseline, baseline, example)
    counts = [evaluate(baseline, example).counts()[p] for p in Predikat]
    assert np.array_equal(c.transitions, np.diag(counts))
    assert int(c.transitions.sum()) == len(example.employees)
    assert c.changes == ()
    assert (c.moved_up, c.moved_down) == (0, 0)
    assert c.rank_agreement == 1.0
    assert all(u.up == u.down == 0 and u.a.ok == u.b.ok for u in c.units)
    assert "0 changed (0 up, 0 down), rank agreement 1.0000" in repr(c)
    assert len(c.to_csv().splitlines()) == 1  # the header alone


def test_the_360_overlay_lists_who_moves_and_why(versus_360: Comparison, example, baseline) -> None:  # type: ignore[no-untyped-def]
    a = evaluate(baseline, example)
    b = evaluate(load_policy(THREE_SIXTY), example)
    moved = {r.employee_id for r in b if r.predikat is not a[r.employee_id].predikat}
    assert moved
    assert {c.employee_id for c in versus_360.changes if c.direction != "same"} == moved
    assert int(versus_360.transitions.sum()) == len(example.employees)
    assert versus_360.transitions.sum(axis=1).tolist() == [a.counts()[p] for p in Predikat]
    assert versus_360.transitions.sum(axis=0).tolist() == [b.counts()[p] for p in Predikat]
    for change in versus_360.changes:
        assert change.predikat_a is a[change.employee_id].predikat
        assert change.predikat_b is b[change.employee_id].predikat
        steps = {s.label: s for s in change.steps}
        # Why: the peers' group counts under B only, the score and the suggested rating follow. The peers' score
        # and the behaviour score computed from it are withheld (privacy.publish_scores), the rating is not.
        assert steps["kelompok rekan"].a is None
        assert steps["kelompok rekan"].b is not None
        assert b[change.employee_id].to_dict()["perilaku_groups"]["rekan"]["score"] is None
        assert steps["kelompok rekan"].b.value == "withheld"
        assert steps["kelompok rekan"].b.detail.startswith("3 rater(s)")
        assert steps["skor perilaku kerja"].a.value == str(a[change.employee_id].perilaku_score)  # type: ignore[union-attr]
        assert steps["skor perilaku kerja"].b.value == "withheld"  # type: ignore[union-attr]
        assert (change.perilaku_score_b, change.scores_withheld_b) == (None, True)
        assert change.evidence.endswith(f"skor perilaku kerja {change.perilaku_score_a} → withheld")
        assert steps["rating perilaku kerja"].a.value != steps["rating perilaku kerja"].b.value  # type: ignore[union-attr]
        assert steps["predikat"].b.value == change.predikat_b.label  # type: ignore[union-attr]
        # Steps that did not change are not listed.
        assert "rating hasil kerja" not in steps
        assert "capaian hasil kerja" not in steps


def test_units_count_the_moves_and_both_verdicts(versus_360: Comparison) -> None:
    assert sum(u.up for u in versus_360.units) == versus_360.moved_up
    assert sum(u.down for u in versus_360.units) == versus_360.moved_down
    down_units = {c.unit_id for c in versus_360.changes if c.direction == "down"}
    assert {u.unit_id for u in versus_360.units if u.down} == down_units
    for u, ua, ub in zip(versus_360.units, versus_360.a.units(), versus_360.b.units(), strict=True):
        assert (u.unit_id, u.a.ok, u.b.ok) == (ua.unit_id, ua.ok, ub.ok)
    keu = next(u for u in versus_360.units if u.unit_id == "KEU")
    assert keu.to_dict()["a"]["guidance"] == "ok"


def test_json_csv_and_table(versus_360: Comparison) -> None:
    data = json.loads(versus_360.to_json())
    assert data["policy_a"]["id"] == "permenpanrb-6-2022"
    assert data["policy_b"]["id"] == "bungo-360"
    assert data["transitions"]["counts"] == versus_360.transitions.tolist()
    assert data["summary"]["changed"] == len(versus_360.changes)
    assert data["summary"]["rank_agreement"]["method"] == "spearman"
    first = data["changes"][0]
    assert (first["predikat_a"], first["predikat_b"]) == ("sangat_baik", "baik")
    assert (first["predikat_a_label"], first["predikat_b_label"]) == ("Sangat Baik", "Baik")
    assert any(
        s["step"] == "perilaku_kerja.group.rekan" and s["step_label"] == "kelompok rekan" and s["a"] is None
        for s in first["steps"]
    )
    rows = list(csv.DictReader(io.StringIO(versus_360.to_csv())))
    assert [r["employee_id"] for r in rows] == [c.employee_id for c in versus_360.changes]
    assert "kelompok rekan: (no such step) →" in rows[0]["steps"]
    table = versus_360.to_table()
    assert "Predikat transitions (rows: A, columns: B)" in table
    assert f"Changed employees: {len(versus_360.changes)}" in table
    assert "    kelompok rekan: (no such step) → " in table
    assert "      B: three_sixty:" in table


def test_html_escapes_every_text(example) -> None:  # type: ignore[no-untyped-def]
    odd = load_policy_text(
        "id: '<i>x</i>'\ntitle: '<script>alert(1)</script> & co'\nextends: permenpanrb-6-2022\n"
        "hasil_kerja: {suggestion: {thresholds: {di_atas: 120}}}\n"
    )
    c = compare("permenpanrb-6-2022", odd, example)
    page = c._repr_html_()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "&lt;i&gt;x&lt;/i&gt;" in page
    assert page.count("<table") == 3
    evaluation = evaluate(odd, example)
    html_page = evaluation._repr_html_()  # type: ignore[union-attr]
    assert "&lt;i&gt;x&lt;/i&gt;" in html_page
    assert "… and 11 more employees" in html_page


def test_rank_agreement_is_spearman_over_the_composite_score(versus_360: Comparison) -> None:
    ra, rb = composite_ranks(versus_360.a), composite_ranks(versus_360.b)
    n = len(ra)
    assert ra.sum() == rb.sum() == n * (n + 1) / 2
    assert np.corrcoef(ra, rb)[0, 1] == pytest.approx(versus_360.rank_agreement, abs=1e-4)
    assert versus_360.rank_agreement is not None and 0.9 < versus_360.rank_agreement < 1
    # The best predikat ranks above every other.
    best = versus_360.a.predikat == Predikat.SANGAT_BAIK.code
    assert ra[best].min() > ra[~best].max()


@given(st.lists(st.integers(0, 5), min_size=2, max_size=30), st.lists(st.integers(0, 5), min_size=2, max_size=30))
def test_spearman_bounds_and_symmetry(x: list[int], y: list[int]) -> None:
    k = min(len(x), len(y))
    a, b = np.array(x[:k], dtype=float), np.array(y[:k], dtype=float)
    rho = spearman(a, b)
    assert rho == spearman(b, a)
    if rho is not None:
        assert -1 <= rho <= 1
    if len(set(x[:k])) > 1:
        assert spearman(a, a) == 1.0


def test_step_changes_by_name() -> None:
    ref = Reference(title="t")
    a = Explanation("E", (Step("x", "1", "d", ref), Step("only a", "2", "d", ref), Step("same", "3", "d", ref)))
    b = Explanation("E", (Step("x", "1", "other", ref), Step("same", "3", "d", ref), Step("only b", "4", "d", ref)))
    changes = step_changes(a, b)
    assert [(c.label, c.a is None, c.b is None) for c in changes] == [
        ("x", False, False),
        ("only b", True, False),
        ("only a", False, True),
    ]
    assert StepChange("x", a.steps[0], b.steps[0]).lines() == ["x: 1 → 1", "  A: d", "  B: other"]


def test_only_the_current_regime_and_one_dataset(example) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PolicyError, match="compare works on permenpanrb-6-2022"):
        compare("permenpanrb-6-2022", "pp-30-2019", example)
    from test_strategies import team

    a = evaluate(load_policy("permenpanrb-6-2022"), example)
    b = evaluate(load_policy("permenpanrb-6-2022"), team(["3"]))
    with pytest.raises(DataError, match="different datasets"):
        Comparison.of(a, b)  # type: ignore[arg-type]


def test_to_frame(versus_360: Comparison) -> None:
    pytest.importorskip("pandas")
    frame = versus_360.to_frame()
    assert len(frame) == len(versus_360)
    moved = frame[frame["direction"] != "same"]
    assert set(moved["employee_id"]) == {c.employee_id for c in versus_360.changes if c.direction != "same"}


# --- anonymity: nothing a comparison shows depends on one rater of a group below its minimum ---------------------


def comparison_outputs(data: asn_kinerja.Dataset) -> str:
    from test_strategies import three_sixty

    c = compare("permenpanrb-6-2022", three_sixty("drop"), data)
    return c.to_json() + c.to_csv() + c.to_table() + c._repr_html_() + repr(c)


@pytest.mark.parametrize("value", ["1", "2.5", "5"])
def test_a_single_peer_below_minimum_cannot_be_recovered(value: str) -> None:
    from test_strategies import team

    base = comparison_outputs(team(["3", "4"]))
    assert comparison_outputs(team(["3", value])) == base


# --- command line ------------------------------------------------------------------------------------------------


def test_cli_compare(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert main(["compare", "permenpanrb-6-2022", str(THREE_SIXTY), str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "Predikat transitions (rows: A, columns: B)" in out
    plot = tmp_path / "c.png"
    target = tmp_path / "c.json"
    args = ["compare", "permenpanrb-6-2022", str(THREE_SIXTY), str(EXAMPLE), "--format", "json"]
    assert main([*args, "--output", str(target), "--plot", str(plot)]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["policy_b"]["id"] == "bungo-360"
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["compare", "permenpanrb-6-2022", str(THREE_SIXTY), str(EXAMPLE), "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith(
        "employee_id,name,unit_id,predikat_a,predikat_a_label,predikat_b,predikat_b_label,direction"
    )
    assert main(["compare", "permenpanrb-6-2022", "no-such-policy", str(EXAMPLE)]) == 2
    assert "no such policy file" in capsys.readouterr().err


def test_comparison_plot(versus_360: Comparison) -> None:
    import asn_kinerja.plot

    figure = asn_kinerja.plot.comparison_distribution(versus_360)
    heights = [round(bar.get_height()) for bar in figure.axes[0].patches]
    a, b = versus_360.transitions.sum(axis=1).tolist(), versus_360.transitions.sum(axis=0).tolist()
    assert heights == a + b


# --- the worked experiment in examples/experiments ---------------------------------------------------------------


def test_the_experiment_outputs_are_the_readme_commands_output(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    folder = ROOT / "examples" / "experiments"
    commands = [
        line.split()[1:]
        for line in (folder / "README.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("asn-kinerja ")
    ]
    assert len(commands) == 6
    monkeypatch.chdir(ROOT)
    for args in commands:
        committed = ROOT / args[args.index("--output") + 1]
        fresh = tmp_path / committed.name
        args[args.index("--output") + 1] = str(fresh)
        assert main(args) == 0, args
        assert fresh.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), committed.name
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for name, row in (("peers-30", "peers 30 %"), ("peers-20", "peers 20 %"), ("stricter-suggestion", "stricter")):
        c = compare("permenpanrb-6-2022", folder / f"{name}.yaml" if name != "peers-30" else THREE_SIXTY, EXAMPLE)
        expected = f"| {len(c.changes)} | {c.moved_up} | {c.moved_down} | {c.rank_agreement:.4f} |"
        assert any(line.startswith(f"| {row}") and line.endswith(expected) for line in readme.splitlines()), name
