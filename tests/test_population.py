"""The population engine: synthetic populations, columnar input (arrays, pandas, Arrow, Parquet) and output, and
the columnar path equal to the exact path employee by employee under every strategy."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import asn_kinerja
from asn_kinerja import DataError, evaluate, load_policy, load_policy_text
from asn_kinerja._numbers import round_to
from asn_kinerja.dataset import Categorical, from_frames, load_parquet
from asn_kinerja.engine.exact import criteria_exact, evaluate_exact
from asn_kinerja.model import JenisJabatan, Period, Predikat
from asn_kinerja.rules import angka_kredit_2023
from asn_kinerja.testing import generate_population

PERIOD = Period("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31))
BASE = "id: p\ntitle: p\nextends: permenpanrb-6-2022\n"
POLICIES = [
    "",
    "perilaku_kerja:\n  strategy: three_sixty\n  weights: {atasan: 0.5, rekan: 0.3, bawahan: 0.2}\n"
    "  three_sixty: {min_raters: {rekan: 3, bawahan: 2}, below_minimum: drop, central_tendency: mean}\n",
    "perilaku_kerja:\n  strategy: three_sixty\n  weights: {atasan: 0.6, rekan: 0.25, bawahan: 0.15}\n"
    "  three_sixty: {min_raters: {rekan: 3, bawahan: 3}, below_minimum: pool, central_tendency: median}\n",
    "perilaku_kerja:\n  strategy: three_sixty\n  weights: {atasan: 0.4, rekan: 0.3, bawahan: 0.2, diri: 0.1}\n"
    "  include_self: true\n"
    "  three_sixty: {min_raters: {rekan: 2, bawahan: 2}, below_minimum: pool, central_tendency: trimmed_mean,"
    " trim: 0.25}\n",
    "perilaku_kerja:\n  strategy: citizen_weighted\n"
    "  citizen: {weight: 0.4, applies_to: [overall], min_respondents: 5}\n",
    "perilaku_kerja:\n  strategy: citizen_weighted\n"
    "  citizen: {weight: 0.25, applies_to: [berorientasi_pelayanan, akuntabel], min_respondents: 30}\n"
    "hasil_kerja:\n  suggestion: {include_tambahan: true, cap: 120, inside_range: 100.5}\n",
]


def assert_equals_exact(policy: asn_kinerja.Policy, data: asn_kinerja.Dataset) -> None:
    """Every published figure of every employee equals the exact path's."""
    result = evaluate(policy, data)
    assert isinstance(result, asn_kinerja.Evaluation)
    columns = result.arrays()
    emp = data.employees
    months = data.period.months
    for row in range(len(emp)):
        exact = evaluate_exact(policy, data, row)
        got = result.result(row)
        who = str(emp.id[row])
        assert got.rating_hasil_kerja is exact.rating_hasil_kerja, who
        assert got.rating_perilaku_kerja is exact.rating_perilaku_kerja, who
        assert got.predikat_matrix is exact.predikat, who
        assert got.capaian == (None if exact.capaian is None else round_to(exact.capaian, 2)), who
        assert got.perilaku_score == (None if exact.perilaku_score is None else round_to(exact.perilaku_score, 2)), who
        if emp.jenis_jabatan[row] == JenisJabatan.JF.code:
            expected = angka_kredit_2023.angka_kredit(str(emp.jenjang[row]), got.predikat, bulan=months)
            assert got.angka_kredit == expected, who
        else:
            assert got.angka_kredit is None
        # the columns say the same
        assert columns["predikat"][row] == got.predikat.code
        assert columns["capaian"][row] == (np.nan if got.capaian is None else float(got.capaian)) or (
            got.capaian is None and np.isnan(columns["capaian"][row])
        )
    # development needs: weak values decided exactly, cell by cell
    dev = policy.development
    pk = policy.perilaku_kerja
    if dev is not None and pk is not None:
        from asn_kinerja.engine.exact import citizen_exact

        for row in range(len(emp)):
            rows = np.flatnonzero(data.ratings.ratee == row).tolist()
            combined, own, others = criteria_exact(policy, data, rows, citizen_exact(policy, data, row))
            for c in range(len(pk.criteria)):
                flag = combined[c] is not None and combined[c] < dev.below
                if dev.self_gap is not None and own[c] is not None and others[c] is not None:
                    flag = flag or own[c] - others[c] >= dev.self_gap
                assert bool(result.development_needs[row, c]) is flag, (str(emp.id[row]), pk.criteria[c])


