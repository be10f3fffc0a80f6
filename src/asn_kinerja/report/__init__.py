"""One self-contained HTML report per evaluation and per comparison, to open, read and print.

The page holds everything: its stylesheet (with an A4 print layout: a page per unit, table headings repeated,
rows never cut), its charts as inline SVG drawn by :mod:`asn_kinerja.report.svg`, and a small script that makes
the employee table searchable and the tables sortable — the page reads and prints without it. A content security
policy forbids every fetch. Indonesian by default, English with ``lang="en"``.

The report shows only what the evaluation publishes (its JSON, CSV and frame are made of the same columns): a
behaviour score computed from anonymous ratings reads "tidak dipublikasikan" / "withheld", and no withheld figure
appears anywhere in the file (docs/privacy.md).

>>> import asn_kinerja
>>> data = asn_kinerja.load_dataset("examples/bungo/data")
>>> result = asn_kinerja.evaluate(asn_kinerja.load_policy("permenpanrb-6-2022"), data)
>>> page = result.report()
>>> page == evaluation_report(result), "Sekretariat" in page
(True, True)
"""

from __future__ import annotations

import os

from asn_kinerja._files import write_text_atomic
from asn_kinerja.report.comparison import comparison_report
from asn_kinerja.report.evaluation import evaluation_report

__all__ = ["comparison_report", "evaluation_report", "save"]


def save(page: str, path: str | os.PathLike[str] | None) -> str:
    """Write ``page`` to ``path`` (atomically: whole or not at all) unless ``path`` is ``None``; return it."""
    if path is not None:
        write_text_atomic(page, path)
    return page
