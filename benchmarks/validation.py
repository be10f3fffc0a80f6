"""Validation alone: the cost of ``build_dataset`` (every check of :mod:`asn_kinerja.dataset.build`) on the tables
of a dataset folder once they are read, against the same step of a baseline version of the library in the same run
(issue 15: validation within ~3× of the evaluation itself).

Not a test (pytest does not collect this folder)::

    python benchmarks/validation.py --data DIR [--baseline OLD/src] [--repeat 2]

``DIR`` is a dataset folder, CSV or Parquet (``benchmarks/national.py`` and ``benchmarks/peers.py`` write them).
Each run is a child process that loads the folder with :func:`asn_kinerja.load_dataset` as the command line does
(ordinary memory pages, :func:`asn_kinerja._pages.page_choice`) and times only the validation step
(``build_from_manifest``): wall time, CPU time (user + system), minor page faults (fresh memory touched) and the
load average. With ``--baseline``, a run of the library found in that ``src`` folder (a checkout of an earlier
commit, say) alternates with each run of this one, and the ratios are of the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
SRC = HERE.parent.parent / "src"


def child(folder: str) -> dict[str, Any]:
    """Load the folder and measure the validation step alone (in this process)."""
    import resource
    import time

    from asn_kinerja._pages import page_choice

    page_choice()
    from asn_kinerja.dataset import io

    measured: dict[str, Any] = {}
    build = io.build_from_manifest

    def timed(*args: Any, **kwargs: Any) -> Any:
        before, start = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
        try:
            return build(*args, **kwargs)
        finally:
            after = resource.getrusage(resource.RUSAGE_SELF)
            measured.update(
                wall=time.perf_counter() - start,
                cpu=after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
                faults=after.ru_minflt - before.ru_minflt,
                load=os.getloadavg()[0],
            )

    io.build_from_manifest = timed  # type: ignore[assignment]
    dataset = io.load_dataset(folder, limits=io.DatasetLimits(max_table_bytes=1 << 40))
    measured["employees"] = len(dataset.employees)
    return measured


def run(src: Path, folder: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run(
        [sys.executable, str(HERE), "--child", "--data", folder], env=env, check=True, capture_output=True, text=True
    )
    found: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="a dataset folder (CSV or Parquet)")
    parser.add_argument("--baseline", type=Path, help="the src folder of the version to compare with")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.data)))
        return
    versions = {"this": SRC, **({"baseline": args.baseline} if args.baseline else {})}
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in versions}
    for _ in range(args.repeat):
        for name, src in reversed(versions.items()):  # the baseline first, then this version
            runs[name].append(run(src, args.data))
            print(name, json.dumps(runs[name][-1]), flush=True)
    summary = {
        name: {key: statistics.median(r[key] for r in found) for key in ("wall", "cpu", "faults")}
        for name, found in runs.items()
    }
    if "baseline" in summary:
        summary["ratio"] = {key: summary["this"][key] / summary["baseline"][key] for key in ("wall", "cpu", "faults")}
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
