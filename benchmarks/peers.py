"""The main job against its peers: files → validated dataset → evaluation → a file of results, compared with an
analyst's DuckDB query and a pandas script that read the same files and compute the same baseline predikat.

Not a test (pytest does not collect this folder). Needs the ``bench`` extra (DuckDB, pandas)::

    python benchmarks/peers.py [--sizes 10000,100000] [--formats csv,parquet] [--data DIR] [--repeat 1]
                               [--output benchmarks/results/peers.json] [--seed 0]

Per size, the tables of ``asn_kinerja.testing.generate_tables(n, seed=seed)`` are written once as a CSV folder and
a Parquet folder (with ``dataset.yaml``); then each job runs in a fresh child process (its own peak memory,
``resource.getrusage(RUSAGE_SELF).ru_maxrss``) on the same files:

- ``asn_kinerja``: ``load_dataset(folder)`` (read and validate), ``evaluate(policy, dataset)``, then the results
  written as the command line writes them (CSV: ``write_stream(path, result.write_csv)``; Parquet:
  ``result.table().write_parquet(...)``), each phase timed, in a process whose memory is set as the command line
  sets its own (ordinary pages, freed memory kept for the next arrays: ``asn_kinerja._pages.page_choice``,
  reported as ``pages``);
- ``duckdb``: one SQL query from the files to a file of ``employee_id, predikat`` (``COPY ... TO``);
- ``pandas``: the same computation with ``read_csv``/``read_parquet``, merges and group-bys, ``to_csv``/``to_parquet``;
- ``reading`` (not a peer, no output): Arrow reading every column of every file as asn_kinerja asks it to, and
  nothing else. ``floor_s`` adds asn_kinerja's own ``evaluate_s`` and ``write_s`` to it: what asn_kinerja would
  take if validating and converting the columns took no time, and ``floor_to_duckdb`` compares that with DuckDB's
  total (DuckDB reads only the columns its query names, and writes two columns).

Each job's libraries are imported before its clock starts (``duckdb``, ``pandas``, and for asn_kinerja the Arrow
reader of the format, which it imports on first use). Each job reports its wall time and its CPU time over the same
span (user and system time of all its threads; on a shared machine the system time, mostly page faults, varies from
run to run far more than the user time); the ratios compare asn_kinerja's total with each peer's, in wall time and
in CPU time. With ``--repeat N`` every job runs N times, the three jobs in turn, and each figure is the median of
its N runs.

The baseline predikat (permenpanrb-6-2022 as built in): the evaluator's ratings where given, otherwise the
suggested ones — hasil kerja from the weighted capaian of the indicators of the RHK utama (thresholds 110 / 90),
perilaku kerja from the atasan's BerAKHLAK ratings (mean per criterion, then over the seven criteria; thresholds
4.5 / 3) — combined by the 3×3 matrix. ``agree`` is the share of employees whose predikat is the same in the
peer's output as in asn_kinerja's (1.0 = all).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
POLICY = "permenpanrb-6-2022"
MANIFEST = "agency: Pemerintah Kabupaten Sintetis\nperiod: {id: '2025', start: 2025-01-01, end: 2025-12-31}\n"
MANIFEST += "scale: {min: 1, max: 5}\n"
IDS = ["unit_id", "parent_id", "employee_id", "superior_id", "rhk_id", "intervensi_id", "indicator_id"]
IDS += ["ratee_id", "rater_id", "respondent_id"]

SQL = """
WITH ind AS (
  SELECT r.employee_id, i.realisasi AS x, coalesce(i.target, i.target_low) AS lo,
         coalesce(i.target, i.target_high) AS hi, coalesce(i.weight, 1.0) AS w, i.direction = 'lower' AS lower_better
  FROM {indicators} i JOIN {rhk} r ON i.rhk_id = r.rhk_id
  WHERE coalesce(r.jenis, 'utama') = 'utama'
), cap AS (
  SELECT employee_id, w, x,
    CASE WHEN x IS NULL THEN NULL
         WHEN lo <> hi AND x BETWEEN lo AND hi THEN 100.0
         ELSE greatest(CASE WHEN lower_better THEN (2 - x / (CASE WHEN x > hi THEN hi ELSE lo END)) * 100
                            ELSE x / (CASE WHEN x > hi THEN hi ELSE lo END) * 100 END, 0) END AS c
  FROM ind
), hk AS (
  SELECT employee_id,
         CASE WHEN count(*) FILTER (WHERE x IS NULL) > 0 OR sum(w) = 0 THEN NULL ELSE sum(w * c) / sum(w) END AS s
  FROM cap GROUP BY employee_id
), pk_c AS (
  SELECT ratee_id AS employee_id, criterion, avg(score) AS m FROM {ratings} WHERE "group" = 'atasan' GROUP BY 1, 2
), pk AS (
  SELECT employee_id, CASE WHEN count(*) = 7 THEN avg(m) END AS s FROM pk_c GROUP BY 1
), rated AS (
  SELECT e.employee_id,
    coalesce(CASE ev.rating_hasil_kerja WHEN 'di_atas' THEN 2 WHEN 'sesuai' THEN 1 WHEN 'di_bawah' THEN 0 END,
             CASE WHEN hk.s >= 110 THEN 2 WHEN hk.s >= 90 THEN 1 WHEN hk.s IS NOT NULL THEN 0 END) AS h,
    coalesce(CASE ev.rating_perilaku_kerja WHEN 'di_atas' THEN 2 WHEN 'sesuai' THEN 1 WHEN 'di_bawah' THEN 0 END,
             CASE WHEN pk.s >= 4.5 THEN 2 WHEN pk.s >= 3 THEN 1 WHEN pk.s IS NOT NULL THEN 0 END) AS p
  FROM {employees} e LEFT JOIN hk ON hk.employee_id = e.employee_id LEFT JOIN pk ON pk.employee_id = e.employee_id
  LEFT JOIN {evaluations} ev ON ev.employee_id = e.employee_id
)
SELECT employee_id,
  CASE WHEN h IS NULL OR p IS NULL THEN NULL
       WHEN h = 0 THEN CASE WHEN p = 0 THEN 'Sangat Kurang' ELSE 'Butuh Perbaikan' END
       WHEN p = 0 THEN 'Kurang/Misconduct'
       WHEN h = 2 AND p = 2 THEN 'Sangat Baik' ELSE 'Baik' END AS predikat
