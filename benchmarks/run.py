"""Benchmarks of the population engine: ``python benchmarks/run.py [--sizes 10000,100000,1000000]``.

For each size, in a fresh child process (so that memory figures are its own): a synthetic population
(:func:`asn_kinerja.testing.generate_population`, already validated, in memory), then

- ``evaluate``: the whole population end to end (:func:`asn_kinerja.evaluate`), the first run and the best of
  ``--repeat`` runs;
- ``peak``: the memory the evaluation allocates at its peak (``tracemalloc``, numpy's buffers included, on a
  separate run), and the child's maximum resident set size (``resource.getrusage``, data generation included);
- ``floor``: one bare numpy pass over the same indicators and ratings that any implementation must make (capaian
  of each indicator, weighted sums per employee, counts and sums of every rating per ratee × rater group ×
  criterion, the means, thresholds and the matrix), best of ``--repeat``;
- ``loop``: ``--sample`` employees of the same population through the one-employee-at-a-time public API: a
  one-employee dataset built with ``from_records`` (the employee, their unit, RHK, indicators with realisation,
  the supervisor's and their own BerAKHLAK ratings, the evaluator's ratings) and evaluated; its predikat is checked
  against the population's.

The report (``--output``, JSON; fields in ``benchmarks/README.md``) and a table on standard output. Benchmarks are
not tests: nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

import asn_kinerja
from asn_kinerja.model import (
    Direction as Dir,
)
from asn_kinerja.model import (
    Employee,
    Indicator,
    JenisJabatan,
    JenisRhk,
    Predikat,
    RaterGroup,
    Rating,
    RatingRecord,
    Realisasi,
    RencanaHasilKerja,
    Target,
    Unit,
)
from asn_kinerja.testing import generate_population

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "results" / "report.json"


def floor(dataset: asn_kinerja.Dataset) -> np.ndarray:
    """The bare pass: what any implementation of the regime must compute from the same arrays."""
    n = len(dataset.employees)
    ind = dataset.indicators
    bound = np.where(ind.realisasi > ind.target_high, ind.target_high, ind.target_low)
    capaian = ind.realisasi / bound * 100.0
    owner = ind.employee
    weighted = np.bincount(owner, weights=ind.weight * capaian, minlength=n)
    hasil_kerja = weighted / np.bincount(owner, weights=ind.weight, minlength=n)
    rt = dataset.ratings
    criteria = len(rt.criterion_names)
    groups = len(RaterGroup)
    key = (rt.ratee.astype(np.int64) * groups + rt.group) * criteria + rt.criterion_code
    size = n * groups * criteria
    sums = np.bincount(key, weights=rt.score, minlength=size).reshape(n, groups, criteria)
    counts = np.bincount(key, minlength=size).reshape(n, groups, criteria)
    with np.errstate(invalid="ignore", divide="ignore"):
        perilaku = (sums[:, 0] / counts[:, 0]).mean(axis=1)
    table = np.arange(9, dtype=np.int8).reshape(3, 3)
    return table[np.digitize(hasil_kerja, [90.0, 110.0]), np.digitize(perilaku, [3.0, 4.5])]


def _best(fn: Any, repeat: int) -> tuple[float, float]:
    """First and best wall time of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times[0], min(times)


def _dec(x: float) -> Decimal:
    return Decimal(repr(float(x)))


def _one_employee_records(dataset: asn_kinerja.Dataset, row: int) -> dict[str, Any]:
    """What a district system would send for one employee: the model objects of the public API."""
    emp = dataset.employees
    units = dataset.units
    u = int(emp.unit[row])
    eid = str(emp.id[row])
    rhk_rows = np.flatnonzero(dataset.rhk.employee == row)
    ind_rows = np.flatnonzero(dataset.indicators.employee == row)
    rt = dataset.ratings
    mine = np.flatnonzero(rt.ratee == row)
    keep = mine[(rt.group[mine] == RaterGroup.ATASAN.code) | (rt.group[mine] == RaterGroup.DIRI.code)]
    ind = dataset.indicators
    hk, pk = int(emp.rating_hasil_kerja[row]), int(emp.rating_perilaku_kerja[row])
    return {
        "units": [Unit(str(units.id[u]), str(units.name[u]), service_unit=bool(units.service_unit[u]))],
        "employees": [
            Employee(
                eid,
                str(emp.name[row]),
                str(units.id[u]),
                JenisJabatan.from_code(int(emp.jenis_jabatan[row])),
                None if emp.jenjang[row] is None else str(emp.jenjang[row]),
            )
        ],
        "rhk": [
            RencanaHasilKerja(str(dataset.rhk.id[r]), eid, "RHK", JenisRhk.from_code(int(dataset.rhk.jenis[r])))
            for r in rhk_rows
        ],
        "indicators": [
            Indicator(
                str(ind.id[i]),
                str(dataset.rhk.id[ind.rhk[i]]),
                "IKI",
                Target(_dec(ind.target_low[i]), _dec(ind.target_high[i])),
                direction=Dir.from_code(int(ind.direction[i])),
                weight=_dec(ind.weight[i]),
            )
            for i in ind_rows
        ],
        "realisasi": [
            Realisasi(str(ind.id[i]), _dec(ind.realisasi[i])) for i in ind_rows if ind.realisasi[i] == ind.realisasi[i]
        ],
        "ratings": [
            RatingRecord(
                eid,
                eid if rt.group[k] == RaterGroup.DIRI.code else "PENILAI",
                RaterGroup.from_code(int(rt.group[k])),
                str(rt.criterion[k]),
                _dec(rt.score[k]),
            )
            for k in keep
        ],
        "evaluations": {
            eid: (
                None if hk < 0 else Rating.from_code(hk),
                None if pk < 0 else Rating.from_code(pk),
            )
        },
    }


