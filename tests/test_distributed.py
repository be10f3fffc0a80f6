"""Evaluation over Dask DataFrames (:mod:`asn_kinerja.distributed`): the same results as the single-machine engine
run period by period, on a local cluster of two worker processes, whatever the partitioning; partition boundaries
(a unit split over partitions, raters and superiors in another piece) handled, misrouted rows rejected."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import asn_kinerja
from asn_kinerja import DataError, load_policy, load_policy_text
from asn_kinerja.dataset import from_frames
from asn_kinerja.model import Period
from asn_kinerja.testing import generate_tables

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from asn_kinerja.distributed import (  # noqa: E402
    DistributedOptions,
    compare_dask,
    evaluate_dask,
    plan_pieces,
    to_dask,
    unit_reports_dask,
)

PERIODS = [
    Period("2025-S1", dt.date(2025, 1, 1), dt.date(2025, 6, 30), "semester"),
    Period("2025-S2", dt.date(2025, 7, 1), dt.date(2025, 12, 31), "semester"),
    Period("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31), "annual"),
]
AGENCY = "Pemerintah Kabupaten Sintetis"
POLICY = load_policy("permenpanrb-6-2022")
THREE_SIXTY = load_policy_text(
    "id: p360\ntitle: p360\nextends: permenpanrb-6-2022\n"
    "perilaku_kerja:\n  strategy: three_sixty\n  weights: {atasan: 0.5, rekan: 0.3, bawahan: 0.2}\n"
    "  three_sixty: {min_raters: {rekan: 2, bawahan: 2}, below_minimum: drop, central_tendency: mean}\n"
)


def options(periods: list[Period], **kwargs: Any) -> DistributedOptions:
    return DistributedOptions(periods=periods, agency=AGENCY, **kwargs)


def sync(frame: Any) -> Any:
    return frame.compute(scheduler="synchronous")


@pytest.fixture(scope="module")
def small() -> dict[str, Any]:
    return generate_tables(400, periods=[p.id for p in PERIODS[:2]], seed=5, unit_size=12)


def period_tables(tables: dict[str, Any], period: str) -> dict[str, Any]:
    return {
        name: frame[frame["period"] == period].drop(columns=["period", "unit"], errors="ignore").reset_index(drop=True)
        for name, frame in tables.items()
    }


def single_machine(policy: asn_kinerja.Policy, tables: dict[str, Any], periods: list[Period]) -> Any:
    """The single-machine engine, period by period: to_frame with a period column."""
    frames = []
    for period in periods:
        data = from_frames(agency=AGENCY, period=period, **period_tables(tables, period.id))
        result = asn_kinerja.evaluate(policy, data)
        frame = result.to_frame()
        frame.insert(0, "period", period.id)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def same_rows(got: Any, expected: Any) -> None:
    """Equal to_frame rows per employee and period: the same columns, values and categories (text as text)."""
    assert list(got.columns) == list(expected.columns)
    key = ["period", "employee_id"]
    got = got.sort_values(key).reset_index(drop=True)
    expected = expected.sort_values(key).reset_index(drop=True)
    for column in expected.columns:
        if expected[column].dtype == object or pd.api.types.is_string_dtype(expected[column].dtype):
            got[column] = got[column].astype(object)
            expected[column] = expected[column].astype(object)
    pd.testing.assert_frame_equal(got, expected)


def units_of_partitions(frame: Any) -> list[set[str]]:
    return [set(part["unit"]) for part in dask_partitions(frame)]


def dask_partitions(frame: Any) -> list[Any]:
    return [frame.get_partition(i).compute(scheduler="synchronous") for i in range(frame.npartitions)]


# --- the acceptance test: a local cluster of two worker processes ------------------------------------------------


def write_hive(tables: dict[str, Any], root: Path, halves: int = 2) -> None:
    """Each table as Parquet in ``root/<table>/period=.../unit=.../``, rows shuffled and written in ``halves``
    passes, so that every folder holds several files and a unit's rows are spread over them."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    for name, frame in tables.items():
        shuffled = frame.sample(frac=1.0, random_state=3)
        for k, chunk in enumerate(np.array_split(np.arange(len(shuffled)), halves)):
            pq.write_to_dataset(
                pa.Table.from_pandas(shuffled.iloc[chunk], preserve_index=False),
                root / name,
                partition_cols=["period", "unit"],
                basename_template=f"part-{k}-{{i}}.parquet",
            )


