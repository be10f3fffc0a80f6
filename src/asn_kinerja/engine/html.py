"""HTML for notebooks (Jupyter's ``_repr_html_``): the HTML table :meth:`~asn_kinerja.engine.table.ResultTable.to_html`
renders, paragraphs, and an evaluation's page; every text is escaped.

>>> print(html_table([["<b>", 1]], ["Nama", "n"], caption="A & B", right=[1]))
<table class="asn-kinerja">
<caption>A &amp; B</caption>
<thead><tr><th style="text-align:left">Nama</th><th style="text-align:right">n</th></tr></thead>
<tbody>
<tr><td style="text-align:left">&lt;b&gt;</td><td style="text-align:right">1</td></tr>
</tbody>
</table>
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from asn_kinerja.engine.result import Evaluation

__all__ = ["MAX_ROWS", "evaluation_html", "html_table", "paragraph"]

#: Rows shown by a notebook table before the rest is summarised in a note (a notebook is not a report).
MAX_ROWS = 50


def html_table(
    rows: Iterable[Sequence[object]],
    heads: Sequence[str],
    *,
    caption: str | None = None,
    right: Iterable[int] = (),
) -> str:
    """An HTML table; every head, cell and the caption are escaped with :func:`html.escape`. Columns whose
    positions are in ``right`` are right-aligned (numbers)."""
    right = set(right)

    def cell(tag: str, i: int, value: object) -> str:
        align = "right" if i in right else "left"
        return f'<{tag} style="text-align:{align}">{html.escape(str(value))}</{tag}>'

    out = ['<table class="asn-kinerja">']
    if caption is not None:
        out.append(f"<caption>{html.escape(caption)}</caption>")
    out.append("<thead><tr>" + "".join(cell("th", i, h) for i, h in enumerate(heads)) + "</tr></thead>")
    out.append("<tbody>")
    out += ["<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in rows]
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def paragraph(text: str) -> str:
    """A paragraph of escaped text."""
    return f"<p>{html.escape(text)}</p>"


def evaluation_html(evaluation: Evaluation) -> str:
    """An evaluation as HTML: a heading line, the predikat counts, and the employees in output order (the first
    :data:`MAX_ROWS`, then a note of how many more); a behaviour score not published reads "withheld"."""
    from asn_kinerja.engine.result import PEOPLE_HEADS
    from asn_kinerja.engine.table import Column, ResultTable

    columns = evaluation.people_columns(np.arange(min(len(evaluation), MAX_ROWS)))
    heads = {**PEOPLE_HEADS, "capaian": "Capaian", "perilaku_score": "Skor perilaku"}
    people = ResultTable(tuple(Column.text(name, columns[name]) for name in heads))
    title = f"{evaluation.dataset.agency} — periode {evaluation.dataset.period.id} — kebijakan {evaluation.policy.id}"
    counts = "Predikat: " + ", ".join(f"{p.label} {c}" for p, c in evaluation.counts().items())
    parts = [paragraph(counts), people.to_html(heads, caption=title, right=["capaian", "perilaku_score"])]
    if len(evaluation) > MAX_ROWS:
        more = len(evaluation) - MAX_ROWS
        parts.append(paragraph(f"… and {more} more employees (to_csv() or to_json() has them all)"))
    parts.append(paragraph("Dasar: G = given by the evaluator, S = suggested from evidence; * = adjusted"))
    return "<div>\n" + "\n".join(parts) + "\n</div>"
