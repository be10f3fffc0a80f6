"""The report of a comparison of two policies on one dataset: both policies with their legal basis, the predikat
distribution under each, the transition matrix, each unit's moves and guidance verdicts under A and B, each changed
employee with the steps of the evaluation that differ, and every employee's predikat under A and B.

Everything shown is what :class:`~asn_kinerja.Comparison` and the two evaluations publish (a behaviour score from
anonymous ratings reads "withheld" in the evidence and the steps).

>>> import asn_kinerja
>>> c = asn_kinerja.compare("permenpanrb-6-2022", "examples/policies/three-sixty.yaml", "examples/bungo/data")
>>> page = comparison_report(c)
>>> '<html lang="id">' in page, page.count('<section class="unit"'), page.count('class="mover"')
(True, 8, 2)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from asn_kinerja.comparison import Change, Comparison, StepChange, UnitComparison
from asn_kinerja.engine.organisation import _percent as percent
from asn_kinerja.model import Predikat
from asn_kinerja.report import parts as shared
from asn_kinerja.report.data import PublishedEmployee, published_employees
from asn_kinerja.report.i18n import texts
from asn_kinerja.report.page import Cell, document, e, table
from asn_kinerja.report.parts import Words
from asn_kinerja.report.style import HEAT_LEVELS
from asn_kinerja.report.svg import pair_chart

__all__ = ["comparison_report"]


def _heat(count: int, largest: int) -> str:
    """The cell's shade: 0 for none, else 1 … 4 by its share of the largest off-diagonal count."""
    if count == 0 or largest == 0:
        return "heat0"
    return f"heat{max(1, -(-count * (len(HEAT_LEVELS) - 1) // largest))}"


def _matrix(c: Comparison, words: Words) -> str:
    t = c.transitions
    off = t - np.diag(np.diag(t))
    largest = int(off.max()) if off.size else 0
    rows = []
    for i, p in enumerate(Predikat):
        cells: list[Cell | object] = [shared.predikat_cell(p, header=True)]
        for j in range(len(Predikat)):
            count = int(t[i, j])
            css = "diag" if i == j else _heat(count, largest)
            cells.append(Cell(count, numeric=True, css=css))
        cells.append(Cell(int(t[i].sum()), numeric=True))
        rows.append(cells)
    rows.append(
        [
            Cell(words("total"), header=True),
            *(Cell(int(x), numeric=True) for x in t.sum(axis=0)),
            Cell(int(t.sum()), numeric=True),
        ]
    )
    heads: list[str | Cell] = [
        words("a_b"),
        *(Cell(f"B: {p.label}", numeric=True) for p in Predikat),
        Cell(words("total"), numeric=True),
    ]
    return table(heads, rows, caption=words("transitions_caption"))


def _pair_table(a: dict[Predikat, int], b: dict[Predikat, int], words: Words) -> str:
    """Counts and shares per predikat under A and B, with the total."""
    n_a, n_b = sum(a.values()), sum(b.values())
    rows: list[list[Cell | object]] = [
        [
            shared.predikat_cell(p, header=True),
            Cell(a[p], numeric=True),
            Cell(f"{percent(a[p], n_a)} %", numeric=True),
            Cell(b[p], numeric=True),
            Cell(f"{percent(b[p], n_b)} %", numeric=True),
            Cell(f"{b[p] - a[p]:+d}", numeric=True),
        ]
        for p in Predikat
    ]
    rows.append([Cell(words("total"), header=True), Cell(n_a, numeric=True), "", Cell(n_b, numeric=True), "", ""])
    heads: list[str | Cell] = [
        words("predikat"),
        Cell(f"A: {words('count')}", numeric=True),
        Cell(f"A: {words('share')}", numeric=True),
        Cell(f"B: {words('count')}", numeric=True),
        Cell(f"B: {words('share')}", numeric=True),
        Cell("B − A", numeric=True),
    ]
    return table(heads, rows, caption=words("ab_distribution_caption"))


def _violations(u: UnitComparison, side: str) -> str:
    report = u.a if side == "a" else u.b
    return "" if report.distribution is None else ", ".join(v.rule for v in report.distribution.violations)


def _units(units: Sequence[UnitComparison], words: Words) -> str:
    rows = [
        [
            Cell(markup=f'<a href="#u{i}">{e(u.unit_id)}</a>', header=True, sort=u.unit_id),
            u.name,
            Cell(u.a.n, numeric=True),
            Cell(u.up, numeric=True),
            Cell(u.down, numeric=True),
            Cell(markup=shared.verdict(u.a, words) + f" {e(_violations(u, 'a'))}", sort=shared.verdict_sort(u.a)),
            Cell(markup=shared.verdict(u.b, words) + f" {e(_violations(u, 'b'))}", sort=shared.verdict_sort(u.b)),
        ]
        for i, u in enumerate(units)
    ]
    heads: list[str | Cell] = [
        words("unit"),
        words("unit_name"),
        Cell(words("evaluated"), numeric=True),
        Cell(words("moved_up"), numeric=True),
        Cell(words("moved_down"), numeric=True),
        words("guidance_a"),
        words("guidance_b"),
    ]
    caption = words("units_comparison_caption")
    return f'<div class="table-wrap">{table(heads, rows, caption=caption, sortable=True)}</div>'


def _side(step: StepChange, side: str, words: Words) -> str:
    s = step.a if side == "a" else step.b
    if s is None:
        return f'<span class="muted">{e(words("no_such_step"))}</span>'
    return f"<strong>{e(s.value)}</strong><br>{e(s.detail)}"


