"""The main job at national scale: ``asn-kinerja evaluate FOLDER --format csv --output FILE`` on a CSV folder of
1 000 000 employees (issue 15: ≤ 20 s, peak memory ≤ 4 GB), against an analyst's DuckDB query on the same folder.

Not a test (pytest does not collect this folder). Needs the ``bench`` extra (DuckDB, pandas)::

    python benchmarks/national.py --data DIR [--sizes 10000,100000,1000000] [--seed 0] [--repeat 1]
                                  [--output benchmarks/results/national.json]

Per size, the tables of ``asn_kinerja.testing.generate_population(n, seed=seed)`` (the data of
``generate_tables(n, seed=seed)`` and of ``benchmarks/peers.py``) are written once to ``DIR/csv-N`` with a
``dataset.yaml``, straight from their columns with Arrow's CSV writer (strings quoted only in a table that needs
it); a folder already there is used as it is (generating 1 000 000 employees takes minutes and ~6 GB, once). Then,
one job at a time, each in its own child process:

- ``asn_kinerja``: the command line, ``asn-kinerja evaluate DIR/csv-N --format csv --output ...``: wall time, CPU
  time (user + system) and the child's peak resident memory (``ru_maxrss`` and ``ru_utime + ru_stime`` of the child
  from ``os.wait4``: the process alone). Where a file is larger than the default ``DatasetLimits.max_table_bytes``
  (2 GiB; ``ratings.csv`` of 1 000 000 employees is 2.4 GB) the command refuses it before reading
  (``command_refused`` in the report); the same command is then timed with ``--max-table-size`` raised to the
  largest file;
- ``duckdb``: the query of ``benchmarks/peers.py`` (the baseline predikat) from the same files to a CSV of
  ``employee_id, predikat``, timed and measured the same way.

``agree`` is the share of employees whose predikat (label) in the command's CSV equals DuckDB's (1.0 = all);
``ratio`` is the command's time over DuckDB's in the same run; ``us_per_employee`` shows linearity across sizes;
``load`` is the machine's load average before and after the size's runs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))

from peers import MANIFEST, job_duckdb, save_report  # noqa: E402

from asn_kinerja.dataset.limits import DatasetLimits  # noqa: E402

SPECIAL = (",", '"', "\n", "\r")


def _arrow_column(values: Any) -> Any:
    import numpy as np
    import pyarrow as pa

    from asn_kinerja.dataset.columns import Categorical

    if isinstance(values, Categorical):
        codes = np.asarray(values.codes, dtype=np.int32)
        return pa.DictionaryArray.from_arrays(pa.array(codes, mask=codes < 0), pa.array(values.categories))
    return pa.array(values, from_pandas=True)


def _needs_quotes(column: Any) -> bool:
    import pyarrow as pa
    import pyarrow.compute as pc

    text = column.combine_chunks()
    text = text.dictionary if pa.types.is_dictionary(text.type) else text
    if not (pa.types.is_string(text.type) or pa.types.is_large_string(text.type)):
        return False
    return any(pc.any(pc.match_substring(text, mark)).as_py() for mark in SPECIAL)


def prepare(n: int, seed: int, root: Path) -> dict[str, Any]:
    """The CSV folder of ``n`` employees under ``root`` (written once; reused when its manifest is there)."""
    folder = root / f"csv-{n}"
    if (folder / "dataset.yaml").exists():
        return {"folder": str(folder), "prepare_s": 0.0, "bytes": sum(p.stat().st_size for p in folder.iterdir())}
    import pyarrow as pa
    import pyarrow.csv as pcsv

    from asn_kinerja.testing import generate_population

    t0 = time.perf_counter()
    _, frames = generate_population(n, seed=seed, return_frames=True)
    folder.mkdir(parents=True, exist_ok=True)
    for name in list(frames):
        table = pa.table({col: _arrow_column(values) for col, values in frames.pop(name).items()})
        quoting = "needed" if any(_needs_quotes(col) for col in table.columns) else "none"
        with (folder / f"{name}.csv").open("wb") as fh:  # the header unquoted, as a spreadsheet writes it
            fh.write((",".join(table.column_names) + "\n").encode())
            pcsv.write_csv(table, fh, pcsv.WriteOptions(include_header=False, quoting_style=quoting))
        del table
    (folder / "dataset.yaml").write_text(MANIFEST, encoding="utf-8")  # last: marks the folder complete
    return {
        "folder": str(folder),
        "prepare_s": time.perf_counter() - t0,
        "bytes": sum(p.stat().st_size for p in folder.iterdir()),
    }


def timed_child(cmd: list[str]) -> dict[str, Any]:
    """Run ``cmd``; its wall time and peak resident memory (the child alone, from ``wait4``)."""
    t0 = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - t0
    child.returncode = os.waitstatus_to_exitcode(status)
    out, err = child.communicate()
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{err.decode(errors='replace')[-4000:]}")
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_bytes": usage.ru_maxrss * 1024,
        "stdout": out.decode(errors="replace"),
    }


def predikat_labels(path: Path) -> dict[str, str]:
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    column = "predikat_label" if "predikat_label" in frame.columns else "predikat"
    return dict(zip(frame["employee_id"], frame[column], strict=True))


def run_size(n: int, seed: int, root: Path, repeat: int) -> dict[str, Any]:
    out: dict[str, Any] = {"employees": n, **prepare(n, seed, root)}
    folder = Path(out["folder"])
    ours_file, theirs_file = root / f"out-asn-{n}.csv", root / f"out-duckdb-{n}.csv"
    cli = [sys.executable, "-m", "asn_kinerja.cli", "evaluate", str(folder), "--format", "csv"]
    duck = [sys.executable, str(HERE), "--job", "duckdb", "--folder", str(folder), "--out", str(theirs_file)]
    runs: dict[str, list[dict[str, Any]]] = {"asn_kinerja": [], "duckdb": []}
    limit = max(p.stat().st_size for p in folder.iterdir())
    if limit > DatasetLimits().max_table_bytes:  # the command refuses the file: say so, then lift the limit
        try:
            timed_child([*cli, "--output", str(ours_file)])
        except RuntimeError as exc:
            out["command_refused"] = str(exc).splitlines()[-1].strip()
        cli = [*cli, "--max-table-size", str(limit)]
        out["max_table_bytes"] = limit
    load_before = os.getloadavg()
    for _ in range(repeat):  # alternating, so both see the same load of the machine
        runs["asn_kinerja"].append(timed_child([*cli, "--output", str(ours_file)]))
        runs["duckdb"].append(timed_child(duck))
    for job, done in runs.items():
        best = min(done, key=lambda r: r["wall_s"])
        out[job] = {
            "wall_s": best["wall_s"],
            "wall_s_all": [r["wall_s"] for r in done],
            "cpu_s": best["cpu_s"],
            "peak_rss_bytes": max(r["peak_rss_bytes"] for r in done),
            "us_per_employee": best["wall_s"] / n * 1e6,
        }
    out["load"] = [load_before, os.getloadavg()]
    mine, theirs = predikat_labels(ours_file), predikat_labels(theirs_file)
    out["agree"] = sum(1 for k, v in mine.items() if theirs.get(k) == v) / len(mine)
    out["ratio_asn_to_duckdb"] = out["asn_kinerja"]["wall_s"] / out["duckdb"]["wall_s"]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000000")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--data", help="a folder for the generated CSV folders (kept and reused)")
    parser.add_argument("--output", help="write the report (JSON) here")
    parser.add_argument("--job", choices=["duckdb"], help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.job == "duckdb":
        print(json.dumps(job_duckdb(Path(args.folder), "csv", Path(args.out))))
        return 0
    if not args.data:
        parser.error("--data DIR is required (the generated folders are kept there)")
    root = Path(args.data)
    sizes = []
    for s in args.sizes.split(","):
        size = run_size(int(s), args.seed, root, args.repeat)
        print(json.dumps(size), flush=True)
        sizes.append(size)
    import duckdb

    save_report(args.output, sizes, duckdb=duckdb.__version__)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
