"""Every SQL statement of the service. Each function takes an open connection (and so joins its transaction);
every read of an agency's data is filtered by that agency's id — the only place isolation is enforced."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
from asn_kinerja.model import Period
from psycopg import Connection
from psycopg.rows import dict_row

__all__ = [
    "PolicyRef",
    "ResultRow",
    "Row",
    "adjustments_for",
    "agency_by_key_hash",
    "create_agency",
    "dataset",
    "dataset_by_key",
    "datasets",
    "evaluation",
    "evaluation_by_key",
    "evaluations",
    "insert_adjustment",
    "insert_dataset",
    "insert_evaluation",
    "insert_policy",
    "period_id",
    "periods",
    "policies",
    "policy",
    "result",
    "results",
    "unit_reports",
]

Row = dict[str, Any]
Conn = Connection[Any]


@attrs.frozen
class PolicyRef:
    """The policy of an evaluation: a built-in id, or an uploaded policy's row (exactly one of them)."""

    builtin: str | None = None
    policy_id: int | None = None

    def __attrs_post_init__(self) -> None:
        if (self.builtin is None) == (self.policy_id is None):
            raise ValueError("a policy is a built-in id or an uploaded policy's id")


@attrs.frozen
class ResultRow:
    """One employee's stored result: the library's JSON of the result and of its explanation."""

    employee_id: str
    unit_id: str
    predikat: str
    predikat_matrix: str | None
    adjusted: bool
    result: str
    explain: str


def _one(conn: Conn, sql: str, params: Sequence[Any]) -> Row | None:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(sql.encode(), params)
        return cur.fetchone()


def _all(conn: Conn, sql: str, params: Sequence[Any]) -> list[Row]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(sql.encode(), params)
        return cur.fetchall()


# --- agencies --------------------------------------------------------------------------------------------------
def create_agency(conn: Conn, name: str, key_hash: bytes) -> Row | None:
    """A new agency (``None`` if the name is taken)."""
    return _one(
        conn,
        "INSERT INTO agencies (name, api_key_hash) VALUES (%s, %s) ON CONFLICT (name) DO NOTHING"
        " RETURNING id, name, created_at",
        [name, key_hash],
    )


def agency_by_key_hash(conn: Conn, key_hash: bytes) -> Row | None:
    return _one(conn, "SELECT id, name FROM agencies WHERE api_key_hash = %s", [key_hash])


# --- periods and datasets --------------------------------------------------------------------------------------
def period_id(conn: Conn, agency_id: int, period: Period) -> tuple[int, Row]:
    """The agency's row of a period (made on first use) and the period as stored (its dates may differ)."""
    _one(
        conn,
        "INSERT INTO periods (agency_id, period, starts, ends, kind) VALUES (%s, %s, %s, %s, %s)"
        " ON CONFLICT (agency_id, period) DO NOTHING RETURNING id",
        [agency_id, period.id, period.start, period.end, period.kind],
    )
    row = _one(conn, "SELECT * FROM periods WHERE agency_id = %s AND period = %s", [agency_id, period.id])
    assert row is not None
    return int(row["id"]), row


def periods(conn: Conn, agency_id: int) -> list[Row]:
    return _all(
        conn, "SELECT period AS id, starts, ends, kind FROM periods WHERE agency_id = %s ORDER BY starts", [agency_id]
    )


_DATASET_COLUMNS = (
    "d.id, d.format, d.sha256, d.agency_name, d.units, d.employees, d.created_at, d.idempotency_key,"
    " p.period, p.starts, p.ends"
)


def dataset_by_key(conn: Conn, agency_id: int, key: str) -> Row | None:
    return _one(
        conn,
        f"SELECT {_DATASET_COLUMNS} FROM datasets d JOIN periods p ON p.id = d.period_id"
        " WHERE d.agency_id = %s AND d.idempotency_key = %s",
        [agency_id, key],
    )


