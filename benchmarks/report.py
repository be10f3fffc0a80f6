"""Benchmark of the HTML report: ``python benchmarks/report.py [--employees 10000]``.

A synthetic population (:func:`asn_kinerja.testing.generate_population`, generated and evaluated before anything
is timed), then

- ``report``: :func:`asn_kinerja.report.evaluation_report` of the evaluation (gathering the published columns,
  the units, the charts, the tables, the page), the first run and the best of ``--repeat``; the baseline is the
  evaluation itself (``evaluate``, best of ``--repeat``, same run), so ``report_over_evaluate`` is a ratio;
- ``browser``: the report written to a file and opened in headless Chromium (``tests/cdp.py``, Debian's
  ``chromium``): the time from navigation to the end of the load event as the browser measures it
  (``PerformanceNavigationTiming.loadEventEnd``), the first and the best of ``--repeat`` loads, against the load of
  a one-line page in the same browser (``blank_load_ms``).

Targets (issue: a report people read): the report of 10 000 employees made in ≤ 5 s and loaded in ≤ 3 s. The
result is printed as JSON (and written to ``--output``). Not a test: nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import asn_kinerja
from asn_kinerja.report import evaluation_report
from asn_kinerja.testing import generate_population

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from cdp import browser, chromium_path  # noqa: E402  (the test suite's DevTools driver)


def best(fn: Any, repeat: int) -> tuple[float, float, Any]:
    """(first, best) wall seconds of ``repeat`` runs of ``fn``, and its last value."""
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return times[0], min(times), value


def load_ms(page: Any, path: Path) -> float:
    page.open(path)
    value = page.evaluate('performance.getEntriesByType("navigation")[0].loadEventEnd')
    if page.errors():
        raise RuntimeError(f"errors in the page: {page.errors()}")
    return float(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--policy", default="permenpanrb-6-2022")
    parser.add_argument("--lang", default="id")
    parser.add_argument("--output", help="also write the JSON result to this file")
    args = parser.parse_args()

    dataset = generate_population(args.employees, seed=args.seed)
    policy = asn_kinerja.load_policy(args.policy)
    _, evaluate_best, result = best(lambda: asn_kinerja.evaluate(policy, dataset), args.repeat)
    report_first, report_best, page = best(lambda: evaluation_report(result, lang=args.lang), args.repeat)
    out: dict[str, Any] = {
        "command": " ".join(sys.argv),
        "asn_kinerja": asn_kinerja.__version__,
        "python": platform.python_version(),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "employees": len(result),
        "units": len(dataset.units),
        "policy": policy.id,
        "evaluate_best_s": round(evaluate_best, 4),
        "report_first_s": round(report_first, 4),
        "report_best_s": round(report_best, 4),
        "report_over_evaluate": round(report_best / evaluate_best, 2),
        "report_bytes": len(page.encode("utf-8")),
        "report_target_s": 5.0,
    }
    executable = chromium_path()
    if executable is None:
        out["browser"] = "no Chromium (apt-get install chromium): not measured"
    else:
        with tempfile.TemporaryDirectory() as folder:
            report_file, blank = Path(folder) / "report.html", Path(folder) / "blank.html"
            report_file.write_text(page, encoding="utf-8")
            blank.write_text('<!DOCTYPE html><html lang="id"><title>x</title><p>x</p></html>', encoding="utf-8")
            with browser(executable) as tab:
                blank_ms = min(load_ms(tab, blank) for _ in range(args.repeat))
                loads = [load_ms(tab, report_file) for _ in range(args.repeat)]
                rows = tab.evaluate('document.querySelectorAll("#employees-table tbody tr").length')
        out |= {
            "browser": executable,
            "load_first_ms": round(loads[0], 1),
            "load_best_ms": round(min(loads), 1),
            "blank_load_ms": round(blank_ms, 1),
            "load_target_ms": 3000,
            "rows_in_browser": rows,
        }
    text = json.dumps(out, indent=2)
    print(text)
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
