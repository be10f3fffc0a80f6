"""What fresh memory and a new file cost on this machine: the two kernel costs that decide how much the figures
of ``national.py``, ``peers.py`` and ``output.py`` vary from run to run (and between machines) for the same code.

Not a test (pytest does not collect this folder); needs only numpy::

    python benchmarks/machine.py [--gb 2] [--dir DIR] [--hold-gb 3] [--output machine.json]

Each measure runs twice, the second right after the first has been given back, and reports both:

- ``memory``: ``--gb`` GiB of anonymous memory mapped and one byte written in each 4 KiB page (each write a page
  fault: the kernel finds a page and zeroes it); microseconds per page and the system time. On a physical machine or
  an ordinary virtual machine both rounds cost about the same (0.2–2 µs a page). On a virtual machine whose host
  takes back the memory its guest frees (free page reporting, a balloon), the first round may pay for the host
  finding memory too: on the project's benchmark machine 7–11 µs a page for memory not touched in the last minute
  against 2–2.5 µs right after, so a job that touches 3 GB of fresh pages pays 5–8 s of system time, or 1.5–2 s.
- ``file``: ``--gb`` GiB written in 64 KiB pieces to a new file in ``--dir`` (default: the system's temporary
  folder), then the file removed (no ``fsync``: the pages go into the page cache as an output's do); nanoseconds
  per byte and the system time. A new file's page cache is fresh memory too: the 1.2 GB of a million employees'
  JSON took 1–5 s of kernel time on the benchmark machine depending on this.

- ``file_holding``: the same file written while the process holds ``--hold-gb`` GiB (default 3) of memory it has
  written, in ordinary pages, as an evaluation of a million employees holds its arrays when it writes its output;
  ``file_holding_to_file`` is the ratio of the best of each. Where the host takes back freed memory, the pages the
  process holds are the ones the host still backs, and the new file's page cache must come from memory the host
  has taken back: on the benchmark machine 3 GB held made writing 1.2 GB cost 3.3–3.7 s of system time against
  0.5–0.6 s without (a program of a few lines, no library code in it).

``load`` is the one-minute load average before and after. Run it just before a benchmark to read its figures: the
same code measured at 2 µs a page and at 10 µs a page differs by seconds at 1 000 000 employees.
"""

from __future__ import annotations

import argparse
import json
import mmap
import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

PAGE = 4096
PIECE = 1 << 16


def _now() -> tuple[float, float, int]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return time.perf_counter(), usage.ru_stime, usage.ru_minflt


def touch_memory(size: int) -> dict[str, float]:
    """Map ``size`` bytes of anonymous memory and write one byte per page; the time per page and the system time."""
    import numpy as np

    mapped = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    pages = np.frombuffer(mapped, dtype=np.uint8)
    t0, s0, f0 = _now()
    pages[::PAGE] = 1
    t1, s1, f1 = _now()
    del pages
    mapped.close()
    n = size // PAGE
    return {"us_per_page": (t1 - t0) / n * 1e6, "sys_s": s1 - s0, "wall_s": t1 - t0, "page_faults": f1 - f0}


def write_file(size: int, folder: Path) -> dict[str, float]:
    """Write ``size`` bytes to a new file in ``folder`` in pieces of 64 KiB, then remove it; the time per byte."""
    piece = b"x" * PIECE
    with tempfile.NamedTemporaryFile(dir=folder, delete=False) as handle:
        path = Path(handle.name)
    try:
        t0, s0, _ = _now()
        with path.open("wb") as out:
            for _ in range(size // PIECE):
                out.write(piece)
        t1, s1, _ = _now()
    finally:
        path.unlink()
    return {"ns_per_byte": (t1 - t0) / size * 1e9, "sys_s": s1 - s0, "wall_s": t1 - t0}


def write_file_holding(size: int, folder: Path, held: int) -> dict[str, float]:
    """:func:`write_file` while the process holds ``held`` bytes of memory it has written, in ordinary (4 KiB)
    pages, as a large evaluation holds its arrays when it writes its output."""
    import numpy as np

    mapped = mmap.mmap(-1, held, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    if hasattr(mapped, "madvise") and hasattr(mmap, "MADV_NOHUGEPAGE"):
        mapped.madvise(mmap.MADV_NOHUGEPAGE)
    pages = np.frombuffer(mapped, dtype=np.uint8)
    pages[::PAGE] = 1
    try:
        return write_file(size, folder)
    finally:
        del pages
        mapped.close()


def measure(gigabytes: float, folder: Path, held_gigabytes: float = 3.0) -> dict[str, Any]:
    size = int(gigabytes * (1 << 30)) // PIECE * PIECE
    held = int(held_gigabytes * (1 << 30)) // PAGE * PAGE
    report: dict[str, Any] = {"gb": gigabytes, "held_gb": held_gigabytes, "load_before": os.getloadavg()[0]}
    report["memory"] = [touch_memory(size), touch_memory(size)]
    report["file"] = [write_file(size, folder), write_file(size, folder)]
    if held:
        report["file_holding"] = [write_file_holding(size, folder, held) for _ in range(2)]
        plain = min(f["ns_per_byte"] for f in report["file"])
        report["file_holding_to_file"] = min(f["ns_per_byte"] for f in report["file_holding"]) / plain
    report["load_after"] = os.getloadavg()[0]
    first, second = (m["us_per_page"] for m in report["memory"])
    report["memory_first_to_second"] = first / second
    return report


def _gigabytes(text: str) -> float:
    """A ``--gb``/``--hold-gb`` value: a number of GiB, not negative (argparse says so otherwise, exit 2)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of GiB: {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"a number of GiB from 0 up, not {text!r}")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gb", type=_gigabytes, default=2.0, help="GiB of memory to touch and of file to write")
    parser.add_argument("--dir", default=tempfile.gettempdir(), help="the folder of the file written")
    parser.add_argument(
        "--hold-gb", type=_gigabytes, default=3.0, help="GiB of memory held while the file is written again (0: not)"
    )
    parser.add_argument("--output", help="write the report (JSON) here too")
    args = parser.parse_args()
    if args.gb * (1 << 30) < PIECE:
        parser.error(f"--gb: at least one piece of {PIECE} bytes to write, not {args.gb}")
    report = measure(args.gb, Path(args.dir), args.hold_gb)
    text = json.dumps(report, indent=2)
    print(text)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