def tie_prone(n: int, seed: int, **options: Any) -> asn_kinerja.Dataset:
    """A synthetic population whose figures often sit exactly on a threshold or a rounding tie: targets 8, 10, 32,
    160, 800 with whole realisations (capaian 90 %, 110 %, x.xx5 %), weights 0.5, 1, 2, scores in half points."""
    data, frames = generate_population(n, seed=seed, return_frames=True, **options)
    rng = np.random.default_rng(seed)
    ind = frames["indicators"]
    m = len(ind["target"])
    target = rng.choice([8.0, 10.0, 32.0, 160.0, 800.0], m)
    ind["target"] = np.where(np.isnan(ind["target"]), np.nan, target)
    value = np.where(np.isnan(ind["target"]), ind["target_high"], ind["target"])
    step = np.maximum(1.0, np.round(value / 10))
    ind["realisasi"] = np.where(
        np.isnan(ind["realisasi"]), np.nan, np.maximum(0.0, value + step * rng.integers(-2, 3, m))
    )
    ind["weight"] = rng.choice([0.5, 1.0, 1.0, 2.0], m)
    ratings = frames["ratings"]
    ratings["score"] = rng.integers(2, 11, len(ratings["score"])) / 2.0
    return from_frames(agency=data.agency, period=data.period, scale=(1, 5), **frames)


@settings(max_examples=60)
@given(
    st.integers(2, 120),
    st.integers(0, 2**16),
    st.integers(2, 12),
    st.integers(1, 4),
    st.sampled_from([0.0, 0.2, 0.6]),
    st.sampled_from(POLICIES),
    st.booleans(),
)
def test_columnar_equals_exact_on_synthetic_populations(
    n: int, seed: int, unit_size: int, peers: int, given_share: float, overlay: str, ties: bool
) -> None:
    options = {"unit_size": unit_size, "peers": peers, "given_share": given_share}
    data = tie_prone(n, seed, **options) if ties else generate_population(n, seed=seed, **options)
    # Every figure, published (privacy.publish_scores: always), equals the exact path's.
    assert_equals_exact(load_policy_text(BASE + overlay + "privacy: {publish_scores: always}\n"), data)
    # The default withholds the figures computed from anonymous ratings and changes nothing else.
    everything = evaluate(load_policy_text(BASE + overlay + "privacy: {publish_scores: always}\n"), data)
    published = evaluate(load_policy_text(BASE + overlay), data)
    a, b = everything.arrays(), published.arrays()
    withheld = b["scores_withheld"]
    assert not a["scores_withheld"].any()
    for name in a:
        if name == "perilaku_score":
            assert np.array_equal(b[name], np.where(withheld, np.nan, a[name]), equal_nan=True)
        elif name != "scores_withheld":
            assert np.array_equal(a[name], b[name], equal_nan=a[name].dtype.kind == "f"), name
    assert np.array_equal(everything.development_needs, published.development_needs)


def test_a_larger_population_equals_exact_on_a_sample() -> None:
    data = generate_population(3000, seed=11)
    policy = load_policy("permenpanrb-6-2022")
    result = evaluate(policy, data)
    for row in np.random.default_rng(0).choice(len(data.employees), 40, replace=False).tolist():
        exact = evaluate_exact(policy, data, row)
        got = result.result(row)
        assert got.predikat_matrix is exact.predikat
        assert got.perilaku_score == (None if exact.perilaku_score is None else round_to(exact.perilaku_score, 2))
        assert got.capaian == (None if exact.capaian is None else round_to(exact.capaian, 2))


# --- the generator ------------------------------------------------------------------------------------------------