def test_local_cluster_of_two_processes_equals_single_machine_period_by_period(tmp_path: Path) -> None:
    tables = generate_tables(1500, periods=[p.id for p in PERIODS], seed=21, route_level=1)
    expected = single_machine(POLICY, tables, PERIODS)
    assert len(expected) == 4500
    write_hive(tables, tmp_path)
    inputs = {name: dd.read_parquet(tmp_path / name) for name in tables}
    assert inputs["ratings"].npartitions > 2 * len(PERIODS)
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0", memory_limit="2GiB"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        frame = evaluate_dask(POLICY, inputs, options(PERIODS, level=1, piece_size=600))
        assert frame.npartitions > len(PERIODS)
        got = frame.compute()
        assert len(client.scheduler_info()["workers"]) == 2
    same_rows(got, expected)


# --- partition boundaries -------------------------------------------------------------------------------------


def test_a_unit_split_over_partitions_is_gathered_whole(small: dict[str, Any]) -> None:
    ordered = {name: frame.sort_values("unit", kind="stable") for name, frame in small.items()}
    inputs = to_dask(ordered, npartitions=7)
    units = units_of_partitions(inputs["ratings"])
    assert any(a & b for a, b in itertools.pairwise(units)), "a unit is split over two partitions"
    got = sync(evaluate_dask(POLICY, inputs, options(PERIODS[:2], level=2, piece_size=1)))
    same_rows(got, single_machine(POLICY, small, PERIODS[:2]))


def test_folders_coarser_than_the_subtrees_keep_their_units_in_one_piece() -> None:
    """Rows stored per agency folder while the pieces would cut deeper: the folder's units stay together."""
    tables = generate_tables(400, periods=[p.id for p in PERIODS[:2]], seed=5, unit_size=12, route_level=1)
    inputs = to_dask(tables, npartitions=3)
    plan = plan_pieces(inputs, options(PERIODS[:2], level=3, piece_size=1))
    folders = tables["units"].groupby("period")["unit"].nunique().sum()
    assert len(plan.pieces) == folders
    got = sync(evaluate_dask(POLICY, inputs, plan=plan))
    same_rows(got, single_machine(POLICY, tables, PERIODS[:2]))


def test_raters_and_superiors_in_other_pieces_come_along_as_guests(small: dict[str, Any]) -> None:
    inputs = to_dask(small, npartitions=5)
    # every unit a piece of its own: unit leaders are rated by a superior, peers and subordinates in other pieces
    plan = plan_pieces(inputs, options(PERIODS[:2], level=9, piece_size=1))
    assert len(plan.pieces) == len(small["units"])
    assert sum(len(g) for g in plan.guests.values()) > len(plan.pieces) / 2
    emp = small["employees"]
    head = emp[(emp["period"] == "2025-S1") & emp["superior_id"].notna()].iloc[0]
    boss = emp[(emp["period"] == "2025-S1") & (emp["employee_id"] == head["superior_id"])].iloc[0]
    if boss["unit_id"] != head["unit_id"]:
        piece = next(p for p in plan.pieces if p.period.id == "2025-S1" and head["unit_id"] in p.units)
        assert boss["employee_id"] in set(plan.guests[piece.index]["employee_id"])
    got = sync(evaluate_dask(THREE_SIXTY, inputs, plan=plan))
    same_rows(got, single_machine(THREE_SIXTY, small, PERIODS[:2]))


def test_a_rater_in_another_piece_is_validated_as_in_one_evaluation(small: dict[str, Any]) -> None:
    """An atasan rating by someone in another piece who is not the ratee's superior: refused both ways."""
    tables = {name: frame.copy() for name, frame in small.items()}
    emp, ratings = tables["employees"], tables["ratings"]
    s1 = emp[emp["period"] == "2025-S1"]
    staff = s1[s1["superior_id"].notna() & (s1["unit"] != s1["unit"].iloc[0])].iloc[-1]
    stranger = s1[(s1["unit_id"] != staff["unit_id"]) & (s1["employee_id"] != staff["superior_id"])].iloc[0]
    row = ratings.index[
        (ratings["period"] == "2025-S1")
        & (ratings["ratee_id"] == staff["employee_id"])
        & (ratings["group"] == "atasan")
    ][0]
    ratings.loc[row, "rater_id"] = stranger["employee_id"]
    with pytest.raises(DataError) as single:
        single_machine(POLICY, tables, PERIODS[:1])
    with pytest.raises(DataError) as spread:
        sync(evaluate_dask(POLICY, to_dask(tables, npartitions=3), options(PERIODS, level=9, piece_size=1)))
    assert "is not the direct superior" in str(single.value)
    assert "is not the direct superior" in str(spread.value)
    assert spread.value.problems[0].source == "2025-S1/ratings (frame)"