def measure(n: int, *, seed: int, repeat: int, sample: int, policy_ref: str) -> dict[str, Any]:
    """Everything for one size (run in a child process)."""
    policy = asn_kinerja.load_policy(policy_ref)
    start = time.perf_counter()
    dataset = generate_population(n, seed=seed)
    generate_s = time.perf_counter() - start
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    arrays = [
        getattr(getattr(dataset, t), c)
        for t in ("units", "employees", "rhk", "indicators", "ratings", "surveys")
        for c in dir(getattr(dataset, t))
        if not c.startswith("_")
        and c not in ("rater_id", "criterion", "score_places")
        and isinstance(getattr(getattr(dataset, t), c, None), np.ndarray)
    ]
    dataset_bytes = sum(a.nbytes for a in arrays)

    result: Any = None

    def run() -> None:
        nonlocal result
        result = asn_kinerja.evaluate(policy, dataset)

    first_s, best_s = _best(run, repeat)
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    asn_kinerja.evaluate(policy, dataset)
    peak_bytes = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    floor_first_s, floor_best_s = _best(lambda: floor(dataset), repeat)

    rows = np.random.default_rng(seed).choice(n, min(sample, n), replace=False)
    records = [_one_employee_records(dataset, int(r)) for r in rows]
    period = dataset.period
    loop_start = time.perf_counter()
    predikat = []
    for rec in records:
        one = asn_kinerja.from_records(agency=dataset.agency, period=period, scale=(1, 5), **rec)
        predikat.append(asn_kinerja.evaluate(policy, one).result(0).predikat)
    loop_s = time.perf_counter() - loop_start
    agree = sum(p.code == int(result.predikat[r]) for p, r in zip(predikat, rows, strict=True))
    per_employee = best_s / n
    loop_per_employee = loop_s / len(rows)
    return {
        "employees": n,
        "indicators": len(dataset.indicators),
        "ratings": len(dataset.ratings),
        "units": len(dataset.units),
        "survey_responses": len(dataset.surveys),
        "policy": policy.id,
        "generate_s": generate_s,
        "dataset_array_bytes": dataset_bytes,
        "evaluate_first_s": first_s,
        "evaluate_best_s": best_s,
        "evaluate_per_employee_us": per_employee * 1e6,
        "evaluate_peak_tracemalloc_bytes": peak_bytes,
        "maxrss_before_evaluate_bytes": rss_before,
        "maxrss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "floor_first_s": floor_first_s,
        "floor_best_s": floor_best_s,
        "ratio_to_floor": best_s / floor_best_s,
        "loop_sample": len(rows),
        "loop_s": loop_s,
        "loop_per_employee_us": loop_per_employee * 1e6,
        "speedup_vs_loop": loop_per_employee / per_employee,
        "loop_predikat_agree": agree,
        "predikat_counts": {p.label: int((result.predikat == p.code).sum()) for p in Predikat},
    }


def _child(args: argparse.Namespace) -> None:
    out = measure(args.child, seed=args.seed, repeat=args.repeat, sample=args.sample, policy_ref=args.policy)
    print(json.dumps(out))


def _table(rows: list[dict[str, Any]]) -> str:
    heads = [
        ("employees", "employees", "{:,}"),
        ("ratings", "ratings", "{:,}"),
        ("evaluate_best_s", "evaluate s", "{:.2f}"),
        ("evaluate_first_s", "first run s", "{:.2f}"),
        ("evaluate_per_employee_us", "µs/employee", "{:.2f}"),
        ("evaluate_peak_tracemalloc_bytes", "peak MB", "{:,.0f}"),
        ("maxrss_bytes", "maxrss MB", "{:,.0f}"),
        ("floor_best_s", "floor s", "{:.2f}"),
        ("ratio_to_floor", "× floor", "{:.2f}"),
        ("loop_per_employee_us", "loop µs/employee", "{:,.0f}"),
        ("speedup_vs_loop", "× faster than loop", "{:,.0f}"),
    ]

    def cell(row: dict[str, Any], key: str, fmt: str) -> str:
        value = row[key]
        return fmt.format(value / 2**20 if key.endswith("bytes") else value)

    lines = ["| " + " | ".join(h for _, h, _ in heads) + " |", "|" + "---:|" * len(heads)]
    lines += ["| " + " | ".join(cell(r, k, f) for k, _, f in heads) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="population sizes, comma-separated")
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT), help="the JSON report")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="runs of evaluate and floor (best is reported)")
    parser.add_argument("--sample", type=int, default=200, help="employees through the one-at-a-time loop")
    parser.add_argument("--policy", default="permenpanrb-6-2022", help="a built-in policy id or a YAML file")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        _child(args)
        return 0
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"… {size:,} employees", file=sys.stderr, flush=True)
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                str(size),
                "--seed",
                str(args.seed),
                "--repeat",
                str(args.repeat),
                "--sample",
                str(args.sample),
                "--policy",
                args.policy,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode:
            print(child.stderr, file=sys.stderr)
            return 1
        rows.append(json.loads(child.stdout.strip().splitlines()[-1]))
    report = {
        "command": "python benchmarks/run.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "asn_kinerja": asn_kinerja.__version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "processor": platform.machine()},
        "memory_measure": "evaluate_peak_tracemalloc_bytes: tracemalloc peak during one evaluate call (numpy "
        "buffers included); maxrss_bytes: resource.getrusage(RUSAGE_SELF).ru_maxrss of the child process "
        "(generation included)",
        "sizes": rows,
    }
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(_table(rows))
    print(f"\nreport: {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