def _mover(c: Change, words: Words) -> str:
    who = f"{c.employee_id} — {c.name}"
    rows = [
        [Cell(s.label, header=True), Cell(markup=_side(s, "a", words)), Cell(markup=_side(s, "b", words))]
        for s in c.steps
    ]
    steps = table([words("step"), words("under_a"), words("under_b")], rows, caption=words("steps_caption", who=who))
    return (
        f'<div class="mover"><h4>{e(who)}: {e(c.predikat_a.label)} → {e(c.predikat_b.label)} '
        f"({e(words(c.direction))})</h4>\n<p>{e(words('evidence'))}: {e(c.evidence)}</p>\n{steps}</div>"
    )


def _unit_section(i: int, u: UnitComparison, changes: Sequence[Change], words: Words) -> str:
    name = f"{u.unit_id} — {u.name}"
    org = "—" if u.a.predikat_organisasi is None else u.a.predikat_organisasi.label
    parts = [
        f'<section class="unit" id="u{i}" aria-labelledby="u{i}-h">',
        f'<h3 id="u{i}-h">{e(name)}</h3>',
        f"<p>{e(words('predikat_organisasi'))}: <strong>{e(org)}</strong> · {e(words('evaluated'))}: {u.a.n} · "
        f"{e(words('guidance_a'))}: {shared.verdict(u.a, words)} · "
        f"{e(words('guidance_b'))}: {shared.verdict(u.b, words)}</p>",
        pair_chart(
            u.a.counts,
            u.b.counts,
            title=words("unit_ab_chart_title", unit=name),
            names=(words("series_a"), words("series_b")),
            ident=f"u{i}-chart",
        ),
    ]
    if changes:
        parts.append(f"<p>{e(words('movers_count', n=len(changes)))}</p>")
        parts += [_mover(c, words) for c in changes]
    else:
        parts.append(f'<p class="note">{e(words("movers_none"))}</p>')
    parts.append("</section>")
    return "\n".join(parts)


def _employees(a: Sequence[PublishedEmployee], b: Sequence[PublishedEmployee], words: Words) -> str:
    rows = []
    for ra, rb in zip(a, b, strict=True):
        a_code, b_code = ra.predikat.code, rb.predikat.code
        direction = "up" if b_code < a_code else "down" if b_code > a_code else ""
        rows.append(
            [
                Cell(ra.employee_id, header=True),
                ra.name,
                ra.unit_id,
                shared.predikat_cell(ra.predikat, adjusted=ra.adjusted),
                shared.predikat_cell(rb.predikat, adjusted=rb.adjusted),
                words(direction) if direction else "",
            ]
        )
    heads = [words("nip"), words("name"), words("unit"), words("predikat_a"), words("predikat_b"), words("direction")]
    return shared.employee_table(heads, rows, words("comparison_employees_caption", n=len(a)), words)


def comparison_report(comparison: Comparison, *, lang: str = "id") -> str:
    """The comparison as one self-contained HTML page in ``lang`` (``"id"``, the default, or ``"en"``)."""
    words = texts(lang)
    c = comparison
    t = c.transitions
    counts_a = {p: int(x) for p, x in zip(Predikat, t.sum(axis=1), strict=True)}
    counts_b = {p: int(x) for p, x in zip(Predikat, t.sum(axis=0), strict=True)}
    agreement = words("agreement_undefined") if c.rank_agreement is None else f"{c.rank_agreement:.4f}"
    summary = [
        "<p>"
        + e(
            words(
                "comparison_summary",
                n=len(c),
                changed=len(c.changes),
                up=c.moved_up,
                down=c.moved_down,
                agreement=agreement,
            )
        )
        + "</p>",
        '<div class="figure">',
        pair_chart(
            counts_a, counts_b, title=words("ab_chart_title"), names=(words("series_a"), words("series_b")), ident="ab"
        ),
        _pair_table(counts_a, counts_b, words),
        "</div>",
    ]
    by_unit: dict[str, list[Change]] = {}
    for change in c.changes:
        by_unit.setdefault(change.unit_id, []).append(change)
    units = "\n".join(_unit_section(i, u, by_unit.get(u.unit_id, []), words) for i, u in enumerate(c.units))
    chapters = [
        ("summary", words("summary"), "\n".join(summary)),
        ("transitions", words("transitions"), _matrix(c, words)),
        ("units", words("units"), f"<p>{e(words('units_intro'))}</p>\n{_units(c.units, words)}"),
        ("movers", words("movers"), f"<p>{e(words('movers_intro'))}</p>\n{units}"),
        ("employees", words("employees"), _employees(published_employees(c.a), published_employees(c.b), words)),
        (
            "legal-basis",
            words("legal_basis"),
            shared.references(c.a.policy, words) + "\n" + shared.references(c.b.policy, words),
        ),
    ]
    title = words("comparison_title")
    ds = c.a.dataset
    body = [
        shared.facts(title, ds, [(words("policy_a"), c.a.policy), (words("policy_b"), c.b.policy)], words),
        shared.contents([(ident, heading) for ident, heading, _ in chapters], words),
        *(shared.section(ident, heading, text) for ident, heading, text in chapters),
        shared.footer(words),
    ]
    return document(lang=lang, title=f"{title} — {ds.agency} — {ds.period.id}", body="\n".join(body))
