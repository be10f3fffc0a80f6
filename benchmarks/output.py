"""Benchmark of the outputs: ``python benchmarks/output.py [--sizes N,...] [--cache DIR] [--output report.json]
[--write-json-only | --write-only]``.

For each size, first in a child process of its own, as ``asn-kinerja evaluate --format json --output FILE`` runs it:
the population read and evaluated, then ``write_json``: :meth:`Evaluation.write_json` into a new file through
:func:`asn_kinerja._files.write_stream`, the first output of the process (the output order is made in it, as in the
command). Then ``write_json_null``: the same text again in the same process, to the null device (the library's part
alone: no new file's pages for the kernel to find; ``write_json_file_to_null`` is the ratio). With
``--write-json-only`` that is all. Then, in another child, ``write_csv``: the CSV written as ``asn-kinerja evaluate
--format csv --output FILE`` writes it (``write_stream(path, result.write_csv)``; a version without
:meth:`Evaluation.write_csv` made the whole text and wrote it: ``write_text(path, result.to_csv())``). With
``--write-only`` those two are all.

Then, in another fresh child process: a synthetic population (:func:`asn_kinerja.testing.generate_population`)
evaluated once under the built-in permenpanrb-6-2022 policy, then each rendering timed (best of ``--repeat``):

- ``csv``: :meth:`Evaluation.to_csv` (every flat column: ids, labels, figures, self-rating and gap, development);
- ``json``: :meth:`Evaluation.to_json` (the same with the nested details: rater groups, citizen index, adjustment);
- ``json_file``: :meth:`Evaluation.write_json` into a file (the text written piece by piece, never held whole),
  measured as in earlier rounds: after ``csv`` (which made the output order) and after ``json`` (whose 2.4 GB text
  leaves the process's memory in a state no command run has, so this figure is slower and noisier than
  ``write_json``; it is kept to compare with the figures of earlier rounds);
- ``frame``: :meth:`Evaluation.to_frame` (pandas), the baseline that was already column-wise;
- ``parquet``: :meth:`ResultTable.write_parquet` of :meth:`Evaluation.table` (the ``arrow`` extra).

Each figure is also given as a ratio to ``frame`` measured in the same run (the machine is shared: ratios vary less
than seconds). ``<step>_cpu_s`` is the step's CPU time (user + system) and ``<step>_sys_s`` the kernel's part of
it (at a million employees, mostly finding fresh memory pages; ``<step>_page_faults`` counts them).
``maxrss_<step>_mb`` is the child's peak resident set size after that step (it only grows: a step that raises it is
the one that needed the memory);
``load_before``/``load_after`` are the one-minute load averages. Like the command line, the child asks numpy for
ordinary memory pages (:func:`asn_kinerja._pages.prefer_small_pages`) unless ``NUMPY_MADVISE_HUGEPAGE`` is set;
``pages`` says which were used.
``--cache DIR`` keeps each generated population as a pickle in ``DIR`` (made once, read by later runs: the
generator takes longer than the outputs at a million employees). Set ``PYTHONPATH`` to another checkout's ``src`` to
measure that version with the same script (before and after, alternated). Benchmarks are not tests: nothing here
runs in the test suite. The figures of the last run are in
``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _best(run: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def _maxrss_mb() -> float:
    """The process's peak resident set size so far, in MB (Linux reports kilobytes)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3, 1)


