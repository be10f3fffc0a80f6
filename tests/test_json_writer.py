"""The JSON writer at national scale (spreads found a block of ratings at a time, unit reports written column by
column, the text written in small pieces) gives the same text as the straightforward paths: each employee's rater
groups as the exact per-employee path gives them, each unit as ``json.dumps`` of its ``to_dict()``, and the streamed
file equal to the text held whole, whatever the sizes of the blocks and pieces."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import asn_kinerja
from asn_kinerja.engine import cells, table
from asn_kinerja.engine.settle import MISSING
from asn_kinerja.engine.table import distinct_values, output_order
from asn_kinerja.testing import generate_population

ROOT = Path(__file__).resolve().parents[1]
POLICIES = ["permenpanrb-6-2022", *sorted(str(p) for p in (ROOT / "examples" / "policies").glob("*.yaml"))]


def evaluation(policy: asn_kinerja.Policy, seed: int) -> asn_kinerja.Evaluation:
    dataset = generate_population(150 + 41 * seed, seed=seed, peers=seed, unit_size=6 + seed)
    result = asn_kinerja.evaluate(policy, dataset)
    assert isinstance(result, asn_kinerja.Evaluation)
    return result


def publishing_all(policy: asn_kinerja.Policy) -> asn_kinerja.Policy:
    return attrs.evolve(policy, privacy=attrs.evolve(policy.privacy, publish_scores="always"))  # type: ignore[misc]


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: Path(p).stem)
@pytest.mark.parametrize("publish_all", [False, True], ids=["private", "published"])
def test_rater_groups_in_small_blocks_equal_the_exact_path(
    policy: str, publish_all: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = asn_kinerja.load_policy(policy)
    result = evaluation(publishing_all(chosen) if publish_all else chosen, seed=2)
    whole = result.to_json()
    monkeypatch.setattr(cells, "CHUNK", 89)  # the cells and the spreads of the ratings in many blocks
    monkeypatch.setattr(table, "REFERENCES_PER_PIECE", 5)
    again = evaluation(publishing_all(chosen) if publish_all else chosen, seed=2)
    assert again.to_json() == whole
    stream = io.StringIO()
    again.write_json(stream)
    assert stream.getvalue() == whole
    spreads = 0
    for row in json.loads(whole)["employees"]:
        exact = json.loads(json.dumps(result[row["employee_id"]].to_dict(), default=str))
        assert row["perilaku_groups"] == exact["perilaku_groups"]
        spreads += sum(g.get("spread") is not None for g in row["perilaku_groups"].values())
    assert spreads > 0  # spreads were published and compared


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: Path(p).stem)
def test_spreads_told_by_the_engine_s_counts_equal_those_from_the_ratings(policy: str) -> None:
    from asn_kinerja.engine.published import _cell_spreads, _spreads_from_ratings

    result = evaluation(publishing_all(asn_kinerja.load_policy(policy)), seed=3)
    every = list(range(len(result._behaviour.slots)))
    np.testing.assert_array_equal(_cell_spreads(result, every), _spreads_from_ratings(result, every))
    if policy == "permenpanrb-6-2022":  # supervisor-only: one rating a cell, told without reading the ratings
        assert result._behaviour.slot_counts.max() == 1


DISTRIBUTIONS: list[dict[str, Any]] = [
    {},
    {"largest_group": "majority"},
    {"rounding": "floor", "count_leader": False},
    {"rounding": "ceil"},
    {"rounding": "half_up", "largest_group": "majority", "count_leader": False},
]


def _named(changes: dict[str, Any]) -> str:
    return ",".join(f"{k}={v}" for k, v in changes.items()) or "default"


@pytest.mark.parametrize("changes", DISTRIBUTIONS, ids=_named)
@pytest.mark.parametrize("indent", [2, None])
def test_units_json_equals_json_dumps_of_each_unit(changes: dict[str, Any], indent: int | None) -> None:
    policy = asn_kinerja.load_policy("permenpanrb-6-2022")
    assert policy.distribution is not None
    policy = attrs.evolve(policy, distribution=attrs.evolve(policy.distribution, **changes))  # type: ignore[misc]
    result = evaluation(policy, seed=3)
    units = result.units()
    reports = [u.distribution for u in units if u.distribution is not None]
    assert any(r.violations for r in reports) and any(r.ok for r in reports)  # both kinds are in the text compared
    assert result.cascading()  # the cascading defects are in the text compared too
    if changes.get("count_leader") is False:
        assert any(r.note is not None for r in reports)  # units whose only staff is their leader
    expected = {
        "policy": json.loads(result.to_json(indent=None))["policy"],
        "dataset": json.loads(result.to_json(indent=None))["dataset"],
        "units": [u.to_dict() for u in units],
        "cascading": [c.to_dict() for c in result.cascading()],
    }
    assert result.units_to_json(indent=indent) == json.dumps(expected, indent=indent, ensure_ascii=False) + "\n"


def test_json_streamed_to_a_file_equals_the_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = evaluation(asn_kinerja.load_policy("permenpanrb-6-2022"), seed=1)
    text = result.to_json()
    assert "≤" in text or "≥" in text  # characters beyond Latin-1 in the units' texts
    for references in (1, 3, 1024):
        monkeypatch.setattr(table, "REFERENCES_PER_PIECE", references)
        path = tmp_path / f"r{references}.json"
        with path.open("w", encoding="utf-8", newline="") as stream:
            result.write_json(stream)
        assert path.read_bytes() == text.encode("utf-8")


@given(values=st.lists(st.one_of(st.integers(-300, 300), st.just(MISSING), st.integers(-(2**62), 2**62)), max_size=60))
def test_distinct_values_equal_numpy_unique(values: list[int]) -> None:
    array = np.array(values, dtype=np.int64)
    distinct, inverse = distinct_values(array)
    expected, expected_inverse = np.unique(array, return_inverse=True)
    assert distinct.tolist() == expected.tolist()
    assert inverse.tolist() == expected_inverse.ravel().tolist()


@given(
    ids=st.lists(
        st.one_of(st.from_regex(r"[0-9]{4}", fullmatch=True), st.from_regex(r"[0-9a-zé]{0,5}", fullmatch=True)),
        min_size=1,
        max_size=30,
    ),
    seed=st.integers(0, 2**16),
)
def test_output_order_is_by_unit_id_then_employee_id(ids: list[str], seed: int) -> None:
    # Ids of one length made of digits are sorted as numbers (the same order as their texts): both kinds mixed here.
    rng = np.random.default_rng(seed)
    units = np.array(["u2", "u1", "u10"], dtype=object)
    unit_of = rng.integers(0, 3, len(ids))
    order = output_order(units, unit_of, np.array(ids, dtype=object)).tolist()
    expected = sorted(range(len(ids)), key=lambda i: (units[unit_of[i]], ids[i], i))
    assert order == expected


_SCALARS = st.one_of(st.text(), st.integers(), st.integers(-(2**80), 2**80), st.none())


@given(
    values=st.lists(st.one_of(_SCALARS, st.booleans(), st.floats(), st.dictionaries(st.text(), _SCALARS)), max_size=20)
)
def test_json_texts_equal_json_dumps(values: list[Any]) -> None:
    """Texts, whole numbers and nulls (written without the encoder) and any other values (with it) as json.dumps
    gives them, a value at a time."""
    scalars = [v for v in values if type(v) in (str, int, type(None))]
    for chosen in (values, scalars):
        for indent in (2, None):
            assert table.json_texts(chosen, indent=indent).tolist() == [
                json.dumps(v, ensure_ascii=False, indent=indent) for v in chosen
            ]
    assert table.json_texts(['a"\n≤', -(2**70), None]).tolist() == ['"a\\"\\n≤"', str(-(2**70)), "null"]


@pytest.mark.parametrize("policy", [*POLICIES, "no-distribution"], ids=lambda p: Path(p).stem)
@pytest.mark.parametrize("indent", [2, None])
def test_units_json_from_columns_equals_the_units_objects(policy: str, indent: int | None) -> None:
    """The units' JSON written straight from the columns equals that of the unit objects and json.dumps of each
    ``to_dict()``: with and without distribution rules, units with and without development needs."""
    from asn_kinerja.engine.organisation import unit_columns_json_chunks, units_json
    from asn_kinerja.engine.table import join_chunk

    loaded = asn_kinerja.load_policy("permenpanrb-6-2022" if policy == "no-distribution" else policy)
    if policy == "no-distribution":
        loaded = attrs.evolve(loaded, distribution=None)
    dataset = generate_population(232, seed=2, peers=2, unit_size=8)
    org = dataset.units.predikat_organisasi.copy()
    org[::3] = -1  # every third unit without an organisation predikat
    dataset = attrs.evolve(dataset, units=attrs.evolve(dataset.units, predikat_organisasi=org))
    result = asn_kinerja.evaluate(loaded, dataset)
    assert isinstance(result, asn_kinerja.Evaluation)
    units = result.units()
    assert any(u.development for u in units) and not all(u.development for u in units)
    assert any(u.predikat_organisasi is None for u in units) and any(u.distribution for u in units) != (
        policy == "no-distribution"
    )
    if policy == "no-distribution":
        assert all(u.distribution is None for u in units)
    columns = result._unit_columns
    text = "".join(map(join_chunk, unit_columns_json_chunks(columns, indent=indent, level=1)))
    assert text == "".join(units_json(units, indent=indent, level=1))
    assert json.loads(text) == [u.to_dict() for u in units]
    assert text == json.dumps([u.to_dict() for u in units], indent=indent, ensure_ascii=False).replace(
        "\n", "\n" + " " * (indent or 0)
    )


def test_an_evaluation_without_behaviour_ratings_is_written(tmp_path: Path) -> None:
    """The evaluator's ratings alone (no BerAKHLAK rating in the dataset, as a small office sends them): every
    output is written, each employee's rater groups empty."""
    files = {
        "dataset.yaml": "agency: A\nperiod: {id: '2025', start: 2025-01-01, end: 2025-12-31}\n"
        "scale: {min: 1, max: 5}\n",
        "units.csv": "unit_id,name\nU1,Sekretariat\n",
        "employees.csv": "employee_id,name,unit_id,jenis_jabatan,superior_id\nE1,Ani,U1,JPT,\nE2,Budi,U1,JA,E1\n",
        "rhk.csv": "rhk_id,employee_id,jenis,text\nR1,E1,utama,Laporan\nR2,E2,utama,Layanan\n",
        "indicators.csv": "indicator_id,rhk_id,text,target,weight,realisasi\nI1,R1,Terbit,12,1,12\nI2,R2,Hari,5,1,4\n",
        "evaluations.csv": "employee_id,rating_hasil_kerja,rating_perilaku_kerja\nE1,sesuai,sesuai\nE2,,sesuai\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    dataset = asn_kinerja.load_dataset(tmp_path)
    assert len(dataset.ratings) == 0
    for policy in (
        asn_kinerja.load_policy("permenpanrb-6-2022"),
        publishing_all(asn_kinerja.load_policy("permenpanrb-6-2022")),
    ):
        result = asn_kinerja.evaluate(policy, dataset)
        text = result.to_json()
        employees = json.loads(text)["employees"]
        assert [e["employee_id"] for e in employees] == ["E1", "E2"]
        assert all(not e["perilaku_groups"] for e in employees)
        with (tmp_path / "out.json").open("w", encoding="utf-8") as file:
            result.write_json(file)
        assert (tmp_path / "out.json").read_text(encoding="utf-8") == text
        assert result.to_csv().count("\n") == 3


def test_units_are_checked_once_per_evaluation_and_each_call_gives_its_own_objects(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from asn_kinerja.engine import organisation
    from asn_kinerja.model import Predikat

    result = evaluation(asn_kinerja.load_policy("permenpanrb-6-2022"), seed=3)
    calls: list[Any] = []
    check = organisation.distribution_report
    monkeypatch.setattr(organisation, "distribution_report", lambda *a: calls.append(a) or check(*a))
    first = result.units()
    checked = len(calls)
    assert checked > 0
    text = result.units_to_json()
    second = result.units()
    assert len(calls) == checked  # the units' columns are made once per evaluation
    assert first == second and first[0] is not second[0]
    counts = first[0].counts
    assert isinstance(counts, dict)
    counts[Predikat.BAIK] += 1  # a caller changing its objects changes nothing of the evaluation
    assert result.units() == second
    assert result.units_to_json() == text


_TEXTS = st.one_of(
    st.none(),
    st.text(alphabet=st.sampled_from('ab1 é≤"\\\n\x1e\x00'), max_size=6),
    st.text(alphabet="abc019", min_size=1, max_size=4),
)


@given(
    first=st.lists(st.text(alphabet="abc019-", max_size=5), min_size=1, max_size=8),
    second=st.lists(_TEXTS, min_size=8, max_size=8),
    codes=st.lists(st.integers(-1, 2), min_size=8, max_size=8),
)
def test_json_of_text_and_coded_columns_equals_json_dumps(
    first: list[str], second: list[Any], codes: list[int]
) -> None:
    """Texts written between quotes as they are (every row a text needing no escape), texts that need escaping or
    hold ``None``, and an identifier with its label sharing one codes array (counted once where combined): the JSON
    equals ``json.dumps`` of the records, as whole objects and as rows."""
    from asn_kinerja.engine.table import Column, Quoted, ResultTable, json_part
    from asn_kinerja.model import Predikat

    n = len(first)
    second, coded = second[:n], np.array(codes[:n])
    ids, labels = table.labelled("predikat", Predikat, coded)
    result = ResultTable(
        (
            Column.text("id", first),
            ids,
            labels,
            Column.flag("flag", coded > 0),
            Column.text("name", second),
            Column.text("again", first),
        )
    )
    assert ids.codes is labels.codes
    assert isinstance(json_part(result["id"]), Quoted)  # the case written without quoted copies
    names, label_names = table.code_ids(Predikat, coded).tolist(), table.code_labels(Predikat, coded).tolist()
    records = [
        {"id": a, "predikat": p, "predikat_label": label, "flag": c > 0, "name": b, "again": a}
        for a, p, label, c, b in zip(first, names, label_names, coded.tolist(), second, strict=True)
    ]
    for indent in (2, None):
        assert result.to_json(indent=indent) == json.dumps(records, indent=indent, ensure_ascii=False)
        rows = result.json_rows(indent=indent).tolist()
        assert rows == [json.dumps(r, indent=indent, ensure_ascii=False) for r in records]


def test_quoted_texts_in_objects_that_leave_keys_out() -> None:
    from asn_kinerja.engine.table import Quoted, json_objects

    texts = np.array(["E1", "E2"], dtype=object)
    fields = [("id", Quoted(texts)), ("b", np.array([None, "1"], dtype=object)), ("c", Quoted(texts))]
    for indent in (2, None):
        expected = [{"id": "E1", "c": "E1"}, {"id": "E2", "b": 1, "c": "E2"}]
        assert json_objects(fields, 2, indent=indent).tolist() == [json.dumps(e, indent=indent) for e in expected]


@given(st.text(max_size=12) | st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=12))
def test_the_escape_check_agrees_with_json_dumps(text: str) -> None:
    """A text needs escaping in JSON exactly where ``json.dumps`` (UTF-8 kept) writes it other than between plain
    quotes: the fast check on ASCII bytes and the regular expression for other text agree with it."""
    from asn_kinerja.engine.table import _json_escapes

    assert _json_escapes(text) == (json.dumps(text, ensure_ascii=False) != '"' + text + '"')


def test_the_escape_check_of_every_ascii_character() -> None:
    from asn_kinerja.engine.table import _json_escapes

    for code in range(0x80):
        ch = chr(code)
        assert _json_escapes("ab" + ch) == (json.dumps(ch, ensure_ascii=False) != '"' + ch + '"'), hex(code)


@given(
    small=st.lists(st.integers(-1, 99), min_size=1, max_size=30),
    wide=st.lists(st.integers(-1, 299), min_size=30, max_size=30),
    flags=st.lists(st.booleans(), min_size=30, max_size=30),
)
def test_narrow_codes_are_written_as_wide_ones(small: list[int], wide: list[int], flags: list[bool]) -> None:
    """Codes kept as narrow as their table allows (an enum's ``int8``, a figure's ``int16``, a flag's bytes) give
    the same JSON and CSV, rows and whole, as the same codes in ``intp``, including ``-1`` (the table's last
    entry) and tables wider than ``int8`` combined with narrow ones."""
    from asn_kinerja.engine.table import Coded, Column, ResultTable, coded_objects, positions

    n = len(small)
    texts100 = np.array([f"t{i}" for i in range(99)] + [None], dtype=object)
    texts300 = np.array([f"w{i}" for i in range(299)] + [None], dtype=object)
    codes100, codes300 = np.array(small), np.array(wide[:n])
    assert positions(codes100, 100).dtype == np.int8 and positions(codes300, 300).dtype == np.int16

    def table(narrow: bool) -> ResultTable:
        def kept(codes: np.ndarray, size: int) -> np.ndarray:
            return positions(codes, size) if narrow else codes.astype(np.intp)

        return ResultTable(
            (
                Column("a", None, "text", table=texts100, codes=kept(codes100, 100)),
                Column("b", None, "text", table=texts300, codes=kept(codes300, 300)),
                Column.flag("c", np.array(flags[:n])),
                # int8 codes into a table wider than int8 (given so by a caller: kept as they are)
                Column("d", None, "text", table=texts300, codes=kept(codes100, 100)),
            )
        )

    narrow, wide_table = table(True), table(False)
    assert narrow["a"].codes is not None and narrow["a"].codes.dtype == np.int8
    for indent in (2, None):
        assert narrow.to_json(indent=indent) == wide_table.to_json(indent=indent)
        assert narrow.json_rows(indent=indent).tolist() == wide_table.json_rows(indent=indent).tolist()
    assert narrow.to_csv() == wide_table.to_csv()
    fields = [("a", Coded(texts100, positions(codes100, 100))), ("b", Coded(texts300, positions(codes100, 100)))]
    wide_fields = [("a", Coded(texts100, codes100.astype(np.intp))), ("b", Coded(texts300, codes100.astype(np.intp)))]
    assert coded_objects(fields, n).values().tolist() == coded_objects(wide_fields, n).values().tolist()
