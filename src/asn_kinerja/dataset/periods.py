"""Several evaluation periods of one agency: periodic (monthly, quarterly, semester) and annual datasets.

A folder holds one dataset folder per period (each with its own ``dataset.yaml``)::

    bungo-2025/
      2025-q1/   dataset.yaml (period 2025-Q1, quarterly), units.csv, employees.csv, ...
      2025-q2/   ...
      2025/      dataset.yaml (period 2025, annual), ...

:func:`load_periods` loads them all, ordered by the start of their period; every problem of every period is
reported in one :class:`~asn_kinerja.DataError`.
"""

from __future__ import annotations

from pathlib import Path

from asn_kinerja.dataset.io import MANIFEST, load_dataset
from asn_kinerja.dataset.limits import DatasetLimits
from asn_kinerja.dataset.model import Dataset
from asn_kinerja.errors import DataError, Problem

__all__ = ["is_period_folder", "load_periods"]


def is_period_folder(path: str | Path) -> bool:
    """Whether ``path`` is a folder of period datasets (no manifest of its own, sub-folders with one)."""
    root = Path(path)
    return root.is_dir() and not (root / MANIFEST).is_file() and any((p / MANIFEST).is_file() for p in root.iterdir())


def load_periods(path: str | Path, *, limits: DatasetLimits | None = None) -> tuple[Dataset, ...]:
    """Load every period dataset in a folder, ordered by period start (then id), each within ``limits``.

    The periods must belong to one agency and have distinct ids.
    """
    root = Path(path)
    folders = sorted(p for p in root.iterdir() if (p / MANIFEST).is_file()) if root.is_dir() else []
    if not folders:
        raise DataError([Problem(f"no period folders (sub-folders with a {MANIFEST})", source=str(root))])
    problems: list[Problem] = []
    datasets: list[Dataset] = []
    for folder in folders:
        try:
            datasets.append(load_dataset(folder, limits=limits))
        except DataError as exc:
            problems.extend(
                Problem(
                    p.message,
                    source=f"{folder.name}/{p.source}" if p.source else folder.name,
                    line=p.line,
                    record=p.record,
                    field=p.field,
                )
                for p in exc.problems
            )
    agencies = {d.agency for d in datasets}
    if len(agencies) > 1:
        problems.append(
            Problem(f"the periods belong to different agencies: {sorted(agencies)}", source=root.name, field="agency")
        )
    seen: dict[str, str] = {}
    for folder, d in zip(folders, datasets, strict=False):
        if d.period.id in seen:
            problems.append(
                Problem(
                    f"period {d.period.id!r} appears twice (also in {seen[d.period.id]})",
                    source=f"{folder.name}/{MANIFEST}",
                    field="period.id",
                )
            )
        seen[d.period.id] = folder.name
    if problems:
        raise DataError(problems)
    return tuple(sorted(datasets, key=lambda d: (d.period.start, d.period.id)))
