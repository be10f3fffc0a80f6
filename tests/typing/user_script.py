"""A user's script, checked by ``mypy --strict`` in the suite (tests/test_regimes.py): evaluating with a built-in
policy gives the precise result type, with no cast and no isinstance."""

from __future__ import annotations

import asn_kinerja
from asn_kinerja import Change, Evaluation, NumericEvaluation, Policy, StepChange, UnitComparison, load_policy


def current(data: asn_kinerja.Dataset) -> str:
    result: Evaluation = asn_kinerja.evaluate(load_policy("permenpanrb-6-2022"), data)
    frame_columns = result.table().names
    units = [u.unit_id for u in result.units()]
    return f"{len(frame_columns)} columns, {len(units)} units\n" + result.to_csv()


def historical(data: asn_kinerja.Dataset) -> list[str]:
    result: NumericEvaluation = asn_kinerja.evaluate(load_policy("pp-46-2011"), data)
    return [r.predikat.label for r in result]


def any_policy(path: str, data: asn_kinerja.Dataset) -> str:
    policy: Policy = load_policy(path)  # a file: its regime is known at run time only
    result = asn_kinerja.evaluate(policy, data)
    if isinstance(result, Evaluation):
        return result.to_json()
    return result.to_csv()


def what_moved(data: asn_kinerja.Dataset) -> list[str]:
    comparison = asn_kinerja.compare("permenpanrb-6-2022", "permenpanrb-6-2022", data)
    changes: tuple[Change, ...] = comparison.changes
    steps: list[StepChange] = [step for change in changes for step in change.steps]
    units: tuple[UnitComparison, ...] = comparison.units
    return [step.id for step in steps] + [unit.unit_id for unit in units]
