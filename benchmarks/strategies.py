"""Aggregation strategies at national scale: ``evaluate`` of one generated population in memory under a policy
per strategy, the mean being the baseline measured in the same process (issue 15: every strategy at 1 000 000
employees in ≤ 3 s and ≤ 3 GB; time per employee roughly constant from 10 000 up).

Not a test (pytest does not collect this folder)::

    python benchmarks/strategies.py [--sizes 10000,100000,1000000] [--repeat 2] [--seed 0]
                                    [--output benchmarks/results/strategies.json] [--cache DIR]

``--cache DIR`` keeps each generated population in ``DIR`` (a pickle, about 1.5 GB at 1 000 000 employees) and
loads it in later runs: generating a million employees takes minutes, evaluating them seconds.

Per size, a fresh child process generates ``asn_kinerja.testing.generate_population(n, seed=seed)`` once, then
evaluates it under each policy (best of ``--repeat``, strategies alternating):

- ``mean``: ``three_sixty`` over atasan 0.5, rekan 0.3, bawahan 0.2 (``examples/policies/three-sixty.yaml``),
  each group's value on a criterion the mean of its raters' scores;
- ``median``: the same with ``central_tendency: median``;
- ``trimmed_mean``: the same with ``central_tendency: trimmed_mean``, ``trim: 0.2``;
- ``citizen_weighted``: ``examples/policies/citizen-weighted.yaml`` (the unit's citizen index weighs 40 %).

Memory: the child's resident set before the first evaluation (``rss_before_bytes``: the population) and, per
strategy, the peak during its evaluations (``VmHWM`` after resetting it through ``/proc/self/clear_refs``, Linux);
``extra_bytes`` is the peak above the population. ``ratio_to_mean`` compares each strategy's time with the mean's
in the same process; ``us_per_employee`` shows linearity across sizes. CPU time of the process (``user_s``,
``sys_s``, of the fastest run) beside the wall time: ``sys_s`` is mostly the kernel providing fresh pages for
large arrays, which grows with how busy and fragmented the machine's memory is; ``load`` is the load average
when the size ends.

Memory pages: the child asks numpy for ordinary pages, as the command line does (``asn_kinerja._pages``; numpy's
transparent huge pages make every fresh large array wait for the kernel to compact memory on machines whose THP
defrag setting is ``madvise``), unless ``NUMPY_MADVISE_HUGEPAGE`` is set, which then decides; ``pages`` in the
report says which. The library itself leaves numpy's setting alone: a library that changed a process-wide switch
of numpy on import would change it for every other array of the program that imports it.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))

from peers import save_report  # noqa: E402

EXAMPLES = HERE.parent.parent / "examples" / "policies"
THREE_SIXTY = (EXAMPLES / "three-sixty.yaml").read_text(encoding="utf-8")
POLICIES = {
    "mean": THREE_SIXTY,
    "median": THREE_SIXTY.replace("central_tendency: mean", "central_tendency: median"),
    "trimmed_mean": THREE_SIXTY.replace("central_tendency: mean", "central_tendency: trimmed_mean\n    trim: 0.2"),
    "citizen_weighted": (EXAMPLES / "citizen-weighted.yaml").read_text(encoding="utf-8"),
}


def _status(field: str) -> int | None:
    status = Path("/proc/self/status")
    if not status.exists():
        return None
    for line in status.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return None


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _population(n: int, seed: int, cache: str | None) -> Any:
    from asn_kinerja.testing import generate_population

    if cache is None:
        return generate_population(n, seed=seed)
    path = Path(cache) / f"population-{n}-{seed}.pickle"
    if path.exists():
        with path.open("rb") as f:
            return pickle.load(f)  # a file this script wrote
    dataset = generate_population(n, seed=seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        pickle.dump(dataset, f, protocol=pickle.HIGHEST_PROTOCOL)
    return dataset


def _pages() -> str:
    """Ask numpy for ordinary memory pages as the command line does (unless ``NUMPY_MADVISE_HUGEPAGE`` decides):
    which pages the run uses."""
    from asn_kinerja._pages import page_choice

    return page_choice()


def child(n: int, seed: int, repeat: int, cache: str | None = None) -> dict[str, Any]:
    pages = _pages()
    from asn_kinerja import evaluate, load_policy
    from asn_kinerja.testing import generate_population

    with tempfile.TemporaryDirectory() as tmp:
        policies = {}
        for name, text in POLICIES.items():
            path = Path(tmp) / f"{name}.yaml"
            path.write_text(text.replace("id: bungo-", f"id: bench-{name}-"), encoding="utf-8")
            policies[name] = load_policy(path)
    for name, policy in policies.items():  # each policy is the strategy it is named after
        settings = policy.perilaku_kerja
        kind = settings.strategy if settings.three_sixty is None else settings.three_sixty.central_tendency
        assert kind == name or (kind, name) == ("citizen_weighted", "citizen_weighted"), (name, kind)
    t0 = time.perf_counter()
    dataset = _population(n, seed, cache)
    generate_s = time.perf_counter() - t0
    evaluate(policies["mean"], generate_population(100, seed=seed))  # imports and caches warmed on a small one
    rss_before = _status("VmRSS")
    times: dict[str, list[float]] = {name: [] for name in policies}
    cpu: dict[str, list[tuple[float, float]]] = {name: [] for name in policies}
    peaks: dict[str, int] = {}
    for _ in range(repeat):
        for name, policy in policies.items():
            reset = _reset_peak()
            before = resource.getrusage(resource.RUSAGE_SELF)
            t = time.perf_counter()
            result = evaluate(policy, dataset)
            times[name].append(time.perf_counter() - t)
            after = resource.getrusage(resource.RUSAGE_SELF)
            cpu[name].append((after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime))
            del result
            peak = _status("VmHWM") if reset else None
            if peak is not None:
                peaks[name] = max(peaks.get(name, 0), peak)
    mean_s = min(times["mean"])
    strategies = {
        name: {
            "s": min(t),
            "s_all": t,
            "user_s": cpu[name][t.index(min(t))][0],
            "sys_s": cpu[name][t.index(min(t))][1],
            "us_per_employee": min(t) / n * 1e6,
            "ratio_to_mean": min(t) / mean_s,
            "peak_bytes": peaks.get(name),
            "extra_bytes": None if name not in peaks or rss_before is None else peaks[name] - rss_before,
        }
        for name, t in times.items()
    }
    return {
        "employees": n,
        "pages": pages,
        "ratings": len(dataset.ratings),
        "generate_s": generate_s,
        "rss_before_bytes": rss_before,
        "strategies": strategies,
        "load": os.getloadavg(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", help="write the report (JSON) here")
    parser.add_argument("--cache", help="keep generated populations in this folder and load them from it")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.seed, args.repeat, args.cache)))
        return 0
    sizes = []
    for s in args.sizes.split(","):
        cmd = [sys.executable, str(HERE), "--child", s, "--seed", str(args.seed), "--repeat", str(args.repeat)]
        cmd += ["--cache", args.cache] if args.cache else []
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"size {s} failed:\n{done.stderr[-4000:]}")
        size = json.loads(done.stdout.strip().splitlines()[-1])
        print(json.dumps(size), flush=True)
        sizes.append(size)
    save_report(args.output, sizes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
