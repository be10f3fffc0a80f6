"""Distributed benchmark: ``python benchmarks/dask_run.py [--employees 1000000] [--periods 4]``.

Three stages, each in a fresh child process (so that memory figures are its own):

- ``write``: a synthetic population per period (:func:`asn_kinerja.testing.generate_population`, seed ``seed + k``
  for period ``k``) written as Parquet, hive-partitioned by period and unit: ``DATA/<table>/period=P/unit=U/``,
  ``U`` the subtree root at depth ``--folder-level`` of the row's owner (an agency: a few hundred folders, not one
  per unit);
- ``single``: the single-machine engine, period by period: each period's Parquet read with pyarrow
  (``filters=[("period", "=", P)]``), validated by :func:`~asn_kinerja.dataset.frames.from_frames` (Arrow input),
  evaluated and turned into :meth:`~asn_kinerja.Evaluation.to_frame` (written as Parquet for the check): one
  period is one in-memory batch, the largest size this benchmark gives the single engine;
- ``dask``: the same periods all at once through :func:`asn_kinerja.distributed.evaluate_dask` on a
  ``dask.distributed.LocalCluster`` (``--workers`` processes of ``--threads`` threads, ``--memory-limit`` each),
  read with ``dask.dataframe.read_parquet`` and written with ``to_parquet``; the resident memory of every worker
  process is sampled with psutil every 0.1 s (its peak is reported per worker).

Then the two outputs are compared row by row (``identical``). The report (``--output``, JSON; fields in
``benchmarks/README.md``) and a table on standard output. Not a test: nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

import asn_kinerja
from asn_kinerja.dataset.columns import Categorical
from asn_kinerja.model import Period

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "results" / "dask_report.json"
TABLES = ("units", "employees", "rhk", "indicators", "ratings", "evaluations", "surveys")
OWNERS = {
    "employees": ("unit_id", "units"),
    "rhk": ("employee_id", "employees"),
    "indicators": ("rhk_id", "rhk"),
    "ratings": ("ratee_id", "employees"),
    "evaluations": ("employee_id", "employees"),
    "surveys": ("unit_id", "units"),
}
LOW_CARDINALITY = {"group", "criterion", "jenis", "jenis_jabatan", "jenjang", "text", "direction", "name"}


def periods_of(count: int, year: int = 2025) -> list[Period]:
    """``count`` consecutive quarterly periods (or semesters, or years beyond four)."""
    if count <= 4:
        months = 12 // max(count, 1) if count in (1, 2, 4) else 3
        kind = {12: "annual", 6: "semester", 3: "quarterly"}[months]
        out = []
        for k in range(count):
            start = dt.date(year, 1 + k * months, 1)
            end_month = start.month + months - 1
            end = dt.date(year, end_month, 31 if end_month in (3, 12) else 30)
            out.append(Period(f"{year}-{kind[0].upper()}{k + 1}", start, end, kind))
        return out
    return [Period(str(year + k), dt.date(year + k, 1, 1), dt.date(year + k, 12, 31)) for k in range(count)]


def _ancestors(parent: np.ndarray, level: int) -> np.ndarray:
    up = parent.astype(np.int64)
    own = np.arange(len(up), dtype=np.int64)
    depth = np.zeros(len(up), dtype=np.int64)
    at = own.copy()
    while (moving := up[at] >= 0).any():
        depth += moving
        at = np.where(moving, up[at], at)
    out = own.copy()
    for _ in range(int(depth.max(initial=0))):
        out = np.where(depth[out] > level, up[out], out)
    return out


def _arrow_column(values: Any, pa: Any) -> Any:
    if isinstance(values, Categorical):
        codes = np.asarray(values.codes, dtype=np.int64)
        cats = values.categories
        dictionary = pa.array(cats.tolist() if cats.dtype == object else cats)
        indices = pa.array(np.where(codes < 0, 0, codes).astype(np.int32), mask=codes < 0)
        return pa.DictionaryArray.from_arrays(indices, dictionary)
    return pa.array(values.tolist() if values.dtype == object else values)


def stage_write(args: argparse.Namespace) -> dict[str, Any]:
    """Generate and write every period; returns sizes and seconds."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from asn_kinerja.testing import generate_population

    root = Path(args.data)
    started = time.perf_counter()
    rows: dict[str, int] = dict.fromkeys(TABLES, 0)
    generate_s = 0.0
    for k, period in enumerate(periods_of(args.periods)):
        t0 = time.perf_counter()
        _, frames = generate_population(args.employees, seed=args.seed + k, return_frames=True)
        generate_s += time.perf_counter() - t0
        units = frames["units"]
        folder_of: dict[str, np.ndarray] = {"units": _ancestors(units["parent_id"].codes, args.folder_level)}
        for name in TABLES:
            if name != "units":
                column, into = OWNERS[name]
                folder_of[name] = folder_of[into][np.asarray(frames[name][column].codes, dtype=np.int64)]
            columns = {}
            for col, values in frames[name].items():
                arr = _arrow_column(values, pa)
                if pa.types.is_dictionary(arr.type) and col not in LOW_CARDINALITY:
                    arr = arr.cast(pa.string())  # ids as plain text: each file holds its own values only
                columns[col] = arr
            table = pa.table(columns)
            order = np.argsort(folder_of[name], kind="stable")
            table = table.take(pa.array(order))
            folders = folder_of[name][order]
            bounds = np.flatnonzero(np.diff(folders)) + 1
            starts = np.concatenate([[0], bounds])
            ends = np.concatenate([bounds, [len(folders)]])
            for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
                if b <= a:
                    continue
                unit = str(units["unit_id"][folders[a]])
                chunk = table.slice(a, b - a)
                for col in chunk.column_names:  # low-cardinality text: only the values of this file
                    if pa.types.is_dictionary(chunk.schema.field(col).type):
                        at = chunk.column_names.index(col)
                        chunk = chunk.set_column(at, col, pc.dictionary_encode(chunk.column(col).cast(pa.string())))
                path = root / name / f"period={period.id}" / f"unit={unit}"
                path.mkdir(parents=True, exist_ok=True)
                pq.write_table(chunk, path / "part-0.parquet")
            rows[name] += table.num_rows
        del frames, units
    files = sum(1 for _ in root.rglob("*.parquet"))
    size = sum(p.stat().st_size for p in root.rglob("*.parquet"))
    return {
        "write_s": time.perf_counter() - started,
        "generate_s": generate_s,
        "rows": rows,
        "files": files,
        "bytes_on_disk": size,
        "maxrss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


def stage_single(args: argparse.Namespace) -> dict[str, Any]:
    """The single-machine engine, one period per batch."""
    import pyarrow.parquet as pq

    from asn_kinerja.dataset import from_frames

    policy = asn_kinerja.load_policy(args.policy)
    root = Path(args.data)
    out_dir = Path(args.out) / "single"
    out_dir.mkdir(parents=True, exist_ok=True)
    per_period = []
    for period in periods_of(args.periods):
        t0 = time.perf_counter()
        tables = {}
        for name in TABLES:
            table = pq.read_table(root / name, filters=[("period", "=", period.id)])
            tables[name] = table.drop_columns(["period", "unit"])
        t1 = time.perf_counter()
        data = from_frames(agency=args.agency, period=period, **tables)
        del tables
        t2 = time.perf_counter()
        result = asn_kinerja.evaluate(policy, data)
        t3 = time.perf_counter()
        frame = result.to_frame()
        frame.insert(0, "period", period.id)
        t4 = time.perf_counter()
        frame.to_parquet(out_dir / f"{period.id}.parquet", index=False)
        per_period.append(
            {
                "period": period.id,
                "employees": len(frame),
                "read_s": t1 - t0,
                "validate_s": t2 - t1,
                "evaluate_s": t3 - t2,
                "to_frame_s": t4 - t3,
                "total_s": t4 - t0,
            }
        )
        del data, result, frame
    return {
        "periods": per_period,
        "total_s": sum(p["total_s"] for p in per_period),
        "maxrss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


class _Sampler:
    """Peak resident memory of processes, sampled every ``interval`` seconds in a thread."""

    def __init__(self, pids: dict[str, int], interval: float = 0.1) -> None:
        import psutil

        self.procs = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.peak = dict.fromkeys(pids, 0)
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for name, proc in self.procs.items():
                try:
                    self.peak[name] = max(self.peak[name], proc.memory_info().rss)
                except Exception:  # a worker restarted or gone: its peak so far stays
                    continue
            self._stop.wait(self.interval)

    def __enter__(self) -> _Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def stage_dask(args: argparse.Namespace) -> dict[str, Any]:
    """All periods at once on a local cluster."""
    import dask.dataframe as dd
    from dask.distributed import Client, LocalCluster

    from asn_kinerja.distributed import DistributedOptions, evaluate_dask, plan_pieces

    policy = asn_kinerja.load_policy(args.policy)
    root = Path(args.data)
    out_dir = Path(args.out) / "dask"
    periods = periods_of(args.periods)
    started = time.perf_counter()
    with (
        LocalCluster(
            n_workers=args.workers,
            threads_per_worker=args.threads,
            processes=True,
            memory_limit=args.memory_limit,
            dashboard_address=":0",
        ) as cluster,
        Client(cluster) as client,
    ):
        pids = {str(addr): int(pid) for addr, pid in client.run(os.getpid).items()}
        pids["client"] = os.getpid()
        up_s = time.perf_counter() - started
        with _Sampler(pids) as sampler:
            t0 = time.perf_counter()
            tables = {name: dd.read_parquet(root / name, filesystem="arrow") for name in TABLES}
            options = DistributedOptions(
                periods=periods, agency=args.agency, level=args.level, piece_size=args.piece_size
            )
            plan = plan_pieces(tables, options)
            t1 = time.perf_counter()
            frame = evaluate_dask(policy, tables, plan=plan)
            frame.to_parquet(out_dir, write_index=False)
            t2 = time.perf_counter()
        workers = {k: v for k, v in sampler.peak.items() if k != "client"}
        return {
            "workers": args.workers,
            "threads_per_worker": args.threads,
            "memory_limit": args.memory_limit,
            "cluster_start_s": up_s,
            "plan_s": t1 - t0,
            "evaluate_s": t2 - t1,
            "total_s": t2 - t0,
            "pieces": len(plan.pieces),
            "piece_employees_max": max(p.employees for p in plan.pieces),
            "guests": sum(len(g) for g in plan.guests.values()),
            "partitions": {name: int(t.npartitions) for name, t in tables.items()},
            "worker_peak_rss_bytes": sorted(workers.values()),
            "client_peak_rss_bytes": sampler.peak["client"],
        }


def check(out: Path) -> dict[str, Any]:
    """Row by row: the dask output equals the single-machine output (per employee and period)."""
    import pandas as pd

    single = pd.read_parquet(out / "single")
    spread = pd.read_parquet(out / "dask")
    key = ["period", "employee_id"]
    single = single.sort_values(key).reset_index(drop=True)
    spread = spread.sort_values(key).reset_index(drop=True)
    same = list(single.columns) == list(spread.columns) and len(single) == len(spread)
    if same:
        for col in single.columns:
            a, b = single[col], spread[col]
            if a.dtype.kind == "f":
                same &= bool(np.array_equal(a.to_numpy(), b.to_numpy(), equal_nan=True))
            else:
                same &= bool((a.astype(str).to_numpy() == b.astype(str).to_numpy()).all())
    return {"rows": len(spread), "identical": same}


def _run(stage: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, __file__, "--stage", stage, *args.forward]
    child = subprocess.run(command, capture_output=True, text=True, check=False)
    if child.returncode:
        print(child.stderr, file=sys.stderr)
        raise SystemExit(1)
    result: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    return result


def _mb(value: float) -> str:
    return f"{value / 2**20:,.0f}"


def _table(report: dict[str, Any]) -> str:
    single, spread = report["single"], report["dask"]
    employees = report["employees"] * report["periods"]
    lines = [
        "| run | employee-periods | wall s | per employee-period | peak memory MB |",
        "|---|---:|---:|---:|---:|",
        f"| single machine, one period per batch | {employees:,} | {single['total_s']:.1f} | "
        f"{single['total_s'] / employees * 1e6:.1f} µs | {_mb(single['maxrss_bytes'])} (process) |",
        f"| dask, {spread['workers']} workers × {spread['threads_per_worker']} thread | {employees:,} | "
        f"{spread['total_s']:.1f} | {spread['total_s'] / employees * 1e6:.1f} µs | "
        + " / ".join(_mb(b) for b in spread["worker_peak_rss_bytes"])
        + f" (workers), {_mb(spread['client_peak_rss_bytes'])} (client) |",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--employees", type=int, default=1_000_000, help="employees per period")
    parser.add_argument("--periods", type=int, default=4, help="periods (quarters up to 4, then years)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--policy", default="permenpanrb-6-2022")
    parser.add_argument("--agency", default="Pemerintah Kabupaten Sintetis")
    parser.add_argument("--folder-level", type=int, default=1, help="depth of the unit=... folders' units")
    parser.add_argument("--level", type=int, default=1, help="depth of the pieces' subtree roots")
    parser.add_argument("--piece-size", type=int, default=50_000, help="employees per piece, about")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--memory-limit", default="6GiB", help="per worker")
    parser.add_argument("--data", help="the Parquet folder (default: a temporary folder, removed at the end)")
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT), help="the JSON report")
    parser.add_argument("--stage", choices=["write", "single", "dask"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stage is not None:
        stage = {"write": stage_write, "single": stage_single, "dask": stage_dask}[args.stage]
        print(json.dumps(stage(args)))
        return 0
    temporary = args.data is None
    data = Path(args.data or tempfile.mkdtemp(prefix="asn-kinerja-dask-"))
    out = Path(tempfile.mkdtemp(prefix="asn-kinerja-dask-out-"))
    shared = [
        *("--employees", str(args.employees), "--periods", str(args.periods), "--seed", str(args.seed)),
        *("--policy", args.policy, "--agency", args.agency, "--folder-level", str(args.folder_level)),
        *("--level", str(args.level), "--piece-size", str(args.piece_size), "--workers", str(args.workers)),
        *("--threads", str(args.threads), "--memory-limit", args.memory_limit, "--data", str(data), "--out", str(out)),
    ]
    args.forward = shared
    try:
        stages = {}
        for stage in ("write", "single", "dask"):
            if stage == "write" and not temporary and any(data.glob("*/period=*")):
                print("… using the Parquet data in place", file=sys.stderr, flush=True)
                continue
            print(f"… {stage}", file=sys.stderr, flush=True)
            stages[stage] = _run(stage, args)
        print("… check", file=sys.stderr, flush=True)
        checked = check(out)
    finally:
        shutil.rmtree(out, ignore_errors=True)
        if temporary:
            shutil.rmtree(data, ignore_errors=True)
    import dask

    report = {
        "command": "python benchmarks/dask_run.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "asn_kinerja": asn_kinerja.__version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "dask": dask.__version__,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "processor": platform.machine()},
        "employees": args.employees,
        "periods": args.periods,
        "policy": args.policy,
        "memory_measure": "single.maxrss_bytes: resource.getrusage(RUSAGE_SELF).ru_maxrss of the single-machine "
        "child (all its periods, one at a time); dask.worker_peak_rss_bytes: each worker process's resident set "
        "size sampled with psutil every 0.1 s during planning and evaluation; dask.client_peak_rss_bytes: the same "
        "for the client process",
        **stages,
        "check": checked,
    }
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if "single" in stages and "dask" in stages:
        print(_table(report))
    print(f"\nidentical: {checked['identical']} ({checked['rows']:,} rows); report: {output}")
    return 0 if checked["identical"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
