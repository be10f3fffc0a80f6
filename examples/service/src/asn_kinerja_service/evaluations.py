"""Evaluate a stored dataset under a policy and store the result in one transaction.

The library does the work (:func:`asn_kinerja.evaluate`) *before* any database write; then the evaluation row,
every employee's result with its explanation and every unit report are written in a single transaction: a crash
before the commit leaves nothing of the evaluation behind. What is stored is the library's own JSON
(``to_dict()``, ``explain().to_list()``), which holds only the figures the policy's privacy settings publish
(docs/privacy.md): the service never serialises the dataset or an engine figure itself.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import asn_kinerja
import attrs
from asn_kinerja import DataError, Policy, Problem
from asn_kinerja.model import Adjustment, Predikat
from psycopg import Connection
from psycopg_pool import ConnectionPool

from asn_kinerja_service import policies, repository
from asn_kinerja_service.repository import PolicyRef, ResultRow, Row
from asn_kinerja_service.uploads import dataset_from_upload

__all__ = [
    "Computed",
    "NotFound",
    "check_adjustable",
    "compute",
    "load_dataset",
    "resolve_policy",
    "store",
    "test_hold",
]

_MEDIA = {"csv-zip": "application/zip", "parquet-zip": "application/zip", "json": "application/json"}


class NotFound(Exception):
    """A resource that does not exist for this agency (whether or not another agency has it)."""


def resolve_policy(conn: Connection[Any], agency_id: int, ref: PolicyRef) -> Policy:
    """The policy a reference names, for this agency (:class:`NotFound` for another agency's upload)."""
    if ref.builtin is not None:
        return policies.builtin(ref.builtin)
    assert ref.policy_id is not None
    row = repository.policy(conn, agency_id, ref.policy_id)
    if row is None:
        raise NotFound(f"policy {ref.policy_id}")
    return policies.load_upload(row["yaml"])


def load_dataset(row: Row, adjustments: Sequence[Row] = ()) -> asn_kinerja.Dataset:
    """The dataset of a stored upload, with the adjustments recorded in the service added to its own."""
    _, dataset = dataset_from_upload(bytes(row["content"]), _MEDIA[row["format"]])
    if not adjustments:
        return dataset
    extra = tuple(
        Adjustment(
            employee_id=a["employee_id"],
            by=a["decided_by"],
            on=a["decided_on"],
            from_predikat=Predikat.parse(a["from_predikat"]),
            to_predikat=Predikat.parse(a["to_predikat"]),
            reason=a["reason"],
        )
        for a in adjustments
    )
    # Each employee id comes from a stored result of this very dataset; the engine checks from → to.
    return attrs.evolve(dataset, adjustments=(*dataset.adjustments, *extra))


@attrs.frozen
class Computed:
    """An evaluation ready to store: its header (policy, dataset, summary, cascading), results and unit reports."""

    regime: str
    header: Row
    rows: list[ResultRow]
    units: list[tuple[str, str]]


def compute(policy: Policy, dataset: asn_kinerja.Dataset) -> Computed:
    """Evaluate and render with the library's JSON output (raises :class:`~asn_kinerja.AsnKinerjaError`)."""
    evaluation = asn_kinerja.evaluate(policy, dataset)
    payload = evaluation.to_dict()
    employees = payload.pop("employees")
    units = payload.pop("units", [])  # the numeric regimes have no unit reports
    # explain_row over order() is what iterating and calling explain() does, without building each result twice.
    explanations = [
        json.dumps(evaluation.explain_row(int(row)).to_list(), ensure_ascii=False) for row in evaluation.order()
    ]
    rows = [
        ResultRow(
            employee_id=r["employee_id"],
            unit_id=r["unit_id"],
            predikat=r["predikat"],
            predikat_matrix=r.get("predikat_matrix"),
            adjusted=r.get("adjustment") is not None,
            result=json.dumps(r, ensure_ascii=False),
            explain=explain,
        )
        for r, explain in zip(employees, explanations, strict=True)  # both in the library's order
    ]
    return Computed(
        regime=policy.regime,
        header=payload,
        rows=rows,
        units=[(u["unit_id"], json.dumps(u, ensure_ascii=False)) for u in units],
    )


def test_hold(hold_dir: Path | None, agency_id: int) -> None:
    """**For the tests only** (``ASN_KINERJA_SERVICE_TEST_HOLD_DIR``; never set it in production): inside the
    transaction of an evaluation, after every row is written and before the commit, while the file
    ``hold-<agency id>`` exists in that folder, touch ``reached-<agency id>`` and wait (at most two minutes). The
    tests use it to kill the process mid-evaluation and to hold one agency's transaction open while another's
    completes."""
    if hold_dir is None:
        return
    gate = hold_dir / f"hold-{agency_id}"
    if not gate.exists():
        return
    (hold_dir / f"reached-{agency_id}").touch()
    deadline = time.monotonic() + 120
    while gate.exists() and time.monotonic() < deadline:
        time.sleep(0.02)


def store(
    pool: ConnectionPool,
    *,
    agency_id: int,
    dataset_id: int,
    ref: PolicyRef,
    key: str | None,
    computed: Computed,
    adjustments: int,
    hold_dir: Path | None,
) -> tuple[int, bool]:
    """Store an evaluation in one transaction: ``(id, created)``; ``created`` is false when an evaluation with
    the same idempotency key was stored first (its id is returned, and nothing is written)."""
    with pool.connection() as conn, conn.transaction():
        new = repository.insert_evaluation(
            conn,
            agency_id=agency_id,
            dataset_id=dataset_id,
            ref=ref,
            key=key,
            regime=computed.regime,
            header=computed.header,
            rows=computed.rows,
            units=computed.units,
            adjustments=adjustments,
        )
        if new is not None:
            test_hold(hold_dir, agency_id)
            return new, True
    assert key is not None
    with pool.connection() as conn:
        existing = repository.evaluation_by_key(conn, agency_id, key)
    assert existing is not None
    return int(existing["id"]), False


def _problem(message: str, field: str) -> DataError:
    return DataError([Problem(message, source="request", field=field)])


def check_adjustable(evaluation: Row, stored: Row, to: str, on: dt.date) -> tuple[str, str]:
    """``(from, to)`` labels of a new adjustment of a stored result, or the problem that forbids it."""
    if evaluation["regime"] != "permenpanrb-6-2022":
        raise _problem("adjustments apply to PermenPANRB 6/2022 evaluations only", "evaluation")
    try:
        target = Predikat.parse(to)
    except ValueError as exc:
        raise _problem(str(exc), "to_predikat") from None
    origin = Predikat.parse(stored["predikat_matrix"])
    if target == origin:
        raise _problem(f"the predikat is already {origin.label}", "to_predikat")
    if on > dt.date.today():
        raise _problem("the decision date is in the future", "on")
    return origin.value, target.value
