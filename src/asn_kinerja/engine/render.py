"""Rendering helpers shared by evaluation results: the policy and dataset headers, JSON, CSV and text tables.

>>> print(text_table([{"a": "1", "b": "xyz"}], {"a": "A", "b": "Bee"}, title="T"), end="")
T
<BLANKLINE>
A  Bee
-  ---
1  xyz
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from asn_kinerja.dataset.model import Dataset
from asn_kinerja.engine.table import output_order
from asn_kinerja.policy.model import Policy

__all__ = ["csv_text", "dataset_header", "display_order", "json_text", "policy_header", "text_table"]


def policy_header(policy: Policy) -> dict[str, Any]:
    """The policy as a result names it: id, title, regime, validity and legal reference."""
    return {
        "id": policy.id,
        "title": policy.title,
        "regime": policy.regime,
        "valid_from": policy.valid_from.isoformat(),
        "valid_until": None if policy.valid_until is None else policy.valid_until.isoformat(),
        "reference": attrs.asdict(policy.reference),
    }


def dataset_header(dataset: Dataset) -> dict[str, Any]:
    """The dataset as a result names it: agency and period."""
    return {
        "agency": dataset.agency,
        "period": dataset.period.id,
        "start": dataset.period.start.isoformat(),
        "end": dataset.period.end.isoformat(),
    }


def display_order(dataset: Dataset) -> npt.NDArray[np.intp]:
    """Employee rows in output order: by unit id, then employee id."""
    return output_order(dataset.units.id, dataset.employees.unit, dataset.employees.id)


def json_text(data: Mapping[str, Any], *, indent: int | None = 2) -> str:
    """JSON text with UTF-8 characters kept and the keys in the order given, ending with a newline.

    >>> json_text({"nilai": "85.50", "sebutan": "Baik"}, indent=None)
    '{"nilai": "85.50", "sebutan": "Baik"}\\n'
    """
    return json.dumps(data, ensure_ascii=False, indent=indent) + "\n"


def csv_text(rows: Sequence[Mapping[str, str]], columns: Sequence[str]) -> str:
    """CSV text with a header row and ``\\n`` line ends.

    >>> csv_text([{"a": "1", "b": "x,y"}], ["a", "b"])
    'a,b\\n1,"x,y"\\n'
    """
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def text_table(
    rows: Sequence[Mapping[str, str]],
    heads: Mapping[str, str],
    *,
    title: str,
    right: Sequence[str] = (),
    footer: Sequence[str] = (),
) -> str:
    """A plain-text table: a title, a blank line, the heads (``column → head``), a rule, the rows, then the
    footer lines after a blank line. Columns named in ``right`` are right-aligned (numbers)."""
    columns = list(heads)
    widths = {c: max([len(heads[c]), *(len(r[c]) for r in rows)]) for c in columns}

    def cell(c: str, text: str) -> str:
        return text.rjust(widths[c]) if c in right else text.ljust(widths[c])

    out = [
        title,
        "",
        "  ".join(cell(c, heads[c]) for c in columns).rstrip(),
        "  ".join("-" * widths[c] for c in columns),
    ]
    out += ["  ".join(cell(c, r[c]) for c in columns).rstrip() for r in rows]
    if footer:
        out += ["", *footer]
    return "\n".join(out) + "\n"
