"""The shared vocabulary of distributed evaluation: the tables, the column naming each row's owner, the optional
imports of the ``dask`` extra, and ids read as text exactly as the validator reads them."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any

from asn_kinerja.errors import Problem

__all__ = ["OWNER", "PERIOD", "REQUIRED", "TABLES", "as_text", "has", "isin", "prefixed", "require"]

#: The tables of a dataset, in the order of :func:`~asn_kinerja.dataset.frames.from_frames`.
TABLES = ("units", "employees", "rhk", "indicators", "ratings", "evaluations", "surveys", "adjustments")
REQUIRED = ("units", "employees", "rhk", "indicators")
#: The column naming each row's owner, and the table the owner is in.
OWNER = {
    "employees": ("unit_id", "units"),
    "surveys": ("unit_id", "units"),
    "rhk": ("employee_id", "employees"),
    "indicators": ("rhk_id", "rhk"),
    "ratings": ("ratee_id", "employees"),
    "evaluations": ("employee_id", "employees"),
    "adjustments": ("employee_id", "employees"),
}
PERIOD = "period"


def require(module: str) -> Any:
    """Import an optional dependency of the ``dask`` extra, or raise an ``ImportError`` naming the extra."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(
            f"{module} is needed for distributed evaluation; install it with: pip install 'asn_kinerja[dask]'"
        ) from exc


def as_text(series: Any) -> Any:
    """Cells as stripped text (pandas ``string``), ``<NA>`` for an empty cell: ids as the validator reads them."""
    pd = require("pandas")
    if isinstance(series.dtype, pd.CategoricalDtype):  # the categories once, then their codes
        categories = as_text(pd.Series(series.cat.categories))
        taken = categories.array.take(series.cat.codes.to_numpy(), allow_fill=True)
        return pd.Series(taken, index=series.index, name=series.name)
    out = series.astype("string").str.strip()
    empty = (out == "").to_numpy(dtype=bool, na_value=False)
    return out.mask(empty) if empty.any() else out


def has(frame: Any, column: str) -> bool:
    return column in frame.columns


def isin(values: Any, pool: Any) -> Any:
    """Which cells of a text column are in ``pool`` (a text column or a collection of text), as a numpy boolean
    array (an empty cell is in no pool): one hash pass in Arrow, whatever the sizes."""
    pa = require("pyarrow")
    pc = require("pyarrow.compute")
    if not hasattr(pool, "dtype"):
        pool = list(pool)
    column = pa.array(as_text(values) if values.dtype != "string" else values).cast(pa.string())
    allowed = pa.array(pool, type=pa.string()) if isinstance(pool, list) else pa.array(pool).cast(pa.string())
    found = pc.is_in(column, value_set=allowed.drop_null())
    return found.fill_null(False).to_numpy(zero_copy_only=False)


def prefixed(problems: Iterable[Problem], period: str) -> list[Problem]:
    return [
        Problem(
            p.message,
            source=f"{period}/{p.source}" if p.source else period,
            line=p.line,
            record=p.record,
            field=p.field,
        )
        for p in problems
    ]