def insert_dataset(conn: Conn, agency_id: int, period: int, key: str | None, fields: Row) -> int | None:
    """A new dataset's id (``None`` if a dataset with the same idempotency key exists)."""
    row = _one(
        conn,
        "INSERT INTO datasets (agency_id, period_id, idempotency_key, format, content, sha256, agency_name, units,"
        " employees) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (agency_id, idempotency_key) DO NOTHING RETURNING id",
        [agency_id, period, key, *(fields[k] for k in ("format", "content", "sha256", "agency_name", "units",
                                                      "employees"))],
    )  # fmt: skip
    return None if row is None else int(row["id"])


def dataset(conn: Conn, agency_id: int, dataset_id: int, *, content: bool = False) -> Row | None:
    extra = ", d.content" if content else ""
    return _one(
        conn,
        f"SELECT {_DATASET_COLUMNS}{extra} FROM datasets d JOIN periods p ON p.id = d.period_id"
        " WHERE d.agency_id = %s AND d.id = %s",
        [agency_id, dataset_id],
    )


def datasets(conn: Conn, agency_id: int, after: int, limit: int) -> list[Row]:
    return _all(
        conn,
        f"SELECT {_DATASET_COLUMNS} FROM datasets d JOIN periods p ON p.id = d.period_id"
        " WHERE d.agency_id = %s AND d.id > %s ORDER BY d.id LIMIT %s",
        [agency_id, after, limit],
    )


# --- policies --------------------------------------------------------------------------------------------------
def insert_policy(conn: Conn, agency_id: int, policy_id: str, title: str, regime: str, yaml_text: str) -> Row:
    row = _one(
        conn,
        "INSERT INTO policies (agency_id, policy, title, regime, yaml) VALUES (%s, %s, %s, %s, %s)"
        " RETURNING id, policy, title, regime, created_at",
        [agency_id, policy_id, title, regime, yaml_text],
    )
    assert row is not None
    return row


def policy(conn: Conn, agency_id: int, policy_id: int) -> Row | None:
    return _one(
        conn,
        "SELECT id, policy, title, regime, yaml, created_at FROM policies WHERE agency_id = %s AND id = %s",
        [agency_id, policy_id],
    )


def policies(conn: Conn, agency_id: int) -> list[Row]:
    return _all(
        conn,
        "SELECT id, policy, title, regime, created_at FROM policies WHERE agency_id = %s ORDER BY id",
        [agency_id],
    )


# --- evaluations -----------------------------------------------------------------------------------------------
_EVALUATION_COLUMNS = (
    "id, dataset_id, builtin_policy, policy_id, regime, header, employees, adjustments, created_at, idempotency_key"
)


def evaluation_by_key(conn: Conn, agency_id: int, key: str) -> Row | None:
    return _one(
        conn,
        f"SELECT {_EVALUATION_COLUMNS} FROM evaluations WHERE agency_id = %s AND idempotency_key = %s",
        [agency_id, key],
    )


def evaluation(conn: Conn, agency_id: int, evaluation_id: int) -> Row | None:
    return _one(
        conn,
        f"SELECT {_EVALUATION_COLUMNS} FROM evaluations WHERE agency_id = %s AND id = %s",
        [agency_id, evaluation_id],
    )


def evaluations(conn: Conn, agency_id: int, after: int, limit: int, dataset_id: int | None) -> list[Row]:
    return _all(
        conn,
        f"SELECT {_EVALUATION_COLUMNS} FROM evaluations WHERE agency_id = %s AND id > %s"
        " AND (%s::bigint IS NULL OR dataset_id = %s) ORDER BY id LIMIT %s",
        [agency_id, after, dataset_id, dataset_id, limit],
    )