def test_generator_is_deterministic_and_realistic() -> None:
    a, frames = generate_population(500, seed=7, return_frames=True)
    b = generate_population(500, seed=7)
    for table in ("employees", "indicators", "ratings"):
        for column in ("id", "employee", "score", "ratee", "realisasi"):
            if hasattr(getattr(a, table), column):
                np.testing.assert_array_equal(getattr(getattr(a, table), column), getattr(getattr(b, table), column))
    assert not np.array_equal(generate_population(500, seed=8).ratings.score[:50], a.ratings.score[:50])
    emp = a.employees
    assert set(emp.jenis_jabatan.tolist()) == {j.code for j in JenisJabatan}
    assert (emp.superior == -1).sum() == 1
    per_employee = len(a.indicators) / len(emp)
    assert 4 <= per_employee <= 6
    assert (a.indicators.direction == 1).any()  # some lower is better
    assert (a.indicators.target_low < a.indicators.target_high).any()  # range targets
    assert set(a.ratings.group.tolist()) == {0, 1, 2, 3}
    assert len(a.surveys) > 0
    assert (emp.rating_hasil_kerja >= 0).any()
    assert set(frames) >= {"units", "employees", "rhk", "indicators", "ratings", "evaluations", "surveys"}
    result = evaluate(load_policy("permenpanrb-6-2022"), a)
    assert all(count > 0 for count in result.counts().values())


# --- columnar input -----------------------------------------------------------------------------------------------


def small_frames() -> dict[str, Any]:
    return {
        "units": {"unit_id": ["U1", "U2"], "name": ["Dinas", "Bidang"], "parent_id": [None, "U1"]},
        "employees": {
            "employee_id": ["E1", "E2", "E3"],
            "name": ["Ani", "Budi", "Citra"],
            "unit_id": ["U1", "U2", "U2"],
            "jenis_jabatan": ["JPT", "JA", "JF"],
            "jenjang": ["pratama", None, "ahli_muda"],
            "superior_id": [None, "E1", "E2"],
        },
        "rhk": {"rhk_id": ["R1", "R2", "R3"], "employee_id": ["E1", "E2", "E3"], "text": ["a", "b", "c"]},
        "indicators": {
            "indicator_id": ["I1", "I2", "I3"],
            "rhk_id": ["R1", "R2", "R3"],
            "text": ["x", "y", "z"],
            "target": np.array([10.0, np.nan, 12.0]),
            "target_low": np.array([np.nan, 1.0, np.nan]),
            "target_high": np.array([np.nan, 3.0, np.nan]),
            "direction": ["higher", "lower", "higher"],
            "realisasi": np.array([11.0, 2.0, 9.0]),
        },
        "ratings": {
            "ratee_id": ["E2", "E3", "E3"],
            "rater_id": ["E1", "E2", "E3"],
            "group": ["atasan", "atasan", "diri"],
            "criterion": ["akuntabel", "akuntabel", "akuntabel"],
            "score": np.array([4.0, 3.0, 5.0]),
        },
        "evaluations": {
            "employee_id": ["E1", "E2", "E3"],
            "rating_hasil_kerja": ["di_atas", None, "sesuai"],
            "rating_perilaku_kerja": ["sesuai", "di_atas", "di_bawah"],
        },
    }


def build(**tables: Any) -> asn_kinerja.Dataset:
    return from_frames(agency="Uji", period=PERIOD, **tables)


def test_from_frames_dicts_pandas_and_arrow_agree() -> None:
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    tables = small_frames()
    plain = build(**tables)
    frames = build(**{k: pd.DataFrame(v) for k, v in tables.items()})
    arrow = build(**{k: pa.table(v) for k, v in tables.items()})
    policy = load_policy("permenpanrb-6-2022")
    expected = evaluate(policy, plain).to_json()
    assert evaluate(policy, frames).to_json() == expected
    assert evaluate(policy, arrow).to_json() == expected


def test_bad_cells_get_the_csv_messages() -> None:
    pd = pytest.importorskip("pandas")
    tables = small_frames()
    tables["ratings"]["score"] = np.array([4.0, 7.0, 5.0])
    tables["employees"]["unit_id"] = ["U1", "NOWHERE", "U2"]
    for given_tables in (tables, {k: pd.DataFrame(v) for k, v in tables.items()}):
        with pytest.raises(DataError) as info:
            build(**given_tables)
        found = {(p.source, p.record, p.field, p.message) for p in info.value.problems}
        assert found == {
            ("employees (frame)", "E2", "unit_id", "unknown unit 'NOWHERE'"),
            ("ratings (frame)", "E3", "score", "7 is outside the scale 1–5"),
        }


