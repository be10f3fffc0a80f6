"""Parts shared by the evaluation and the comparison reports: the heading facts, the legal basis of a policy, a
unit's verdict, a distribution table and the sections' frame."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from asn_kinerja import __version__
from asn_kinerja.dataset.model import Dataset
from asn_kinerja.engine.organisation import UnitReport
from asn_kinerja.engine.organisation import _percent as percent
from asn_kinerja.model import Predikat
from asn_kinerja.policy.model import Policy
from asn_kinerja.report.page import Cell, e, table
from asn_kinerja.report.svg import swatch
from asn_kinerja.yamlschema.converter import Reference

__all__ = [
    "Words",
    "contents",
    "distribution_table",
    "employee_table",
    "facts",
    "footer",
    "policy_text",
    "predikat_cell",
    "references",
    "section",
    "verdict",
    "verdict_sort",
]

Words = Callable[..., str]


def section(ident: str, heading: str, body: str, *, css: str = "chapter") -> str:
    """A section with an id (for the contents) and a level-2 heading."""
    return f'<section class="{css}" id="{e(ident)}" aria-labelledby="{e(ident)}-h">\n<h2 id="{e(ident)}-h">' + (
        f"{e(heading)}</h2>\n{body}\n</section>"
    )


def contents(entries: list[tuple[str, str]], words: Words) -> str:
    items = "".join(f'<li><a href="#{e(ident)}">{e(label)}</a></li>' for ident, label in entries)
    return f'<nav class="toc" aria-label="{e(words("contents"))}"><h2>{e(words("contents"))}</h2><ol>{items}</ol></nav>'


def policy_text(policy: Policy, words: Words) -> str:
    """The policy in one line: title, id, regime and validity."""
    start = policy.valid_from.isoformat()
    valid = (
        words("valid_from", start=start)
        if policy.valid_until is None
        else words("valid_between", start=start, end=policy.valid_until.isoformat())
    )
    return words("policy_value", title=policy.title, id=policy.id, regime=policy.regime, valid=valid)


def _reference(ref: Reference) -> str:
    text = e(str(ref))
    if ref.url and ref.url.startswith(("https://", "http://")):
        text += f' — <a href="{e(ref.url)}" rel="noreferrer noopener">{e(ref.url)}</a>'
    return text


def facts(title: str, dataset: Dataset, policies: list[tuple[str, Policy]], words: Words) -> str:
    """The report's heading: its title, the agency, the period and each policy with its legal reference."""
    period = dataset.period
    rows = [
        (words("agency"), e(dataset.agency)),
        (
            words("period"),
            e(words("period_value", id=period.id, start=period.start.isoformat(), end=period.end.isoformat())),
        ),
    ]
    for label, policy in policies:
        rows.append((label, e(policy_text(policy, words)) + "<br>" + _reference(policy.reference)))
    items = "".join(f"<dt>{e(k)}</dt><dd>{v}</dd>" for k, v in rows)
    return f'<header class="report">\n<h1>{e(title)}</h1>\n<dl class="facts">{items}</dl>\n</header>'


def references(policy: Policy, words: Words) -> str:
    """The legal basis of each part of the policy (its references by key path), as a table."""
    rows = []
    entries = [("", policy.reference), *sorted((k, v) for k, v in policy.references.items() if k)]
    for key, ref in entries:
        rows.append(
            [
                Cell(key or words("whole_policy"), header=True),
                Cell(markup=_reference(ref)),
                ref.note.strip() if ref.note else "",
            ]
        )
    return table(
        [words("part"), words("reference"), words("note")],
        rows,
        caption=words("references_caption", policy=policy.id),
    )


def verdict(report: UnitReport, words: Words) -> str:
    """The unit's verdict under the guidance as a labelled badge (the words carry it, the colour repeats it)."""
    if report.ok is None:
        return f'<span class="badge na">{e(words("not_applicable"))}</span>'
    if report.ok:
        return f'<span class="badge ok">{e(words("meets"))}</span>'
    return f'<span class="badge bad">{e(words("violates"))}</span>'


def verdict_sort(report: UnitReport) -> int:
    """The verdict as a sort key: violated first, then met, then not applicable."""
    return 2 if report.ok is None else 1 if report.ok else 0


def predikat_cell(p: Predikat, *, adjusted: bool = False, header: bool = False) -> Cell:
    """A predikat with its swatch, sorting by rank (Sangat Baik first)."""
    mark = " *" if adjusted else ""
    return Cell(markup=f"{swatch(p)}{e(p.label)}{mark}", sort=p.code, header=header)


def distribution_table(counts: Mapping[Predikat, int], caption: str, words: Words) -> str:
    """Counts and shares (half-up to 2 decimals) per predikat, with the total."""
    n = sum(counts.values())
    rows: list[list[Cell | object]] = [
        [predikat_cell(p, header=True), Cell(counts[p], numeric=True), Cell(f"{percent(counts[p], n)} %", numeric=True)]
        for p in Predikat
    ]
    total = Cell("100.00 %" if n else "—", numeric=True)
    rows.append([Cell(words("total"), header=True), Cell(n, numeric=True), total])
    heads: list[str | Cell] = [
        words("predikat"),
        Cell(words("count"), numeric=True),
        Cell(words("share"), numeric=True),
    ]
    return table(heads, rows, caption=caption)


def employee_table(
    heads: Sequence[str | Cell], rows: Iterable[Sequence[Cell | object]], caption: str, words: Words
) -> str:
    """The page's employee table (id ``employees-table``): sortable, with a search field added by the script."""
    attributes = {
        "id": "employees-table",
        "class": "wide",
        "data-search": words("search"),
        "data-placeholder": words("search_placeholder"),
        "data-status": words("search_status", shown="{shown}", total="{total}"),
    }
    wrapped = table(heads, rows, caption=caption, attributes=attributes, sortable=True)
    return f"<p>{e(words('employees_intro'))}</p>" + f'<div class="table-wrap">{wrapped}</div>'


def footer(words: Words) -> str:
    return f"<footer><p>{e(words('generated_by', version=__version__))}</p></footer>"