def _population(size: int, cache: str | None) -> Any:
    """The synthetic population of ``size`` employees (seed 1), read from ``cache`` where it was kept."""
    import pickle

    from asn_kinerja.testing import generate_population

    if cache is None:
        return generate_population(size, seed=1)
    path = Path(cache) / f"population-{size}-seed1.pickle"
    if path.exists():
        with path.open("rb") as f:
            return pickle.load(f)
    dataset = generate_population(size, seed=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        pickle.dump(dataset, f, protocol=pickle.HIGHEST_PROTOCOL)
    return dataset


def _cpu_s() -> tuple[float, float]:
    """The process's CPU time so far, in seconds: user (Python and numpy) and system (the kernel: at a million
    employees mostly finding fresh memory pages for the large texts and the written file)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime, usage.ru_stime


def _pages() -> str:
    """Ask numpy for ordinary memory pages as the command line does (unless ``NUMPY_MADVISE_HUGEPAGE`` decides):
    which pages the run uses (a version without :func:`~asn_kinerja._pages.page_choice` leaves it to numpy)."""
    try:
        from asn_kinerja._pages import page_choice
    except ImportError:  # an older version measured with this script
        name = "NUMPY_MADVISE_HUGEPAGE"
        return f"{name}={os.environ[name]}" if name in os.environ else "as numpy chooses"
    return page_choice()


def _step(out: dict[str, Any], name: str, run: Any, repeat: int) -> None:
    """Time ``run`` (best of ``repeat``) into ``out``: wall, CPU (user + system), system, peak memory after."""
    user, system = _cpu_s()
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    out[f"{name}_s"] = round(_best(run, repeat), 3)
    user_after, system_after = _cpu_s()
    out[f"{name}_cpu_s"] = round((user_after - user + system_after - system) / repeat, 3)
    out[f"{name}_sys_s"] = round((system_after - system) / repeat, 3)
    out[f"{name}_page_faults"] = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
    out[f"maxrss_{name}_mb"] = _maxrss_mb()


def measure_write(size: int, fmt: str, cache: str | None = None) -> dict[str, Any]:
    """``write_json`` or ``write_csv`` (``fmt``) as the command line runs it: the first output of a process that has
    just evaluated (once: a second call would find the output order made), written to a new file as the command
    writes it."""
    pages = _pages()
    import asn_kinerja
    from asn_kinerja._files import write_stream, write_text

    dataset = _population(size, cache)
    name = f"write_{fmt}"
    out: dict[str, Any] = {f"{name}_pages": pages}
    result = asn_kinerja.evaluate(asn_kinerja.load_policy("permenpanrb-6-2022"), dataset)
    assert isinstance(result, asn_kinerja.Evaluation)
    out[f"{name}_load_before"] = round(os.getloadavg()[0], 2)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"r.{fmt}"

        def write() -> None:
            if fmt == "json":
                write_stream(path, result.write_json)
            elif hasattr(result, "write_csv"):
                write_stream(path, result.write_csv)
            else:  # a version whose command made the whole CSV text, then wrote it
                write_text(path, result.to_csv())

        _step(out, name, write, 1)
        out[f"{name}_mb"] = round(path.stat().st_size / 1e6, 1)
    if fmt == "json" and hasattr(result, "write_json"):
        # The same text again, to the null device: the library's own part, without the kernel filling a new file's
        # pages (the output order and the caches are made by now, so this is a little less than the code's part of
        # the first write).
        _step(out, f"{name}_null", lambda: write_stream(os.devnull, result.write_json), 1)
        out[f"{name}_file_to_null"] = round(out[f"{name}_s"] / out[f"{name}_null_s"], 2)
    out[f"{name}_load_after"] = round(os.getloadavg()[0], 2)
    return out


def measure(size: int, repeat: int, cache: str | None = None) -> dict[str, Any]:
    pages = _pages()
    import asn_kinerja

    dataset = _population(size, cache)
    out: dict[str, Any] = {"employees": size, "pages": pages, "load_before": round(os.getloadavg()[0], 2)}
    start = time.perf_counter()
    result = asn_kinerja.evaluate(asn_kinerja.load_policy("permenpanrb-6-2022"), dataset)
    out["evaluate_s"] = round(time.perf_counter() - start, 3)
    out["maxrss_evaluate_mb"] = _maxrss_mb()
    assert isinstance(result, asn_kinerja.Evaluation)
    sizes: dict[str, int] = {}

    def csv() -> None:
        sizes["csv"] = len(result.to_csv())

    def js() -> None:
        sizes["json"] = len(result.to_json())

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.json"

        def json_file() -> None:
            with path.open("w", encoding="utf-8", newline="") as stream:
                result.write_json(stream)
            sizes["json_file"] = path.stat().st_size

        for name, run in (("csv", csv), ("json", js), ("json_file", json_file)):
            _step(out, name, run, repeat)
    try:
        out["frame_s"] = round(_best(result.to_frame, repeat), 3)
        with tempfile.TemporaryDirectory() as tmp:
            out["parquet_s"] = round(_best(lambda: result.table().write_parquet(Path(tmp) / "r.parquet"), repeat), 3)
        for name in ("csv", "json", "json_file"):
            out[f"{name}_per_frame"] = round(out[f"{name}_s"] / out["frame_s"], 1)
    except ImportError:  # pragma: no cover - without the pandas / arrow extras
        pass
    out["csv_mb"] = round(sizes["csv"] / 1e6, 1)
    out["json_mb"] = round(sizes["json"] / 1e6, 1)
    out["load_after"] = round(os.getloadavg()[0], 2)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--output")
    parser.add_argument("--cache", help="a directory to keep the generated populations in")
    parser.add_argument("--write-json-only", action="store_true", help="only the write_json step, in its own process")
    parser.add_argument("--write-only", action="store_true", help="only the write_json and write_csv steps")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-write", nargs=2, metavar=("FORMAT", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.repeat, args.cache)))
        return 0
    if args.child_write:
        fmt, size = args.child_write
        print(json.dumps(measure_write(int(size), fmt, args.cache)))
        return 0
    rows = []
    cache = ["--cache", args.cache] if args.cache else []
    for size in (int(s) for s in args.sizes.split(",")):
        row: dict[str, Any] = {"employees": size}
        children = [["--child-write", "json", str(size)]]
        if not args.write_json_only:
            children.append(["--child-write", "csv", str(size)])
        if not (args.write_json_only or args.write_only):
            children.append(["--child", str(size), "--repeat", str(args.repeat)])
        for child in children:
            cmd = [sys.executable, __file__, *child, *cache]
            done = subprocess.run(cmd, capture_output=True, text=True, check=True, env=os.environ)
            row |= json.loads(done.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(json.dumps(rows[-1]), flush=True)
    report = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count()}, "runs": rows}
    if args.output:
        Path(args.output).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
