"""The one result table: every output is rendered from its columns, and the column-wise published details equal
the per-employee exact path (:meth:`EmployeeResult.to_dict`), under every strategy and privacy setting."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import asn_kinerja
from asn_kinerja import evaluate, load_policy, load_policy_text
from asn_kinerja.testing import generate_population

ROOT = Path(__file__).resolve().parents[1]
POLICIES = ROOT / "examples" / "policies"

OVERLAY = """\
id: t
title: t
extends: permenpanrb-6-2022
perilaku_kerja:
  strategy: three_sixty
  include_self: %s
  weights: {atasan: %s, rekan: 0.3, bawahan: 0.2%s}
  three_sixty: {min_raters: {rekan: 3, bawahan: 2}, below_minimum: %s, central_tendency: %s, trim: 0.2}
development: {below: 3.5, self_gap: 1}
privacy: {publish_scores: %s}
"""


def policies() -> list[tuple[str, asn_kinerja.Policy]]:
    out = [
        (name, load_policy(POLICIES / f"{name}.yaml"))
        for name in ("supervisor-only", "three-sixty", "citizen-weighted")
    ]
    out.append(("baseline", load_policy("permenpanrb-6-2022")))
    for include_self, below, tendency, publish in [
        ("true", "pool", "mean", "always"),
        ("false", "pool", "median", "when_not_anonymous"),
        ("true", "drop", "trimmed_mean", "always"),
        ("false", "drop", "mean", "when_not_anonymous"),
    ]:
        diri = ", diri: 0.1" if include_self == "true" else ""
        atasan = "0.4" if diri else "0.5"
        text = OVERLAY % (include_self, atasan, diri, below, tendency, publish)
        out.append((f"{below}-{tendency}-{publish}-self-{include_self}", load_policy_text(text)))
    return out


@pytest.fixture(scope="module")
def population() -> asn_kinerja.Dataset:
    return generate_population(160, seed=11, peers=4)


@pytest.mark.parametrize(("name", "policy"), policies(), ids=[n for n, _ in policies()])
def test_column_wise_json_equals_the_exact_path(name: str, policy: asn_kinerja.Policy, population) -> None:  # type: ignore[no-untyped-def]
    result = evaluate(policy, population)
    text = result.to_json()
    data = json.loads(text)
    assert data["employees"] == [r.to_dict() for r in result]
    assert data["units"] == [u.to_dict() for u in result.units()]
    assert text == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    assert result.to_json(indent=None) == json.dumps(data, ensure_ascii=False) + "\n"
    assert result.to_json(indent=4) == json.dumps(data, ensure_ascii=False, indent=4) + "\n"


@pytest.mark.parametrize(("name", "policy"), policies()[:4], ids=[n for n, _ in policies()[:4]])
def test_csv_holds_the_flat_fields_of_the_json(name: str, policy: asn_kinerja.Policy, population) -> None:  # type: ignore[no-untyped-def]
    result = evaluate(policy, population)
    rows = list(csv.DictReader(io.StringIO(result.to_csv())))
    employees = json.loads(result.to_json())["employees"]
    assert len(rows) == len(employees) == len(population.employees)
    for row, e in zip(rows, employees, strict=True):
        for key, cell in row.items():
            value = e[key]
            if key == "development":
                assert cell == "; ".join(value)
            elif isinstance(value, bool):
                assert cell == str(value).lower()
            else:
                assert cell == ("" if value is None else value)
    assert result.rows()[0]["employee_id"] == rows[0]["employee_id"]


def test_machines_get_ids_with_labels_beside_them_people_get_labels(population) -> None:  # type: ignore[no-untyped-def]
    result = evaluate(load_policy("permenpanrb-6-2022"), population)
    e = json.loads(result.to_json())["employees"][0]
    assert e["predikat"] in {p.value for p in asn_kinerja.Predikat}
    assert asn_kinerja.Predikat(e["predikat"]).label == e["predikat_label"]
    assert asn_kinerja.Rating(e["rating_hasil_kerja"]).label == e["rating_hasil_kerja_label"]
    text = result.to_table()
    assert e["predikat_label"] in text
    assert f" {e['predikat']} " not in text


def test_parquet_and_arrow_carry_the_same_columns(population, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pq = pytest.importorskip("pyarrow.parquet")
    result = evaluate(load_policy("permenpanrb-6-2022"), population)
    path = tmp_path / "out.parquet"
    result.table().write_parquet(path)
    back = pq.read_table(path).to_pylist()
    rows = list(csv.DictReader(io.StringIO(result.to_csv())))
    assert [r["employee_id"] for r in back] == [r["employee_id"] for r in rows]
    assert [r["capaian"] for r in back] == [r["capaian"] or None for r in rows]
    assert [r["predikat_label"] for r in back] == [r["predikat_label"] for r in rows]


def test_cli_writes_parquet_only_to_a_file(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    pq = pytest.importorskip("pyarrow.parquet")
    from asn_kinerja.cli import main

    example = ROOT / "examples" / "bungo" / "data"
    assert main(["evaluate", str(example), "--format", "parquet"]) != 0
    assert "--output" in capsys.readouterr().err
    target = tmp_path / "hasil.parquet"
    assert main(["evaluate", str(example), "--format", "parquet", "--output", str(target)]) == 0
    table = pq.read_table(target)
    assert {"employee_id", "predikat", "predikat_label", "capaian", "scores_withheld"} <= set(table.column_names)
    assert [p.name for p in tmp_path.iterdir()] == ["hasil.parquet"]
    units = tmp_path / "units.parquet"
    assert main(["evaluate", str(example), "--by-unit", "--format", "parquet", "--output", str(units)]) == 0
    assert "predikat_organisasi_label" in pq.read_table(units).column_names


@pytest.mark.parametrize("alphabet", ["0123456789", "abcAB é中"], ids=["ascii", "unicode"])
def test_output_order_equals_a_sort_of_the_id_texts(alphabet: str) -> None:
    # By the group's id text, then the row's id text (code point order), ties in row order: as Python sorts them.
    import random

    import numpy as np

    from asn_kinerja.engine.table import output_order

    rng = random.Random(3)

    def texts(n: int) -> np.ndarray:  # type: ignore[type-arg]
        return np.array(["".join(rng.choices(alphabet, k=rng.randint(1, 4))) for _ in range(n)], dtype=object)

    groups, ids = texts(30), texts(2000)
    group_of = np.array([rng.randrange(30) for _ in range(2000)])
    expected = sorted(range(2000), key=lambda r: (groups[group_of[r]], ids[r], r))
    assert output_order(groups, group_of, ids).tolist() == expected