def test_a_row_stored_under_the_wrong_unit_is_refused_not_given_to_a_guest(small: dict[str, Any]) -> None:
    tables = {name: frame.copy() for name, frame in small.items()}
    units, emp, ratings = tables["units"], tables["employees"], tables["ratings"]
    top = units[(units["period"] == "2025-S1") & units["parent_id"].isna()]["unit_id"].iloc[0]
    # a leader directly under the top unit: a guest of the top unit's piece (they rate its head as bawahan)
    leader = emp[(emp["period"] == "2025-S1") & (emp["unit_id"] != top) & emp["superior_id"].notna()]
    leader = leader[leader["superior_id"].isin(emp[emp["unit_id"] == top]["employee_id"])].iloc[0]
    plan = plan_pieces(to_dask(tables, npartitions=2), options(PERIODS[:2], level=1, piece_size=1))
    top_piece = next(p for p in plan.pieces if p.period.id == "2025-S1" and top in p.units)
    assert leader["employee_id"] in set(plan.guests[top_piece.index]["employee_id"])
    # one of the leader's ratings stored under the top unit: it must not be given to the guest, nor be lost
    rows = (ratings["period"] == "2025-S1") & (ratings["ratee_id"] == leader["employee_id"])
    ratings.loc[ratings.index[rows][:1], "unit"] = top
    frame = evaluate_dask(POLICY, to_dask(tables, npartitions=2), options(PERIODS[:2], piece_size=1))
    with pytest.raises(DataError) as err:
        sync(frame)
    text = str(err.value)
    assert f"employee {leader['employee_id']!r} is not in the piece this row was routed to by 'unit'" in text
    assert "2025-S1/ratings" in text


def test_rows_of_unknown_units_periods_and_ids_used_twice_are_refused_before_evaluating(small: dict[str, Any]) -> None:
    tables = {name: frame.copy() for name, frame in small.items()}
    tables["indicators"].loc[tables["indicators"].index[:2], "unit"] = "U-NOWHERE"
    with pytest.raises(DataError, match="stored under unit 'U-NOWHERE'"):
        plan_pieces(to_dask(tables), options(PERIODS[:2]))
    with pytest.raises(DataError, match="period '2025-S2' is not among the periods given"):
        plan_pieces(to_dask(small), options(PERIODS[:1]))
    twice = {name: frame.copy() for name, frame in small.items()}
    emp = twice["employees"]
    s1 = emp["period"] == "2025-S1"
    a, b = emp.index[s1 & (emp["unit"] != emp["unit"][s1].iloc[0])][[0, -1]]
    emp.loc[b, "employee_id"] = emp.loc[a, "employee_id"]
    with pytest.raises(DataError, match="duplicate id"):
        plan_pieces(to_dask(twice, npartitions=2), options(PERIODS[:2], level=9, piece_size=1))


def test_tables_without_a_route_column_are_routed_by_their_owners(small: dict[str, Any]) -> None:
    bare = {name: frame.drop(columns=["unit"]) for name, frame in small.items()}
    inputs = to_dask(bare, npartitions=3)
    got = sync(evaluate_dask(POLICY, inputs, options(PERIODS[:2], level=2, piece_size=50)))
    same_rows(got, single_machine(POLICY, small, PERIODS[:2]))


# --- comparison and units -----------------------------------------------------------------------------------------