def insert_evaluation(
    conn: Conn,
    *,
    agency_id: int,
    dataset_id: int,
    ref: PolicyRef,
    key: str | None,
    regime: str,
    header: Row,
    rows: Sequence[ResultRow],
    units: Iterable[tuple[str, str]],
    adjustments: int,
) -> int | None:
    """Insert an evaluation with its results and unit reports (the caller commits all or nothing); its id, or
    ``None`` if an evaluation with the same idempotency key exists."""
    row = _one(
        conn,
        "INSERT INTO evaluations (agency_id, dataset_id, builtin_policy, policy_id, idempotency_key, regime, header,"
        " employees, adjustments) VALUES (%s, %s, %s, %s, %s, %s, %s::json, %s, %s)"
        " ON CONFLICT (agency_id, idempotency_key) DO NOTHING RETURNING id",
        [agency_id, dataset_id, ref.builtin, ref.policy_id, key, regime, json.dumps(header, ensure_ascii=False),
         len(rows), adjustments],
    )  # fmt: skip
    if row is None:
        return None
    evaluation_id = int(row["id"])
    with conn.cursor() as cur:
        with cur.copy(
            "COPY results (evaluation_id, ordinal, employee_id, unit_id, predikat, predikat_matrix, adjusted, result,"
            " explain) FROM STDIN"
        ) as copy:
            for ordinal, r in enumerate(rows):
                copy.write_row(
                    (evaluation_id, ordinal, r.employee_id, r.unit_id, r.predikat, r.predikat_matrix, r.adjusted,
                     r.result, r.explain)
                )  # fmt: skip
        with cur.copy("COPY unit_reports (evaluation_id, ordinal, unit_id, report) FROM STDIN") as copy:
            for ordinal, (unit_id, report) in enumerate(units):
                copy.write_row((evaluation_id, ordinal, unit_id, report))
    return evaluation_id


def results(conn: Conn, evaluation_id: int, after: int, limit: int, unit_id: str | None) -> list[Row]:
    """A page of results in the library's order (the caller has checked the evaluation is the agency's)."""
    return _all(
        conn,
        "SELECT ordinal, result FROM results WHERE evaluation_id = %s AND ordinal > %s"
        " AND (%s::text IS NULL OR unit_id = %s) ORDER BY ordinal LIMIT %s",
        [evaluation_id, after, unit_id, unit_id, limit],
    )


def result(conn: Conn, evaluation_id: int, employee_id: str) -> Row | None:
    return _one(
        conn,
        "SELECT employee_id, predikat, predikat_matrix, adjusted, result, explain FROM results"
        " WHERE evaluation_id = %s AND employee_id = %s",
        [evaluation_id, employee_id],
    )


def unit_reports(conn: Conn, evaluation_id: int, after: int, limit: int) -> list[Row]:
    return _all(
        conn,
        "SELECT ordinal, report FROM unit_reports WHERE evaluation_id = %s AND ordinal > %s ORDER BY ordinal LIMIT %s",
        [evaluation_id, after, limit],
    )


# --- adjustments -----------------------------------------------------------------------------------------------
_ADJUSTMENT_COLUMNS = (
    "id, evaluation_id, employee_id, decided_by, decided_on, from_predikat, to_predikat, reason, recorded_at"
)


def adjustments_for(conn: Conn, agency_id: int, dataset_id: int, ref: PolicyRef) -> list[Row]:
    """The adjustments recorded for a dataset under a policy, oldest first."""
    return _all(
        conn,
        f"SELECT {_ADJUSTMENT_COLUMNS} FROM adjustments WHERE agency_id = %s AND dataset_id = %s"
        " AND builtin_policy IS NOT DISTINCT FROM %s AND policy_id IS NOT DISTINCT FROM %s ORDER BY id",
        [agency_id, dataset_id, ref.builtin, ref.policy_id],
    )


def insert_adjustment(
    conn: Conn,
    *,
    agency_id: int,
    dataset_id: int,
    ref: PolicyRef,
    evaluation_id: int,
    employee_id: str,
    by: str,
    on: dt.date,
    from_predikat: str,
    to_predikat: str,
    reason: str,
) -> Row | None:
    """A new adjustment (``None`` if the employee already has one for this dataset and policy)."""
    return _one(
        conn,
        "INSERT INTO adjustments (agency_id, dataset_id, builtin_policy, policy_id, evaluation_id, employee_id,"
        " decided_by, decided_on, from_predikat, to_predikat, reason) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s,"
        f" %s, %s) ON CONFLICT DO NOTHING RETURNING {_ADJUSTMENT_COLUMNS}",
        [agency_id, dataset_id, ref.builtin, ref.policy_id, evaluation_id, employee_id, by, on, from_predikat,
         to_predikat, reason],
    )  # fmt: skip