FROM rated
"""
TABLES = ("units", "employees", "rhk", "indicators", "ratings", "evaluations", "surveys")


def maxrss() -> dict[str, int]:
    """The process's peak resident set size: ``getrusage`` (on Linux it keeps the parent's peak across ``exec``, so
    it is at least what the parent held when the child started) and ``VmHWM`` of ``/proc/self/status`` (the peak of
    this program alone, where available)."""
    out = {"maxrss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                out["vmhwm_bytes"] = int(line.split()[1]) * 1024
    return out


def cpu() -> tuple[float, float]:
    """The user and system CPU time of this process so far (all its threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime, usage.ru_stime


def cpu_since(start: tuple[float, float], end: tuple[float, float]) -> dict[str, float]:
    user, system = end[0] - start[0], end[1] - start[1]
    return {"cpu_s": user + system, "user_s": user, "sys_s": system}


# --- jobs (each in its own process) -------------------------------------------------------------------------------


def job_asn(folder: Path, fmt: str, out: Path) -> dict[str, Any]:
    from asn_kinerja import evaluate, load_dataset, load_policy
    from asn_kinerja._files import write_stream
    from asn_kinerja._pages import page_choice

    pages = page_choice()  # the process's memory as the command line sets it (see asn_kinerja._pages)
    policy = load_policy(POLICY)
    # The libraries the job reads with, imported before its clock starts as `import duckdb` is before DuckDB's and
    # `import pandas` before pandas' (asn_kinerja imports its readers on first use: 0.2 s of a Parquet run).
    importlib.import_module("pyarrow.csv" if fmt == "csv" else "pyarrow.parquet")
    importlib.import_module("pyarrow.compute")
    t0, c0 = time.perf_counter(), cpu()
    dataset = load_dataset(folder)
    t1, c1 = time.perf_counter(), cpu()
    result = evaluate(policy, dataset)
    t2 = time.perf_counter()
    if fmt == "csv":  # as `asn-kinerja evaluate FOLDER --format csv --output x.csv` writes it
        write_stream(out, result.write_csv)
    else:
        result.table().write_parquet(out)  # as `asn-kinerja evaluate FOLDER --output x.parquet` writes it
    t3, c3 = time.perf_counter(), cpu()
    times = {"load_validate_s": t1 - t0, "evaluate_s": t2 - t1, "write_s": t3 - t2, "without_write_s": t2 - t0}
    return {**times, "load_validate_cpu_s": sum(c1) - sum(c0), **cpu_since(c0, c3), "pages": pages}


def job_duckdb(folder: Path, fmt: str, out: Path) -> dict[str, Any]:
    import duckdb

    def source(name: str) -> str:
        if fmt == "csv":
            path = folder / (name + ".csv")
            with path.open(encoding="utf-8") as fh:
                header = fh.readline().strip().split(",")
            ids = ", ".join(f"'{c}': 'VARCHAR'" for c in IDS if c in header)
            return f"read_csv('{path}', header=true, types={{{ids}}})"
        return f"read_parquet('{folder / (name + '.parquet')}')"

    query = SQL.format(**{name: source(name) for name in TABLES})
    t0, c0 = time.perf_counter(), cpu()
    con = duckdb.connect()
    option = "(HEADER)" if fmt == "csv" else "(FORMAT parquet)"
    con.execute(f"COPY ({query}) TO '{out}' {option}")
    t1, c1 = time.perf_counter(), cpu()
    return {"total_s": t1 - t0, **cpu_since(c0, c1)}


def job_pandas(folder: Path, fmt: str, out: Path) -> dict[str, Any]:
    import numpy as np
    import pandas as pd

    def read(name: str, columns: list[str]) -> Any:
        if fmt == "csv":
            return pd.read_csv(folder / f"{name}.csv", usecols=columns, dtype={c: str for c in IDS if c in columns})
        return pd.read_parquet(folder / f"{name}.parquet", columns=columns)

    t0, c0 = time.perf_counter(), cpu()
    emp = read("employees", ["employee_id"])
    rhk = read("rhk", ["rhk_id", "employee_id", "jenis"])
    ind = read("indicators", ["rhk_id", "direction", "target", "target_low", "target_high", "weight", "realisasi"])
    rat = read("ratings", ["ratee_id", "group", "criterion", "score"])
    ev = read("evaluations", ["employee_id", "rating_hasil_kerja", "rating_perilaku_kerja"])
    ind = ind.merge(rhk, on="rhk_id")
    ind = ind[ind["jenis"].fillna("utama") == "utama"]
    lo = ind["target"].fillna(ind["target_low"])
    hi = ind["target"].fillna(ind["target_high"])
    x = ind["realisasi"]
    ratio = x / np.where(x > hi, hi, lo)
    c = np.where(ind["direction"] == "lower", (2 - ratio) * 100, ratio * 100)
    c = np.where((lo != hi) & (x >= lo) & (x <= hi), 100.0, np.maximum(c, 0))
    w = ind["weight"].fillna(1.0)
    parts = pd.DataFrame({"employee_id": ind["employee_id"], "w": w, "wc": w * c, "missing": x.isna()})
    g = parts.groupby("employee_id").sum()
    hk = (g["wc"] / g["w"]).where((g["missing"] == 0) & (g["w"] > 0))
    at = rat[rat["group"] == "atasan"]
    per = at.groupby(["ratee_id", "criterion"])["score"].mean().groupby(level=0)
    pk = per.mean().where(per.size() == 7)
    codes = {"di_atas": 2, "sesuai": 1, "di_bawah": 0}
    table = emp.set_index("employee_id")
    given = ev.set_index("employee_id")
    s_hk = hk.reindex(table.index)
    s_pk = pk.reindex(table.index)
    sug_h = pd.Series(np.where(s_hk >= 110, 2, np.where(s_hk >= 90, 1, 0)), index=table.index).where(s_hk.notna())
    sug_p = pd.Series(np.where(s_pk >= 4.5, 2, np.where(s_pk >= 3, 1, 0)), index=table.index).where(s_pk.notna())
    h = given["rating_hasil_kerja"].map(codes).reindex(table.index).fillna(sug_h)
    p = given["rating_perilaku_kerja"].map(codes).reindex(table.index).fillna(sug_p)
    matrix = {(2, 0): "Kurang/Misconduct", (2, 1): "Baik", (2, 2): "Sangat Baik", (1, 0): "Kurang/Misconduct"}
    matrix |= {(1, 1): "Baik", (1, 2): "Baik", (0, 0): "Sangat Kurang", (0, 1): "Butuh Perbaikan"}
    matrix |= {(0, 2): "Butuh Perbaikan"}
    key = h.fillna(-9).astype(int) * 10 + p.fillna(-9).astype(int)
    lookup = {hh * 10 + pp: label for (hh, pp), label in matrix.items()}
    result = pd.DataFrame({"employee_id": table.index, "predikat": key.map(lookup).to_numpy()})
    if fmt == "csv":
        result.to_csv(out, index=False)
    else:
        result.to_parquet(out, index=False)
    t1, c1 = time.perf_counter(), cpu()
    return {"total_s": t1 - t0, **cpu_since(c0, c1)}


def job_reading(folder: Path, fmt: str, out: Path) -> dict[str, Any]:
    """Not a peer: Arrow reading every file of the folder as asn_kinerja asks it to (every column; text as
    dictionaries, but a table's own ids; CSV without the per-cell UTF-8 check), and nothing else. The least any
    job that reads and validates every column spends before it starts validating: the floor of ``asn_kinerja``'s
    ``load_validate_s``."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from asn_kinerja._pages import page_choice
    from asn_kinerja.dataset.frames import read_parquet_arrow
    from asn_kinerja.dataset.table import OWN_IDS

    page_choice()  # the process's memory as asn_kinerja's job has it
    text = pa.dictionary(pa.int32(), pa.string())
    t0, c0 = time.perf_counter(), cpu()
    rows = 0
    for name in TABLES:
        path = folder / f"{name}.{fmt}"
        if fmt == "csv":
            with path.open(encoding="utf-8") as fh:
                header = fh.readline().strip().split(",")
            types = {c: pa.string() if c == OWN_IDS.get(name) else text for c in header}
            options = pacsv.ConvertOptions(column_types=types, strings_can_be_null=False, check_utf8=False)
            table = pacsv.read_csv(path, convert_options=options, memory_pool=pa.system_memory_pool())
        else:
            table = read_parquet_arrow(path, name)  # the library's own reading, nothing after it
        rows += table.num_rows
        del table
    t1, c1 = time.perf_counter(), cpu()
    return {"read_s": t1 - t0, "rows": rows, **cpu_since(c0, c1)}


JOBS = {"asn_kinerja": job_asn, "duckdb": job_duckdb, "pandas": job_pandas}
#: Jobs measured beside the peers that write no results (no agreement to check).
FLOORS = {"reading": job_reading}


# --- the parent ---------------------------------------------------------------------------------------------------


def prepare(n: int, seed: int, root: Path) -> dict[str, Any]:
    """Write the tables of ``n`` employees as a CSV and a Parquet folder under ``root``; folders written before for
    the same size and seed (``tables-<n>-<seed>.json`` beside them) are used again, so that a run measures
    reading rather than generating (delete them to write them anew)."""
    from asn_kinerja.testing import generate_tables

    stamp = root / f"tables-{n}-{seed}.json"
    folders = {"csv": root / f"csv-{n}", "parquet": root / f"parquet-{n}"}
    if stamp.exists() and all(folder.is_dir() for folder in folders.values()):
        written: dict[str, Any] = json.loads(stamp.read_text(encoding="utf-8"))
        return {**written, "prepare_s": 0.0, "reused": True}
    t0 = time.perf_counter()
    tables = generate_tables(n, seed=seed)
    for fmt, folder in folders.items():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "dataset.yaml").write_text(MANIFEST, encoding="utf-8")
        for name, frame in tables.items():
            frame = frame.drop(columns=["period", "unit"])
            if fmt == "csv":
                frame.to_csv(folder / f"{name}.csv", index=False)
            else:
                frame.to_parquet(folder / f"{name}.parquet", index=False)
    sizes = {fmt: sum(p.stat().st_size for p in folder.iterdir()) for fmt, folder in folders.items()}
    written = {"rows": {name: len(frame) for name, frame in tables.items()}, "bytes": sizes}
    stamp.write_text(json.dumps(written), encoding="utf-8")
    return {**written, "prepare_s": time.perf_counter() - t0}


def run_child(job: str, folder: Path, fmt: str, out: Path) -> dict[str, Any]:
    cmd = [sys.executable, str(HERE), "--job", job, "--folder", str(folder), "--format", fmt, "--out", str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{job} on {fmt} failed:\n{done.stderr}")
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def predikat_of(path: Path, fmt: str) -> dict[str, str]:
    import pandas as pd

    from asn_kinerja.model import Predikat

    frame = pd.read_csv(path, dtype=str, keep_default_na=False) if fmt == "csv" else pd.read_parquet(path)
    labels = {p.value: p.label for p in Predikat}  # the library writes identifiers (and labels beside them)
    column = frame["predikat_label"] if "predikat_label" in frame.columns else frame["predikat"]
    shown = [labels.get(v, v) for v in column.fillna("").astype(str)]
    return dict(zip(frame["employee_id"].astype(str), shown, strict=True))


def medians(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """Per figure, the median over the runs of a job (and how many runs there were)."""
    return {key: statistics.median(r[key] for r in reports) for key in reports[0]} | {"runs": len(reports)}


def run_size(n: int, seed: int, formats: list[str], root: Path, repeat: int = 1) -> dict[str, Any]:
    out: dict[str, Any] = {"employees": n, **prepare(n, seed, root)}
    for fmt in formats:
        folder = root / f"{fmt}-{n}"
        runs: dict[str, list[dict[str, Any]]] = {job: [] for job in JOBS}
        results: dict[str, dict[str, str]] = {}
        floors: dict[str, list[dict[str, Any]]] = {job: [] for job in FLOORS}
        for _ in range(repeat):
            for job in JOBS:
                target = root / f"out-{job}-{n}.{fmt}"
                runs[job].append(run_child(job, folder, fmt, target))
                results[job] = predikat_of(target, fmt)
            for job in FLOORS:
                floors[job].append(run_child(job, folder, fmt, root / "unused"))
        jobs = {job: medians(reports) for job, reports in runs.items()}
        mine = results["asn_kinerja"]
        ours = jobs["asn_kinerja"]
        total = ours["without_write_s"] + ours["write_s"]
        for job in ("duckdb", "pandas"):
            theirs = results[job]
            same = sum(1 for k, v in mine.items() if theirs.get(k) == v)
            jobs[job]["agree"] = same / len(mine)
            jobs[job]["ratio_asn_total_to_this"] = total / jobs[job]["total_s"]
            jobs[job]["ratio_asn_without_write_to_this"] = ours["without_write_s"] / jobs[job]["total_s"]
            jobs[job]["ratio_asn_cpu_to_this"] = ours["cpu_s"] / jobs[job]["cpu_s"]
        ours["total_s"] = total
        reading = medians(floors["reading"])
        # The least asn_kinerja could take while it reads every column and writes its whole result table: Arrow's
        # reading alone, then its own evaluation and writing, with validation and conversion taking no time.
        reading["floor_s"] = reading["read_s"] + ours["evaluate_s"] + ours["write_s"]
        reading["floor_to_duckdb"] = reading["floor_s"] / jobs["duckdb"]["total_s"]
        jobs["reading"] = reading
        ours["load_validate_to_evaluate"] = ours["load_validate_s"] / ours["evaluate_s"]
        out[fmt] = jobs
        print(json.dumps({"employees": n, "format": fmt, **jobs}), flush=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--formats", default="csv,parquet")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each job (medians are reported)")
    parser.add_argument(
        "--data", help="a folder to write the data to (kept, and used again by a later run); a temporary one by default"
    )
    parser.add_argument("--output", help="write the report (JSON) here")
    parser.add_argument("--job", choices=sorted({**JOBS, **FLOORS}), help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--format", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.job:
        report = {**JOBS, **FLOORS}[args.job](Path(args.folder), args.format, Path(args.out))
        report.update(maxrss())
        print(json.dumps(report))
        return 0
    import duckdb
    import pandas

    formats = args.formats.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.data) if args.data else Path(tmp)
        sizes = [run_size(int(s), args.seed, formats, root, args.repeat) for s in args.sizes.split(",")]
    save_report(args.output, sizes, duckdb=duckdb.__version__, pandas=pandas.__version__)
    return 0


def save_report(output: str | None, sizes: list[dict[str, Any]], **versions: str) -> None:
    """Write a run's report as JSON to ``output`` (if given): the command, the versions, the machine (cores and
    load average at the end: the seconds depend on it) and what was measured per size."""
    import asn_kinerja

    report = {
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "asn_kinerja": asn_kinerja.__version__,
        **versions,
        "python": platform.python_version(),
        "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg()},
        "sizes": sizes,
    }
    if output:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