def test_compare_dask_equals_compare_period_by_period(small: dict[str, Any]) -> None:
    inputs = to_dask(small, npartitions=3)
    comparison = compare_dask(POLICY, THREE_SIXTY, inputs, options(PERIODS[:2], piece_size=100))
    changes, transitions = comparison.compute(scheduler="synchronous")
    assert set(changes["period"]) <= {"2025-S1", "2025-S2"}
    for period in PERIODS[:2]:
        data = from_frames(agency=AGENCY, period=period, **period_tables(small, period.id))
        single = asn_kinerja.Comparison.of(asn_kinerja.evaluate(POLICY, data), asn_kinerja.evaluate(THREE_SIXTY, data))
        np.testing.assert_array_equal(transitions.loc[period.id].to_numpy(), single.transitions)
        mine = changes[changes["period"] == period.id].sort_values("employee_id").reset_index(drop=True)
        theirs = single.to_frame()
        theirs = theirs[theirs["employee_id"].isin({c.employee_id for c in single.changes})]
        theirs = theirs.sort_values("employee_id").reset_index(drop=True)
        assert len(mine) == len(single.changes) > 0
        for column in [c for c in mine.columns if c != "period"]:
            left = mine[column].astype(object) if mine[column].dtype != np.float64 else mine[column]
            right = theirs[column].astype(object) if theirs[column].dtype != np.float64 else theirs[column]
            pd.testing.assert_series_equal(left, right, check_names=False, check_dtype=False)


def test_unit_reports_equal_the_units_of_one_evaluation(small: dict[str, Any]) -> None:
    inputs = to_dask(small, npartitions=4)
    got = sync(unit_reports_dask(POLICY, inputs, options(PERIODS[:2], level=2, piece_size=30)))
    for period in PERIODS[:2]:
        data = from_frames(agency=AGENCY, period=period, **period_tables(small, period.id))
        reports = asn_kinerja.evaluate(POLICY, data).units()
        mine = got[got["period"] == period.id].set_index("unit_id")
        assert len(mine) == len(reports)
        for u in reports:
            row = mine.loc[u.unit_id]
            assert row["n"] == u.n
            assert [row[p.value] for p in asn_kinerja.Predikat] == [u.counts[p] for p in asn_kinerja.Predikat]
            assert row["guidance"] == (None if u.ok is None else "ok" if u.ok else "violated")


def test_other_regimes_and_missing_tables_are_refused(small: dict[str, Any]) -> None:
    with pytest.raises(asn_kinerja.PolicyError, match="permenpanrb-6-2022"):
        evaluate_dask(load_policy("pp-30-2019"), to_dask(small), options(PERIODS[:2]))
    with pytest.raises(DataError, match="the rhk table is missing"):
        plan_pieces({k: v for k, v in to_dask(small).items() if k != "rhk"}, options(PERIODS[:2]))


def test_unit_reports_are_the_units_result_table_after_a_period_column(small: dict[str, Any]) -> None:
    """Identifiers with their labels beside them, as every machine output of the library."""
    from asn_kinerja.engine.organisation import unit_table

    got = sync(unit_reports_dask(POLICY, to_dask(small, npartitions=2), options(PERIODS[:2], level=2, piece_size=30)))
    got = got[got["period"] == PERIODS[0].id]
    data = from_frames(agency=AGENCY, period=PERIODS[0], **period_tables(small, PERIODS[0].id))
    expected = unit_table(asn_kinerja.evaluate(POLICY, data).units()).to_frame()
    assert list(got.columns) == ["period", *expected.columns]
    assert "predikat_organisasi_label" in got.columns
    mine = got.drop(columns="period").set_index("unit_id").sort_index()
    theirs = expected.set_index("unit_id").sort_index()
    assert mine.index.tolist() == theirs.index.tolist()
    for column in theirs.columns:
        assert mine[column].astype(str).tolist() == theirs[column].astype(str).tolist(), column


def test_compare_dask_transitions_carry_identifiers_with_their_labels_beside(small: dict[str, Any]) -> None:
    comparison = compare_dask(POLICY, THREE_SIXTY, to_dask(small, npartitions=2), options(PERIODS[:2], piece_size=90))
    _, transitions = comparison.compute(scheduler="synchronous")
    assert list(transitions.index.names) == ["period", "predikat_a", "predikat_a_label"]
    assert list(transitions.columns) == [p.value for p in asn_kinerja.Predikat]
    for period in PERIODS[:2]:
        rows = transitions.loc[period.id].index.tolist()
        assert rows == [(p.value, p.label) for p in asn_kinerja.Predikat]
