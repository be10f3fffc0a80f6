"""The options of distributed evaluation as one object (:class:`asn_kinerja.distributed.DistributedOptions`): what it
checks, and the keyword arguments it replaces, which keep working for one release with a ``DeprecationWarning``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from asn_kinerja import DataError, load_policy
from asn_kinerja.model import Period
from asn_kinerja.testing import generate_tables

pd = pytest.importorskip("pandas")
pytest.importorskip("dask.dataframe")

from asn_kinerja import distributed  # noqa: E402
from asn_kinerja.distributed import DistributedOptions  # noqa: E402

PERIODS = [
    Period("2025-S1", dt.date(2025, 1, 1), dt.date(2025, 6, 30), "semester"),
    Period("2025-S2", dt.date(2025, 7, 1), dt.date(2025, 12, 31), "semester"),
]
AGENCY = "Pemerintah Kabupaten Sintetis"
POLICY = load_policy("permenpanrb-6-2022")
KEYWORDS: dict[str, Any] = {"periods": PERIODS, "agency": AGENCY, "level": 2, "piece_size": 40}


@pytest.fixture(scope="module")
def inputs() -> dict[str, Any]:
    tables = generate_tables(90, periods=[p.id for p in PERIODS], seed=3, unit_size=10)
    return distributed.to_dask(tables, npartitions=2)


def sync(frame: Any) -> Any:
    return frame.compute(scheduler="synchronous")


def test_the_options_convert_and_check_what_they_are_given() -> None:
    table = pd.DataFrame({"id": ["2025"], "start": ["2025-01-01"], "end": [pd.Timestamp("2025-12-31")], "kind": [None]})
    options = DistributedOptions(periods=table, agency=AGENCY, scale=("1", 4))
    assert options.periods == (Period("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31), "annual"),)
    assert options.scale == (Decimal(1), Decimal(4))
    assert (options.level, options.piece_size, options.route) == (1, 50_000, "unit")
    with pytest.raises(ValueError, match="level must be 0 or more"):
        DistributedOptions(periods=PERIODS, agency=AGENCY, level=-1)
    with pytest.raises(ValueError, match="piece_size must be 1 or more"):
        DistributedOptions(periods=PERIODS, agency=AGENCY, piece_size=0)
    with pytest.raises(TypeError, match="piece_size must be an integer"):
        DistributedOptions(periods=PERIODS, agency=AGENCY, piece_size=2.5)  # type: ignore[arg-type]
    backwards = Period("X", dt.date(2025, 2, 1), dt.date(2025, 1, 1))
    with pytest.raises(DataError) as err:
        DistributedOptions(periods=[PERIODS[0], PERIODS[0], backwards], agency=AGENCY)
    assert sorted(p.message for p in err.value.problems) == [
        "period '2025-S1' is defined twice",
        "the period ends (2025-01-01) before it starts (2025-02-01)",
    ]


def test_the_old_keyword_arguments_warn_and_give_the_same_result(inputs: dict[str, Any]) -> None:
    options = DistributedOptions(**KEYWORDS)
    with pytest.warns(DeprecationWarning, match=r"evaluate_dask\(.*DistributedOptions\(periods=") as caught:
        old = sync(distributed.evaluate_dask(POLICY, inputs, **KEYWORDS))
    assert caught[0].filename == __file__  # the warning points at the caller
    new = sync(distributed.evaluate_dask(POLICY, inputs, options))
    pd.testing.assert_frame_equal(old, new)
    with pytest.warns(DeprecationWarning, match="unit_reports_dask"):
        old_units = sync(distributed.unit_reports_dask(POLICY, inputs, **KEYWORDS))
    pd.testing.assert_frame_equal(old_units, sync(distributed.unit_reports_dask(POLICY, inputs, options)))
    with pytest.warns(DeprecationWarning, match="compare_dask"):
        old_comparison = distributed.compare_dask(POLICY, POLICY, inputs, **KEYWORDS)
    old_changes, old_transitions = old_comparison.compute(scheduler="synchronous")
    changes, transitions = distributed.compare_dask(POLICY, POLICY, inputs, options).compute(scheduler="synchronous")
    pd.testing.assert_frame_equal(old_changes, changes)
    pd.testing.assert_frame_equal(old_transitions, transitions)


def test_plan_pieces_takes_the_options_or_the_old_keywords_without_an_agency(inputs: dict[str, Any]) -> None:
    plan = distributed.plan_pieces(inputs, DistributedOptions(**KEYWORDS))
    assert plan.options == DistributedOptions(**KEYWORDS)
    assert list(plan.periods) == ["2025-S1", "2025-S2"]
    with pytest.warns(DeprecationWarning, match=r"plan_pieces\(.*DistributedOptions"):
        old = distributed.plan_pieces(inputs, periods=PERIODS, level=2, piece_size=40)
    assert old.options.agency == ""
    assert [(p.period.id, p.units) for p in old.pieces] == [(p.period.id, p.units) for p in plan.pieces]


def test_a_plan_brings_the_options_it_was_made_with(inputs: dict[str, Any]) -> None:
    options = DistributedOptions(**KEYWORDS)
    plan = distributed.plan_pieces(inputs, options)
    frame = distributed.evaluate_dask(POLICY, inputs, plan=plan)
    assert frame.npartitions == len(plan.pieces)
    pd.testing.assert_frame_equal(sync(frame), sync(distributed.evaluate_dask(POLICY, inputs, options)))


def test_options_are_given_once_and_only_known_keywords_are_taken(inputs: dict[str, Any]) -> None:
    options = DistributedOptions(**KEYWORDS)
    with pytest.raises(TypeError, match="takes options or the keyword arguments level, not both"):
        distributed.evaluate_dask(POLICY, inputs, options, level=3)
    with pytest.raises(TypeError, match="unexpected keyword arguments: levels"):
        distributed.evaluate_dask(POLICY, inputs, options, levels=3)
    with pytest.raises(TypeError, match=r"compare_dask\(\) needs options"):
        distributed.compare_dask(POLICY, POLICY, inputs)
    with (
        pytest.warns(DeprecationWarning, match="plan_pieces"),
        pytest.raises(TypeError, match=r"plan_pieces\(\): .*periods"),
    ):
        distributed.plan_pieces(inputs, level=3)
