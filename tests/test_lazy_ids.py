"""Tests of id columns kept as codes into Arrow text: a dataset read from CSV (or Arrow) resolves every reference in
Arrow and keeps the ids nothing asked for as Arrow text, while the same tables given as Python objects go the
Python way; both give the same dataset, and the same problems, id for id."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_kinerja import evaluate, load_policy
from asn_kinerja.dataset.build import build_dataset
from asn_kinerja.dataset.columns import Categorical, IdIndex
from asn_kinerja.dataset.csv_reader import parse_csv
from asn_kinerja.dataset.model import Dataset
from asn_kinerja.errors import DataError
from asn_kinerja.model import Period

pa = pytest.importorskip("pyarrow")
PERIOD = Period("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31))
IDS = st.text(alphabet="AEé1", min_size=1, max_size=3)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), keys=st.lists(IDS, unique=True, max_size=20), large=st.booleans())
def test_every_arrow_lookup_path_finds_what_the_python_lookup_finds(
    data: st.DataObject, keys: list[str], large: bool
) -> None:
    """The ids referenced in their order (a prefix of the index, then others), few ids among many (looked up the
    other way round) and any other column: the rows the Python lookup finds, no Python string made."""
    prefix = data.draw(st.integers(0, len(keys)))
    others = data.draw(st.lists((st.sampled_from(keys) | IDS) if keys else IDS, unique=True, max_size=20))
    values = keys[:prefix] + [v for v in others if v not in keys[:prefix]]
    if data.draw(st.booleans()):
        values = data.draw(st.permutations(values))
    rows = np.arange(len(keys), dtype=np.int64)[::-1].copy()
    kind = pa.large_string() if large else pa.string()
    own = Categorical(np.arange(len(keys)), arrow=pa.array(keys, type=kind), distinct=True)
    index = IdIndex.from_categories(own, rows)
    column = Categorical(np.zeros(0, np.int32), arrow=pa.array(values, type=pa.string()))
    got = index.lookup_categories(column)
    assert not column.made and not own.made  # neither side made Python strings
    plain = IdIndex.from_ids(np.array(keys, dtype=object).reshape(-1), rows)
    assert got.tolist() == plain.lookup(np.array(values, dtype=object).reshape(-1)).tolist()


def test_ids_nobody_asks_for_stay_in_arrow_and_are_the_same_when_asked(tmp_path: Path) -> None:
    ds_csv = build_dataset(agency="A", period=PERIOD, scale=(1, 5), tables=_csv_tables(TABLES))
    for column in (ds_csv.indicators.id_column, ds_csv.rhk.id_column, ds_csv.units.id_column):
        assert not column.made
    result = evaluate(load_policy("permenpanrb-6-2022"), ds_csv)
    result.to_csv()
    assert not ds_csv.indicators.id_column.made and not ds_csv.rhk.id_column.made
    ds_obj = build_dataset(agency="A", period=PERIOD, scale=(1, 5), tables=_object_tables(TABLES))
    _same_dataset(ds_csv, ds_obj)
    assert ds_csv.indicators.id_at(1) == "I2" and ds_csv.rhk.id_at(0) == "R1"
    assert ds_csv.ratings.rater_id_of(ds_csv.ratings.rater_code[0]) == "E2"
    assert not ds_csv.ratings.rater_ids.flags.writeable and not ds_csv.indicators.id.flags.writeable
    assert ds_csv.employee_row("E2") == 1 and ds_csv.employee_rows(["E3", "X"]).tolist() == [2, -1]


TABLES: dict[str, list[dict[str, str]]] = {
    "units": [
        {"unit_id": "U1", "name": "Sekretariat", "parent_id": ""},
        {"unit_id": "U2", "name": "Bidang", "parent_id": "U1"},
    ],
    "employees": [
        {"employee_id": "E1", "name": "Ani", "unit_id": "U1", "jenis_jabatan": "JPT", "superior_id": ""},
        {"employee_id": "E2", "name": "Budi", "unit_id": "U2", "jenis_jabatan": "JA", "superior_id": "E1"},
        {"employee_id": "E3", "name": "Citra", "unit_id": "U2", "jenis_jabatan": "JA", "superior_id": "E2"},
    ],
    "rhk": [
        {"rhk_id": "R1", "employee_id": "E1", "intervensi_id": "", "text": "Layanan"},
        {"rhk_id": "R2", "employee_id": "E2", "intervensi_id": "R1", "text": "Dokumen"},
        {"rhk_id": "R3", "employee_id": "E3", "intervensi_id": "R2", "text": "Arsip"},
    ],
    "indicators": [
        {"indicator_id": "I1", "rhk_id": "R1", "text": "Terbit", "target": "1", "realisasi": "1"},
        {"indicator_id": "I2", "rhk_id": "R2", "text": "Terbit", "target": "2", "realisasi": "1"},
        {"indicator_id": "I3", "rhk_id": "R3", "text": "Terbit", "target": "4", "realisasi": "5"},
    ],
    "ratings": [
        {"ratee_id": "E1", "rater_id": "E2", "group": "bawahan", "criterion": "akuntabel", "score": "4"},
        {"ratee_id": "E2", "rater_id": "E1", "group": "atasan", "criterion": "akuntabel", "score": "5"},
        {"ratee_id": "E3", "rater_id": "E2", "group": "atasan", "criterion": "kompeten", "score": "3"},
        {"ratee_id": "E3", "rater_id": "P9", "group": "pengguna_layanan", "criterion": "kompeten", "score": "3"},
    ],
    "evaluations": [
        {"employee_id": e, "rating_hasil_kerja": "sesuai", "rating_perilaku_kerja": "sesuai"}
        for e in ("E1", "E2", "E3")
    ],
}


def _csv_text(rows: list[dict[str, str]]) -> bytes:
    header = list(rows[0])
    lines = [",".join(header), *(",".join(row[c] for c in header) for row in rows)]
    return ("\n".join(lines) + "\n").encode()


def _csv_tables(tables: dict[str, list[dict[str, str]]]) -> dict[str, object]:
    """The tables as the CSV reader reads them (text in Arrow)."""
    return {name: parse_csv(_csv_text(rows), name, f"{name}.csv") for name, rows in tables.items()}


def _object_tables(tables: dict[str, list[dict[str, str]]]) -> dict[str, object]:
    """The same tables with every text column made Python strings first: the Python path of every check."""
    out = _csv_tables(tables)
    for raw in out.values():
        for column in raw.columns.values():  # type: ignore[attr-defined]
            if isinstance(column, Categorical):
                assert len(column.categories) == column.size and column.made
    return out


def _same_dataset(a: Dataset, b: Dataset) -> None:
    for table in ("units", "employees", "rhk", "indicators"):
        assert getattr(a, table).id.tolist() == getattr(b, table).id.tolist(), table
    assert a.rhk.intervensi_id.tolist() == b.rhk.intervensi_id.tolist()
    assert a.rhk.intervensi.tolist() == b.rhk.intervensi.tolist()
    assert a.units.parent.tolist() == b.units.parent.tolist()
    assert a.employees.superior.tolist() == b.employees.superior.tolist()
    assert a.rhk.employee.tolist() == b.rhk.employee.tolist()
    assert a.indicators.rhk.tolist() == b.indicators.rhk.tolist()
    for col in ("ratee", "rater", "rater_id"):
        assert getattr(a.ratings, col).tolist() == getattr(b.ratings, col).tolist(), col


def _problems(tables: dict[str, object]) -> list[tuple[object, ...]] | Dataset:
    try:
        return build_dataset(agency="A", period=PERIOD, scale=(1, 5), tables=tables)
    except DataError as exc:
        return [(p.source, p.line, p.record, p.field, p.message) for p in exc.problems]


REF = st.sampled_from(["E1", "E2", "E3", "E4", "X", " E2", ""])


@settings(max_examples=60, deadline=None)
@given(
    employee_ids=st.lists(st.sampled_from(["E1", "E2", "E3", "E4", "E1 "]), min_size=1, max_size=4),
    superiors=st.lists(REF, min_size=4, max_size=4),
    rhk_owner=st.lists(REF, min_size=3, max_size=3),
    rhk_ids=st.lists(st.sampled_from(["R1", "R2", "R3", "R1"]), min_size=3, max_size=3),
    intervensi=st.lists(st.sampled_from(["R1", "R2", "R9", ""]), min_size=3, max_size=3),
    ind_rhk=st.lists(st.sampled_from(["R1", "R2", "R3", "R9"]), min_size=3, max_size=3),
    ratees=st.lists(REF, min_size=4, max_size=4),
    raters=st.lists(REF, min_size=4, max_size=4),
)
def test_arrow_and_python_paths_give_the_same_dataset_or_the_same_problems(
    employee_ids: list[str],
    superiors: list[str],
    rhk_owner: list[str],
    rhk_ids: list[str],
    intervensi: list[str],
    ind_rhk: list[str],
    ratees: list[str],
    raters: list[str],
) -> None:
    tables = {name: [dict(row) for row in rows] for name, rows in TABLES.items()}
    tables["employees"] = [
        {"employee_id": e, "name": "N", "unit_id": "U2", "jenis_jabatan": "JA", "superior_id": s}
        for e, s in zip(employee_ids, superiors, strict=False)
    ]
    for row, owner, rid, ref in zip(tables["rhk"], rhk_owner, rhk_ids, intervensi, strict=True):
        row.update(employee_id=owner, rhk_id=rid, intervensi_id=ref)
    for row, ref in zip(tables["indicators"], ind_rhk, strict=True):
        row["rhk_id"] = ref
    for row, ratee, rater in zip(tables["ratings"], ratees, raters, strict=False):
        row.update(ratee_id=ratee, rater_id=rater)
    from_csv, from_objects = _problems(_csv_tables(tables)), _problems(_object_tables(tables))
    if isinstance(from_csv, Dataset) and isinstance(from_objects, Dataset):
        _same_dataset(from_csv, from_objects)
    else:
        assert from_csv == from_objects


def test_a_tables_own_ids_are_read_from_csv_as_plain_text_and_a_repeat_or_a_blank_is_named() -> None:
    raw = parse_csv(b"indicator_id,rhk_id\nI1,R1\nI2,R1\nI3,R2\n", "indicators", "indicators.csv")
    own, ref = raw.columns["indicator_id"], raw.columns["rhk_id"]
    assert isinstance(own, Categorical) and own.identity and not own.made and own.arrow.type == pa.string()
    assert isinstance(ref, Categorical) and not ref.identity and ref.size == 2
    tables = {name: [dict(row) for row in rows] for name, rows in TABLES.items()}
    tables["indicators"][2]["indicator_id"] = "I1"
    tables["rhk"][1]["rhk_id"] = " "
    problems = _problems(_csv_tables(tables))
    assert isinstance(problems, list)
    assert ("indicators.csv", 4, None, "indicator_id", "duplicate id 'I1' (first at line 2)") in problems
    assert ("rhk.csv", 3, None, "rhk_id", "a value is required") in problems
    assert problems == _problems(_object_tables(tables))
