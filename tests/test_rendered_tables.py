"""Every tabular output beyond the employee table — comparison changes, transitions and units, sweeps, period
series, the per-unit report — is a result table rendered by the one renderer: CSV and JSON carry identifiers with
the official labels beside them, text and HTML show the labels, and each object's ``to_dict`` is its table row."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest

import asn_kinerja
from asn_kinerja import Predikat, compare, evaluate, load_policy, sweep
from asn_kinerja.comparison import Comparison, units_table
from asn_kinerja.dataset.periods import load_periods
from asn_kinerja.engine.periods import evaluate_periods
from asn_kinerja.engine.table import Column, ResultTable, labelled
from asn_kinerja.sweeps import points_table

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "bungo" / "data"
THREE_SIXTY = ROOT / "examples" / "policies" / "three-sixty.yaml"


@pytest.fixture(scope="module")
def versus_360() -> Comparison:
    return compare("permenpanrb-6-2022", THREE_SIXTY, asn_kinerja.load_dataset(EXAMPLE))


def dumped(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- the columns the table gained ---------------------------------------------------------------------------------


def test_integer_columns_are_numbers_for_machines_and_text_for_people() -> None:
    t = ResultTable((Column.text("k", ["a", "b"]), Column.integer("n", [3, None])))
    assert t.to_json(indent=None) == '[{"k": "a", "n": 3}, {"k": "b", "n": null}]'
    assert t.to_csv() == "k,n\na,3\nb,\n"
    assert t.arrays()["n"].tolist() == [3, None]
    assert ResultTable((Column.integer("n", np.array([1, 2])),)).arrays()["n"].dtype == np.int64
    assert t.to_text({"k": "K", "n": "N"}, title="", right=["n"], blank="—").splitlines()[-1] == "b  —"


def test_integer_columns_in_arrow() -> None:
    pytest.importorskip("pyarrow")
    arrow = ResultTable((Column.integer("n", [1, None]),)).to_arrow()
    assert str(arrow.schema.field("n").type) == "int64"
    assert arrow.column("n").to_pylist() == [1, None]


def test_labelled_flat_and_html() -> None:
    ids, labels = labelled("predikat", Predikat, np.array([0, 3, -1]))
    steps = Column.nested(
        "steps", np.array(['["x"]', "[]", "[]"], dtype=object), csv=np.array(["x", "", ""], dtype=object)
    )
    t = ResultTable((ids, labels, steps))
    assert t.flat().records() == [
        {"predikat": "sangat_baik", "predikat_label": "Sangat Baik", "steps": "x"},
        {"predikat": "kurang_misconduct", "predikat_label": "Kurang/Misconduct", "steps": ""},
        {"predikat": None, "predikat_label": None, "steps": ""},
    ]
    page = t.to_html({"predikat_label": "Predikat"}, caption="<c>", blank="—")
    assert "<caption>&lt;c&gt;</caption>" in page
    assert page.count("<tr>") == 4 and "Kurang/Misconduct" in page and ">—<" in page
    assert "sangat_baik" not in page


# --- comparison -----------------------------------------------------------------------------------------------------


def test_comparison_json_is_its_dict_and_each_change_is_its_row(versus_360: Comparison) -> None:
    text = versus_360.to_json()
    data = versus_360.to_dict()
    assert text == dumped(data)
    assert data["changes"] == [c.to_dict() for c in versus_360.changes]
    assert data["units"] == [u.to_dict() for u in versus_360.units]
    assert data["summary"]["predikat_a"] == {
        p.value: int(n) for p, n in zip(Predikat, versus_360.transitions.sum(axis=1), strict=True)
    }
    assert data["transitions"]["predikat"] == [p.value for p in Predikat]
    first = data["changes"][0]
    change = versus_360.changes[0]
    assert (first["capaian_a"], first["perilaku_score_b"]) == (
        None if change.capaian_a is None else str(change.capaian_a),
        None if change.perilaku_score_b is None else str(change.perilaku_score_b),
    )
    assert first["direction"] == change.direction == "down"


def test_comparison_csv_carries_ids_with_labels_beside_them(versus_360: Comparison) -> None:
    rows = list(csv.DictReader(io.StringIO(versus_360.to_csv())))
    assert len(rows) == len(versus_360.changes)
    for row, change in zip(rows, versus_360.changes, strict=True):
        assert (row["predikat_a"], row["predikat_a_label"]) == (change.predikat_a.value, change.predikat_a.label)
        assert (row["rating_perilaku_kerja_b"], row["rating_perilaku_kerja_b_label"]) == (
            change.rating_perilaku_kerja_b.value,
            change.rating_perilaku_kerja_b.label,
        )
        assert row["steps"] == "; ".join(str(s) for s in change.steps)
    assert versus_360.rows() == [{k: (v or None) for k, v in r.items()} | _flags(r) for r in rows]


def _flags(row: dict[str, str]) -> dict[str, object]:
    return {k: row[k] == "true" for k in ("scores_withheld_a", "scores_withheld_b")} | {"steps": row["steps"]}


def test_transitions_and_units_tables(versus_360: Comparison) -> None:
    matrix = versus_360.transitions_table(totals=True)
    assert len(matrix) == len(Predikat) + 1
    assert matrix["predikat_a_label"].values.tolist()[-1] == "total"
    assert [int(v) for v in matrix["total"].values] == [
        *versus_360.transitions.sum(axis=1).tolist(),
        int(versus_360.transitions.sum()),
    ]
    assert (
        matrix.to_csv().splitlines()[0]
        == "predikat_a,predikat_a_label," + ",".join(p.value for p in Predikat) + ",total"
    )
    units = units_table(versus_360.units)
    assert units.names[:4] == ("unit_id", "name", "predikat_organisasi", "predikat_organisasi_label")
    keu = next(u for u in versus_360.units if u.unit_id == "KEU")
    assert keu.to_dict()["a"]["counts"] == {p.value: n for p, n in keu.a.counts.items()}


def test_employees_table_holds_everyone_under_both_policies(versus_360: Comparison) -> None:
    table = versus_360.employees_table()
    assert len(table) == len(versus_360)
    direction = table["direction"].values
    assert int((direction == "down").sum()) == versus_360.moved_down
    assert int((direction == "up").sum()) == versus_360.moved_up
    changed = {c.employee_id for c in versus_360.changes}
    moved = set(table["employee_id"].values[direction != "same"].tolist())
    assert moved <= changed


# --- sweeps, periods, units ---------------------------------------------------------------------------------------


def test_sweep_points_are_table_rows(example, baseline) -> None:  # type: ignore[no-untyped-def]
    s = sweep(baseline, example, key="hasil_kerja.suggestion.thresholds.di_atas", values=[100, 120])
    data = s.to_dict()
    assert s.to_json() == dumped(data)
    assert data["points"] == [p.to_dict() for p in s.points] == points_table(s.points).records()
    assert data["points"][0]["sangat_baik"] == s.points[0].counts[Predikat.SANGAT_BAIK]
    assert data["base"]["predikat"] == {p.value: n for p, n in s.base.counts().items()}
    rows = s.rows()
    assert rows[0]["moved_up"] is None and rows[1]["moved_up"] == s.points[0].up


def test_period_series_json_is_its_table() -> None:
    worst = load_policy(ROOT / "examples" / "periods" / "practice-worst.yaml")
    series = evaluate_periods(worst, load_periods(ROOT / "examples" / "periods" / "data"))
    data = series.to_dict(worst)
    assert series.to_json(worst) == dumped(data)
    practice = series.annual_practice(worst)
    for row, p in zip(data["employees"], practice, strict=True):
        assert (row["annual_practice"], row["annual_practice_label"]) == (
            (None, None) if p is None else (p.value, p.label)
        )
        assert set(row["predikat"]) == set(series.periods)
        labels = {k: (None if v is None else Predikat(v).label) for k, v in row["predikat"].items()}
        assert row["predikat_label"] == labels


def test_units_json_equals_each_units_dict(example, baseline) -> None:  # type: ignore[no-untyped-def]
    result = evaluate(baseline, example)
    data = json.loads(result.units_to_json())  # type: ignore[union-attr]
    assert data["units"] == [u.to_dict() for u in result.units()]  # type: ignore[union-attr]
    assert data == result.units_to_dict()  # type: ignore[union-attr]