def test_text_numbers_and_categoricals_in_arrays() -> None:
    tables = small_frames()
    tables["indicators"]["realisasi"] = np.array(["11", " 2.0 ", "9"], dtype=object)
    tables["ratings"]["criterion"] = Categorical(np.array([0, 0, 0]), np.array(["akuntabel"], dtype=object))
    data = build(**tables)
    assert data.indicators.realisasi.tolist() == [11.0, 2.0, 9.0]
    assert data.ratings.criterion.tolist() == ["akuntabel"] * 3
    tables["indicators"]["realisasi"] = np.array(["11", "2,5", "1e400"], dtype=object)
    with pytest.raises(DataError) as info:
        build(**tables)
    messages = sorted(p.message for p in info.value.problems)
    assert messages == [
        "'1e400' is out of the range of numbers kept exactly (magnitude 1e-15 up to 1e15)",
        "must be a number, got '2,5' (use a point as the decimal separator)",
    ]


def test_parquet_folder_round_trip(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    tables = small_frames()
    for name, columns in tables.items():
        pq.write_table(pa.table(columns), tmp_path / f"{name}.parquet")
    (tmp_path / "dataset.yaml").write_text(
        "agency: Uji\nperiod: {id: '2025', start: 2025-01-01, end: 2025-12-31}\nscale: {min: 1, max: 5}\n",
        encoding="utf-8",
    )
    loaded = load_parquet(tmp_path)
    policy = load_policy("permenpanrb-6-2022")
    assert evaluate(policy, loaded).to_json().replace("'Uji'", "") == evaluate(policy, build(**tables)).to_json()
    (tmp_path / "units.parquet").unlink()
    with pytest.raises(DataError, match="required file is missing"):
        load_parquet(tmp_path)


def test_missing_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    result = evaluate(load_policy("permenpanrb-6-2022"), build(**small_frames()))
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if not installed
    with pytest.raises(ImportError, match=r"pip install 'asn_kinerja\[pandas\]'"):
        result.to_frame()
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(ImportError, match=r"asn_kinerja\[arrow\]"):
        load_parquet(Path("."))


# --- columnar output ----------------------------------------------------------------------------------------------


def test_to_frame_and_arrays_match_the_results() -> None:
    pytest.importorskip("pandas")
    data = generate_population(150, seed=5)
    result = evaluate(load_policy("permenpanrb-6-2022"), data)
    frame = result.to_frame(decimals=True)
    assert len(frame) == len(data.employees)
    assert frame["predikat"].cat.categories.tolist() == [p.label for p in reversed(Predikat)]  # worst to best
    assert frame["predikat"].cat.ordered
    for row in range(0, len(data.employees), 7):
        r = result.result(row)
        line = frame.iloc[row]
        assert line["employee_id"] == r.employee_id
        assert line["predikat"] == r.predikat.label
        assert line["rating_hasil_kerja"] == r.rating_hasil_kerja.label
        assert line["hasil_kerja_basis"] == r.hasil_kerja_basis
        assert line["capaian_exact"] == r.capaian
        assert line["perilaku_score_exact"] == r.perilaku_score
        assert (line["capaian"] == float(r.capaian)) if r.capaian is not None else np.isnan(line["capaian"])
        assert line["angka_kredit_exact"] == r.angka_kredit
        if r.angka_kredit is not None:
            assert Decimal(str(float(line["angka_kredit"]))) == r.angka_kredit


def test_identifier_columns_read_as_floats_are_refused() -> None:
    from asn_kinerja.dataset.frames import to_raw_table

    with pytest.raises(asn_kinerja.DataError) as err:
        to_raw_table("employees", {"employee_id": np.array([1.98e17]), "superior_id": np.array([np.nan])})
    assert [p.field for p in err.value.problems] == ["employee_id", "superior_id"]
    assert "dtype=str" in err.value.problems[0].message
