"""Bounded load test of the reference district service (examples/service), on loopback only.

Starts a throw-away PostgreSQL and the service (uvicorn, ``--workers``), generates ``--agencies`` synthetic
agencies of ``--min-employees`` … ``--max-employees`` employees (:func:`asn_kinerja.testing.generate_tables`,
written as zipped CSV dataset folders — before the clock starts), then ``--clients`` concurrent clients each take
the next agency and: create it, upload its dataset (with an Idempotency-Key), evaluate it under the built-in
policy (with an Idempotency-Key), read back the first page of results. It stops starting agencies after
``--time-limit`` seconds. Afterwards the rows are counted in the database: exactly one dataset and one evaluation
per agency, one result per employee.

Reports throughput (agencies and employees evaluated per second), p50/p95 latency per request kind, peak memory
(VmHWM of the server's processes) and errors, as a Markdown table. Needs the service installed:
``pip install -e . -e examples/service``.

    python benchmarks/service_load.py --agencies 200 --min-employees 500 --max-employees 5000 --clients 20
"""

from __future__ import annotations

import argparse
import io
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg
from asn_kinerja_service.config import PREFIX
from asn_kinerja_service.db import migrate
from asn_kinerja_service.localpg import local_postgres

from asn_kinerja.testing import generate_tables

ADMIN = "load-admin"


def dataset_zip(n: int, seed: int) -> bytes:
    """A zipped CSV dataset folder of a synthetic agency."""
    tables = generate_tables(n, periods=["2025"], seed=seed)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "data/dataset.yaml",
            f"agency: Pemerintah Kabupaten Sintetis {seed}\n"
            "period: {id: '2025', start: 2025-01-01, end: 2025-12-31}\nscale: {min: 1, max: 5}\n",
        )
        for name, frame in tables.items():
            z.writestr(f"data/{name}.csv", frame.drop(columns=["period", "unit"]).to_csv(index=False))
    return buf.getvalue()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def peak_rss_kib(pid: int) -> int:
    """The sum of VmHWM (peak resident memory) over a process and its children."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agencies", type=int, default=200)
    parser.add_argument("--min-employees", type=int, default=500)
    parser.add_argument("--max-employees", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--time-limit", type=float, default=900, help="seconds after which no agency is started")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    sizes = [rng.randint(args.min_employees, args.max_employees) for _ in range(args.agencies)]
    t0 = time.perf_counter()
    uploads = [dataset_zip(n, seed=args.seed * 100_000 + i) for i, n in enumerate(sizes)]
    print(f"generated {len(uploads)} datasets ({sum(sizes)} employees, {sum(map(len, uploads)) >> 20} MiB zipped) "
          f"in {time.perf_counter() - t0:.0f} s", file=sys.stderr)  # fmt: skip

    with local_postgres() as pg, tempfile.TemporaryDirectory() as logs:
        migrate(pg.conninfo)
        port = free_port()
        env = {**os.environ, PREFIX + "DATABASE_URL": pg.conninfo, PREFIX + "ADMIN_TOKEN": ADMIN}
        log = (Path(logs) / "server.log").open("wb")
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "asn_kinerja_service.api:create_app", "--host", "127.0.0.1",
             "--port", str(port), "--workers", str(args.workers), "--log-level", "warning"],
            env=env, stdout=log, stderr=log,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            latencies: dict[str, list[float]] = defaultdict(list)
            errors: list[str] = []
            done: list[tuple[int, int]] = []  # (agency id, employees)
            lock = threading.Lock()
            deadline = time.monotonic() + args.time_limit

            def one(i: int) -> None:
                if time.monotonic() > deadline:
                    return
                with httpx.Client(base_url=url, timeout=600) as client:

                    def call(kind: str, method: str, path: str, ok: int, **kw: object) -> httpx.Response:
                        start = time.perf_counter()
                        response = client.request(method, path, **kw)  # type: ignore[arg-type]
                        with lock:
                            latencies[kind].append(time.perf_counter() - start)
                            if response.status_code != ok:
                                errors.append(f"{kind} {response.status_code} {response.text[:200]}")
                        return response

                    made = call("create agency", "POST", "/admin/agencies", 201, json={"name": f"Agency {i}"},
                                headers={"X-Admin-Token": ADMIN})  # fmt: skip
                    client.headers["X-API-Key"] = made.json()["api_key"]
                    upload_headers = {"Content-Type": "application/zip", "Idempotency-Key": f"upload-{i}"}
                    ds = call("upload dataset", "POST", "/datasets", 201, content=uploads[i], headers=upload_headers)
                    ev = call("evaluate", "POST", "/evaluations", 201,
                              json={"dataset_id": ds.json()["id"], "policy": "permenpanrb-6-2022"},
                              headers={"Idempotency-Key": f"evaluate-{i}"})  # fmt: skip
                    call("read results", "GET", f"/evaluations/{ev.json()['id']}/employees", 200, params={"limit": 100})
                    with lock:
                        done.append((made.json()["id"], sizes[i]))

            start = time.perf_counter()
            with ThreadPoolExecutor(args.clients) as pool:
                list(pool.map(one, range(args.agencies)))
            wall = time.perf_counter() - start
            peak = peak_rss_kib(server.pid)
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=60)
            log.close()

        with psycopg.connect(pg.conninfo) as conn:
            rows = conn.execute(
                "SELECT a.id, (SELECT count(*) FROM datasets d WHERE d.agency_id = a.id),"
                " (SELECT count(*) FROM evaluations e WHERE e.agency_id = a.id),"
                " (SELECT count(*) FROM results r JOIN evaluations e ON e.id = r.evaluation_id"
                "  WHERE e.agency_id = a.id)"
                " FROM agencies a"
            ).fetchall()  # fmt: skip
        counted = {agency: (datasets, evaluations, results) for agency, datasets, evaluations, results in rows}
        lost_or_duplicated = sum(counted.get(agency) != (1, 1, n) for agency, n in done) + len(counted) - len(done)

    employees = sum(n for _, n in done)
    print("| measure | value |\n|---|---|")
    sizes_text = f"{args.min_employees}–{args.max_employees} employees, {employees} in all"
    print(f"| agencies evaluated | {len(done)} of {args.agencies} ({sizes_text}) |")
    print(f"| concurrent clients / server workers | {args.clients} / {args.workers} |")
    print(f"| wall time | {wall:.1f} s |")
    print(f"| throughput | {len(done) / wall:.2f} agencies/s, {employees / wall:.0f} employees/s |")
    for kind, values in latencies.items():
        q = statistics.quantiles(values, n=20) if len(values) > 1 else values * 19
        print(f"| {kind}: p50 / p95 | {statistics.median(values):.2f} s / {q[18]:.2f} s |")
    print(f"| peak server memory (VmHWM, all workers) | {peak / 1024:.0f} MiB |")
    print(f"| errors | {len(errors)} |")
    print(f"| lost or duplicated (datasets, evaluations, results counted) | {lost_or_duplicated} |")
    for e in errors[:10]:
        print("error:", e, file=sys.stderr)
    sys.exit(1 if errors or lost_or_duplicated else 0)


if __name__ == "__main__":
    main()
