"""The JSON output written column by column (rater groups once per distinct combination, rows joined from references
to their texts, streamed in pieces) equals the straightforward text: ``json.dumps`` of the same data."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import asn_kinerja
from asn_kinerja.engine.table import Coded, coded_objects, join_chunks, json_array_chunks, json_objects
from asn_kinerja.testing import generate_population

ROOT = Path(__file__).resolve().parents[1]
POLICIES = ["permenpanrb-6-2022", *sorted(str(p) for p in (ROOT / "examples" / "policies").glob("*.yaml"))]


def straightforward(data: object, indent: int | None) -> str:
    return json.dumps(data, indent=indent, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: Path(p).stem)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_evaluation_json_equals_json_dumps_of_its_data(policy: str, seed: int) -> None:
    dataset = generate_population(120 + 37 * seed, seed=seed, peers=seed)
    result = asn_kinerja.evaluate(asn_kinerja.load_policy(policy), dataset)
    assert isinstance(result, asn_kinerja.Evaluation)
    data = result.to_dict()
    shown = {(name, g["shown"]) for row in data["employees"] for name, g in row["perilaku_groups"].items()}
    assert ("atasan", True) in shown  # the rater groups are in the text compared
    if "three-sixty" in policy:  # groups below their minimum too
        assert ("rekan", False) in shown
    for indent in (2, None):
        text = result.to_json(indent=indent)
        assert text == straightforward(data, indent)
        stream = io.StringIO()
        result.write_json(stream, indent=indent)
        assert stream.getvalue() == text


def test_example_json_equals_json_dumps_and_each_employee_result(
    example: asn_kinerja.Dataset, baseline: asn_kinerja.Policy
) -> None:
    result = asn_kinerja.evaluate(baseline, example)
    assert isinstance(result, asn_kinerja.Evaluation)
    text = result.to_json()
    data = json.loads(text)
    assert text == straightforward(data, 2)
    for row in data["employees"]:  # the rater groups made per combination equal those of the row-by-row path
        one = json.loads(json.dumps(result[row["employee_id"]].to_dict(), default=str))
        assert row["perilaku_groups"] == one["perilaku_groups"]


texts = st.one_of(st.none(), st.sampled_from(["1", '"a"', "true", "null", '{"x": 1}', '"é ≤"']))


@given(
    tables=st.lists(st.lists(texts, min_size=1, max_size=4), min_size=1, max_size=4),
    n=st.integers(0, 30),
    seed=st.integers(0, 2**16),
    indent=st.sampled_from([None, 2]),
    level=st.integers(0, 3),
)
def test_coded_objects_equal_json_objects(
    tables: list[list[str | None]], n: int, seed: int, indent: int | None, level: int
) -> None:
    rng = np.random.default_rng(seed)
    fields = [
        (f"k{j}", Coded(np.array(t, dtype=object), rng.integers(0, len(t), n).astype(np.intp)))
        for j, t in enumerate(tables)
    ]
    coded = coded_objects(fields, n, indent=indent, level=level)
    plain = json_objects([(k, c.values()) for k, c in fields], n, indent=indent, level=level)
    assert coded.values().tolist() == plain.tolist()
    assert len(coded.texts) <= max(n, 1)  # one text per combination that occurs


@given(n=st.integers(0, 40), rows_per_piece=st.integers(1, 50), indent=st.sampled_from([None, 2]))
def test_array_from_references_equals_json_dumps(n: int, rows_per_piece: int, indent: int | None) -> None:
    ids = np.array([f"E{i}" for i in range(n)], dtype=object)
    codes = (np.arange(n) % 3).astype(np.intp)
    fields = [
        ("id", np.array([json.dumps(i) for i in ids], dtype=object)),
        ("g", Coded(np.array(["1", "2", "3"], dtype=object), codes)),
    ]
    text = join_chunks(json_array_chunks(fields, n, indent=indent, rows_per_piece=rows_per_piece))
    assert text == json.dumps([{"id": i, "g": int(c) + 1} for i, c in zip(ids, codes, strict=True)], indent=indent)
