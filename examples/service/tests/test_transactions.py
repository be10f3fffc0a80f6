"""Nothing lost, nothing half-written: a crash mid-evaluation leaves no row; two agencies' evaluations do not block
each other. Both use the test-only hold of :func:`asn_kinerja_service.evaluations.test_hold`, which waits inside
the evaluation's transaction after every row is written and before the commit."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx

from asn_kinerja_service.localpg import LocalPostgres
from conftest import Server, count, evaluate, upload


def wait_for(path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise AssertionError(f"{path.name} did not appear")
        time.sleep(0.02)


def rows_of(conninfo: str, agency_id: int) -> tuple[int, int, int]:
    """(evaluations, results, unit reports) of an agency, committed."""
    return (
        count(conninfo, "SELECT count(*) FROM evaluations WHERE agency_id = %s", agency_id),
        count(conninfo, "SELECT count(*) FROM results r JOIN evaluations e ON e.id = r.evaluation_id"
                        " WHERE e.agency_id = %s", agency_id),
        count(conninfo, "SELECT count(*) FROM unit_reports u JOIN evaluations e ON e.id = u.evaluation_id"
                        " WHERE e.agency_id = %s", agency_id),
    )  # fmt: skip


def test_a_crash_mid_evaluation_leaves_no_partial_rows(
    start_server: type[Server], postgres: LocalPostgres, bungo_zip: bytes
) -> None:
    srv = start_server()
    with srv.agency() as client:
        agency_id = client.get("/agency").json()["id"]
        dataset_id = upload(client, bungo_zip).json()["id"]
        gate = srv.hold_dir / f"hold-{agency_id}"
        gate.touch()
        outcome: list[object] = []

        def send() -> None:
            try:
                outcome.append(evaluate(client, dataset_id).status_code)
            except httpx.TransportError as exc:  # the server dies with the request open
                outcome.append(exc)

        thread = threading.Thread(target=send)
        thread.start()
        wait_for(srv.hold_dir / f"reached-{agency_id}")  # every row written, the transaction open
        assert (
            count(
                postgres.conninfo,
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction'"
                " AND datname = current_database()",
            )
            >= 1
        )
        srv.kill()
        thread.join(timeout=60)
        assert len(outcome) == 1 and isinstance(outcome[0], httpx.TransportError)
    gate.unlink()
    # PostgreSQL ends the dead client's session and rolls its transaction back.
    deadline = time.monotonic() + 30
    while count(postgres.conninfo, "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction'"
                " AND datname = current_database()") and time.monotonic() < deadline:  # fmt: skip
        time.sleep(0.05)
    assert rows_of(postgres.conninfo, agency_id) == (0, 0, 0)

    again = start_server()  # a restart evaluates it in full
    with again.client(client.headers["X-API-Key"]) as client2:
        response = evaluate(client2, dataset_id)
        assert response.status_code == 201
    assert rows_of(postgres.conninfo, agency_id) == (1, 61, 8)


def test_concurrent_evaluations_of_two_agencies_do_not_block_each_other(
    server: Server, postgres: LocalPostgres, bungo_zip: bytes
) -> None:
    with server.agency() as a, server.agency() as b:
        a_id, b_id = a.get("/agency").json()["id"], b.get("/agency").json()["id"]
        a_dataset, b_dataset = upload(a, bungo_zip).json()["id"], upload(b, bungo_zip).json()["id"]
        gate = server.hold_dir / f"hold-{a_id}"
        gate.touch()
        statuses: list[int] = []
        thread = threading.Thread(target=lambda: statuses.append(evaluate(a, a_dataset).status_code))
        thread.start()
        try:
            wait_for(server.hold_dir / f"reached-{a_id}")
            # A's transaction is open with all its rows written; B evaluates, stores and reads back meanwhile.
            response = evaluate(b, b_dataset)
            assert response.status_code == 201
            assert b.get(f"/evaluations/{response.json()['id']}/units").status_code == 200
            assert rows_of(postgres.conninfo, b_id) == (1, 61, 8)
            assert rows_of(postgres.conninfo, a_id) == (0, 0, 0)  # A is still uncommitted
            assert thread.is_alive()
        finally:
            gate.unlink()
        thread.join(timeout=60)
        assert statuses == [201]
        assert rows_of(postgres.conninfo, a_id) == (1, 61, 8)


def test_concurrent_twins_with_one_idempotency_key_store_one_evaluation(
    server: Server, postgres: LocalPostgres, bungo_zip: bytes
) -> None:
    twins = 3
    with server.agency() as client:
        agency_id = client.get("/agency").json()["id"]
        dataset_id = upload(client, bungo_zip).json()["id"]
        statuses: list[int] = []

        def send() -> None:
            response = client.post(
                "/evaluations",
                json={"dataset_id": dataset_id, "policy": "permenpanrb-6-2022"},
                headers={"Idempotency-Key": "twins"},
            )
            statuses.append(response.status_code)

        threads = [threading.Thread(target=send) for _ in range(twins)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(statuses) == [200] * (twins - 1) + [201]
        assert rows_of(postgres.conninfo, agency_id) == (1, 61, 8)
