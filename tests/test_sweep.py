"""Sweeps: one parameter over values, overlays built through the YAML path, rebalanced weights, errors, outputs."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

import asn_kinerja
from asn_kinerja import PolicyError, Predikat, RaterGroup, evaluate, load_policy, load_policy_text, sweep
from asn_kinerja.cli import main, split_values
from asn_kinerja.sweeps import values_between

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "bungo" / "data"
THREE_SIXTY = ROOT / "examples" / "policies" / "three-sixty.yaml"
THRESHOLD = "hasil_kerja.suggestion.thresholds.di_atas"


def test_counts_at_each_value(example, baseline) -> None:  # type: ignore[no-untyped-def]
    s = sweep(baseline, example, key=THRESHOLD, values=[100, "110", Decimal("125")])
    assert [p.value for p in s.points] == ["100", "110", "125"]
    base = evaluate(baseline, example).counts()
    at_base = s.points[1]
    assert dict(at_base.counts) == base
    assert (at_base.up, at_base.down) == (0, 0)
    for p in s.points:
        assert sum(p.counts.values()) == len(example.employees)
        assert p.policy.hasil_kerja.suggestion.thresholds.di_atas == Decimal(p.value)  # type: ignore[union-attr]
        assert p.policy.id == f"permenpanrb-6-2022@{THRESHOLD}={p.value}"
    # A lower threshold can only move people up, a higher one only down.
    assert s.points[0].down == 0 and s.points[0].up > 0
    assert s.points[2].up == 0 and s.points[2].down > 0
    assert s.points[2].counts[Predikat.SANGAT_BAIK] < base[Predikat.SANGAT_BAIK]
    assert s.base_value() == "110"


def test_the_base_policy_is_never_changed(example) -> None:  # type: ignore[no-untyped-def]
    base = load_policy(THREE_SIXTY)
    before = base.perilaku_kerja
    sweep(base, example, key="perilaku_kerja.weights.rekan", values=["0.1"], rebalance="atasan")
    assert base.perilaku_kerja is before
    assert base == load_policy(THREE_SIXTY)


def test_rebalance_keeps_the_weights_summing_to_one(example) -> None:  # type: ignore[no-untyped-def]
    s = sweep(
        THREE_SIXTY,
        example,
        key="perilaku_kerja.weights.rekan",
        values=values_between("0", "0.5", "0.1"),
        rebalance="atasan",
    )
    assert [str(p.rebalanced) for p in s.points] == ["0.8", "0.7", "0.6", "0.5", "0.4", "0.3"]
    for p in s.points:
        weights = p.policy.perilaku_kerja.weights  # type: ignore[union-attr]
        assert sum(weights.values()) == 1
        assert weights[RaterGroup.REKAN] == Decimal(p.value)
        assert weights[RaterGroup.BAWAHAN] == Decimal("0.2")
    base = evaluate(load_policy(THREE_SIXTY), example).counts()
    assert dict(s.points[3].counts) == base  # rekan 0.3, atasan 0.5: the file's own weights
    assert s.rebalance_key == "perilaku_kerja.weights.atasan"
    assert s.base_value() == "0.3"
    # Without peers (rekan 0) the two employees the peers rated low keep their Sangat Baik.
    assert s.points[0].up == 2


def test_a_whole_mapping_can_be_swept(example) -> None:  # type: ignore[no-untyped-def]
    s = sweep(
        THREE_SIXTY,
        example,
        key="perilaku_kerja.weights",
        values=["{atasan: 1, rekan: 0, bawahan: 0}", "{atasan: 0.5, rekan: 0.3, bawahan: 0.2}"],
    )
    supervisor = evaluate(load_policy("permenpanrb-6-2022"), example).counts()
    assert dict(s.points[0].counts) == supervisor
    assert (s.points[1].up, s.points[1].down) == (0, 0)


def test_invalid_values_are_all_reported_naming_the_key(example) -> None:  # type: ignore[no-untyped-def]
    key = "perilaku_kerja.suggestion.thresholds.di_atas"
    with pytest.raises(PolicyError) as err:
        sweep("permenpanrb-6-2022", example, key=key, values=["4", "2", "9", "x: y"])
    text = str(err.value)
    assert f"{key} = 2: the overlay is not a valid policy" in text
    assert "thresholds must be ordered" in text
    assert f"{key} = 9: the overlay is not a valid policy" in text
    assert "must lie on the scale 1–5, got 9" in text
    assert "'x: y' is not one YAML value" in text
    assert all(p.field and p.field.startswith("perilaku_kerja.suggestion.thresholds") for p in err.value.problems)


def test_unknown_keys_and_bad_rebalancing(example) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PolicyError, match="unknown key") as err:
        sweep("permenpanrb-6-2022", example, key="perilaku_kerja.nonsense", values=[1])
    assert any(p.field == "perilaku_kerja.nonsense" for p in err.value.problems)
    with pytest.raises(PolicyError, match="not a key path"):
        sweep("permenpanrb-6-2022", example, key="perilaku_kerja..x", values=[1])
    with pytest.raises(PolicyError) as err:
        sweep(THREE_SIXTY, example, key="perilaku_kerja.weights.rekan", values=["0.9"], rebalance="atasan")
    [problem] = err.value.problems
    assert problem.field == "perilaku_kerja.weights.atasan"
    assert "would be -0.1, below 0" in problem.message
    with pytest.raises(PolicyError, match="a number in a mapping of numbers"):
        sweep("permenpanrb-6-2022", example, key=THRESHOLD, values=["100"], rebalance="sesuai_x")
    with pytest.raises(PolicyError, match="no values"):
        sweep("permenpanrb-6-2022", example, key=THRESHOLD, values=[])


def test_a_policy_from_text_cannot_be_extended(example) -> None:  # type: ignore[no-untyped-def]
    text = "id: t\ntitle: t\nextends: permenpanrb-6-2022\n"
    with pytest.raises(PolicyError, match="give a built-in id or a policy file"):
        sweep(load_policy_text(text), example, key=THRESHOLD, values=[100])


def test_values_between_and_split_values() -> None:
    assert values_between("4", "5", "0.25") == [Decimal(x) for x in ("4", "4.25", "4.5", "4.75", "5")]
    assert values_between(0, 1, "0.3") == [Decimal(x) for x in ("0", "0.3", "0.6", "0.9")]
    with pytest.raises(PolicyError, match="more than 1000"):
        values_between(0, 1, "0.0001")
    assert split_values("mean,median, trimmed_mean") == ["mean", "median", "trimmed_mean"]


def test_outputs(example) -> None:  # type: ignore[no-untyped-def]
    s = sweep(THREE_SIXTY, example, key="perilaku_kerja.weights.rekan", values=["0", "0.5"], rebalance="atasan")
    data = json.loads(s.to_json())
    assert data["key"] == "perilaku_kerja.weights.rekan"
    assert data["rebalance"] == "perilaku_kerja.weights.atasan"
    assert data["base"]["value"] == "0.3"
    assert [p["rebalanced"] for p in data["points"]] == ["0.8", "0.3"]
    rows = list(csv.DictReader(io.StringIO(s.to_csv())))
    assert [r["value"] for r in rows] == ["base (0.3)", "0", "0.5"]
    assert rows[1]["rebalanced"] == "0.8"
    table = s.to_table()
    assert "sweep of perilaku_kerja.weights.rekan over bungo-360" in table
    assert "rekan       atasan" in table
    page = s._repr_html_()
    assert "<th" in page and "Sangat Baik" in page
    assert repr(s) == "<Sweep of perilaku_kerja.weights.rekan over bungo-360: 2 values (0, 0.5)>"
    comparison = s.compare(1)
    assert comparison.b.policy.id == s.points[1].policy.id
    assert sum(1 for c in comparison.changes if c.direction == "down") == s.points[1].down


def test_to_frame(example, baseline) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("pandas")
    s = sweep(baseline, example, key=THRESHOLD, values=[100, 120])
    frame = s.to_frame()
    assert list(frame["value"]) == ["100", "120"]
    assert list(frame["sangat_baik"]) == [p.counts[Predikat.SANGAT_BAIK] for p in s.points]


def test_cli_sweep(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plot = tmp_path / "sweep.png"
    args = ["sweep", str(THREE_SIXTY), str(EXAMPLE), "--key", "perilaku_kerja.weights.rekan"]
    assert main([*args, "--range", "0:0.5:0.1", "--rebalance", "atasan", "--plot", str(plot)]) == 0
    out = capsys.readouterr().out
    assert "(perilaku_kerja.weights.atasan absorbs the difference)" in out
    assert out.count("\n0.") == 6  # 0.0 … 0.5
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main([*args, "--values", "0.1,0.2", "--rebalance", "atasan", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("value,rebalanced,sangat_baik")
    assert main([*args, "--values", "0.1"]) == 2
    err = capsys.readouterr().err
    assert "perilaku_kerja.weights.rekan = 0.1: the overlay is not a valid policy" in err
    assert "weights must sum to exactly 1, they sum to 0.8" in err
    assert main([*args, "--range", "0:1"]) == 2
    assert "START:STOP:STEP" in capsys.readouterr().err


def test_sweep_plot(example, baseline) -> None:  # type: ignore[no-untyped-def]
    import asn_kinerja.plot

    s = sweep(baseline, example, key="perilaku_kerja.three_sixty", values=["~"])
    assert s.points[0].counts == evaluate(baseline, example).counts()
    s = sweep(THREE_SIXTY, example, key="perilaku_kerja.three_sixty.central_tendency", values=["mean", "median"])
    figure = asn_kinerja.plot.sweep_distribution(s)
    assert [t.get_text() for t in figure.axes[0].get_xticklabels()] == ["mean", "median"]
    assert len(figure.axes[0].lines) == len(Predikat)


def test_sweep_is_exported() -> None:
    assert asn_kinerja.sweep is sweep
    assert isinstance(asn_kinerja.Sweep, type)
