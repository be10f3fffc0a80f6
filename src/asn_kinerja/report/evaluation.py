"""The report of one evaluation: agency, period and policy with its legal basis; the predikat distribution of the
agency and of each unit against SE MenPANRB 3/2023; development needs; cascading defects; angka kredit of functional
positions; and every employee in a searchable, sortable table.

>>> import asn_kinerja
>>> data = asn_kinerja.load_dataset("examples/bungo/data")
>>> page = evaluation_report(asn_kinerja.evaluate(asn_kinerja.load_policy("permenpanrb-6-2022"), data), lang="en")
>>> page.startswith("<!DOCTYPE html>"), '<html lang="en">' in page, page.count('<section class="unit"')
(True, True, 8)
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from asn_kinerja.engine.organisation import CascadeIssue, UnitReport
from asn_kinerja.engine.result import Evaluation
from asn_kinerja.model import Predikat
from asn_kinerja.report.data import PublishedEmployee, published_employees
from asn_kinerja.report.i18n import texts
from asn_kinerja.report.page import Cell, document, e, table
from asn_kinerja.report.parts import (
    Words,
    contents,
    distribution_table,
    employee_table,
    facts,
    footer,
    predikat_cell,
    references,
    section,
    verdict,
    verdict_sort,
)
from asn_kinerja.report.svg import Limit, distribution_chart
from asn_kinerja.rules.distribution import share_limits

__all__ = ["evaluation_report", "unit_limits"]

_SYMBOLS = {"<=": "≤", ">=": "≥", ">": ">"}


def unit_limits(report: UnitReport) -> list[Limit]:
    """The limits of the unit's guidance that count one predikat (drawn on its chart): the others are in its
    table of clauses."""
    if report.predikat_organisasi is None or report.distribution is None:
        return []
    out: list[Limit] = []
    for who, relation, share, _ in share_limits(report.predikat_organisasi):
        if len(who) == 1:
            out.append((who[0], _SYMBOLS[relation], Fraction(share)))
    return out


def _unit_overview(units: Sequence[UnitReport], words: Words) -> str:
    rows = []
    for i, u in enumerate(units):
        org = u.predikat_organisasi
        violations = 0 if u.distribution is None else len(u.distribution.violations)
        rows.append(
            [
                Cell(markup=f'<a href="#u{i}">{e(u.unit_id)}</a>', header=True, sort=u.unit_id),
                u.name,
                Cell("—" if org is None else org.label, sort="" if org is None else org.code),
                Cell(u.n, numeric=True),
                *(Cell(u.counts[p], numeric=True) for p in Predikat),
                Cell(markup=verdict(u, words), sort=verdict_sort(u)),
                Cell(violations if u.distribution is not None else "—", numeric=True),
            ]
        )
    heads: list[str | Cell] = [
        words("unit"),
        words("unit_name"),
        words("predikat_organisasi"),
        Cell(words("evaluated"), numeric=True),
        *(Cell(p.label, numeric=True) for p in Predikat),
        words("guidance"),
        Cell(words("violated_clauses"), numeric=True),
    ]
    overview = table(heads, rows, caption=words("units_caption"), sortable=True, attributes={"class": "wide"})
    return f'<div class="table-wrap">{overview}</div>'


def _unit_section(i: int, u: UnitReport, words: Words) -> str:
    name = f"{u.unit_id} — {u.name}"
    org = "—" if u.predikat_organisasi is None else u.predikat_organisasi.label
    parts = [
        f'<section class="unit" id="u{i}" aria-labelledby="u{i}-h">',
        f'<h3 id="u{i}-h">{e(name)}</h3>',
        f"<p>{e(words('predikat_organisasi'))}: <strong>{e(org)}</strong> · {e(words('evaluated'))}: {u.n} · "
        f"{verdict(u, words)}</p>",
        '<div class="figure">',
        distribution_chart(
            u.counts,
            title=words("unit_chart_title", unit=name),
            ident=f"u{i}-chart",
            limits=unit_limits(u),
            limit_label=words("limit_marker"),
        ),
        distribution_table(u.counts, words("unit_distribution_caption", unit=name), words),
        "</div>",
    ]
    limits = unit_limits(u)
    if limits:
        drawn = "; ".join(f"{p.label} {symbol} {share * 100} %" for p, symbol, share in limits)
        parts.append(f'<p class="note">┆ {e(words("limit_marker"))}: {e(drawn)}</p>')
    if u.distribution is None:
        parts.append(f'<p class="note">{e(words("no_predikat_organisasi"))}</p>')
    elif u.distribution.note:
        parts.append(f'<p class="note">{e(words("guidance_note"))}: {e(u.distribution.note)}</p>')
    elif u.distribution.violations:
        rows = [[Cell(v.rule, header=True), v.text, v.required_text, v.actual_text] for v in u.distribution.violations]
        heads = [words("rule"), words("clause"), words("required"), words("actual")]
        parts.append(table(heads, rows, caption=words("violations_caption", unit=name)))
    if u.development:
        needs = "; ".join(f"{theme}: {count}" for theme, count in u.development.items())
        parts.append(f"<p>{e(words('development_unit'))}: {e(needs)}</p>")
    parts.append("</section>")
    return "\n".join(parts)


def _development(units: Sequence[UnitReport], words: Words) -> str:
    themes: list[str] = []
    for u in units:
        themes += [t for t in u.development if t not in themes]
    if not themes:
        return f"<p>{e(words('development_none'))}</p>"
    rows = [
        [Cell(u.unit_id, header=True), u.name, *(Cell(u.development.get(t, 0), numeric=True) for t in themes)]
        for u in units
        if u.development
    ]
    heads: list[str | Cell] = [words("unit"), words("unit_name"), *(Cell(t, numeric=True) for t in themes)]
    return (
        f"<p>{e(words('development_intro'))}</p>"
        f'<div class="table-wrap">{table(heads, rows, caption=words("development_caption"), sortable=True)}</div>'
    )


def _cascading(issues: Sequence[CascadeIssue], words: Words) -> str:
    if not issues:
        return f"<p>{e(words('cascading_none'))}</p>"
    rows = [[Cell(c.rhk_id, header=True), c.employee_id, words(f"cascade_{c.kind}"), c.message] for c in issues]
    heads = [words("rhk"), words("nip"), words("kind"), words("problem")]
    caption = words("cascading_caption", n=len(issues))
    return f"<p>{e(words('cascading_intro'))}</p>{table(heads, rows, caption=caption, sortable=True)}"


def _angka_kredit(employees: Sequence[PublishedEmployee], months: int, words: Words) -> str:
    jf = [r for r in employees if r.angka_kredit is not None]
    if not jf:
        return f"<p>{e(words('angka_kredit_none'))}</p>"
    rows = [
        [
            Cell(r.employee_id, header=True),
            r.name,
            r.unit_id,
            r.jenjang or "—",
            predikat_cell(r.predikat, adjusted=r.adjusted),
            Cell(r.angka_kredit, numeric=True),
        ]
        for r in jf
    ]
    heads: list[str | Cell] = [
        words("nip"),
        words("name"),
        words("unit"),
        words("jenjang"),
        words("predikat"),
        Cell("Angka kredit", numeric=True),
    ]
    caption = words("angka_kredit_caption", n=len(jf))
    return (
        f"<p>{e(words('angka_kredit_intro', months=months))}</p>"
        f'<div class="table-wrap">{table(heads, rows, caption=caption, sortable=True)}</div>'
    )


def _employees(employees: Sequence[PublishedEmployee], words: Words) -> str:
    withheld = words("withheld")
    rows = []
    for r in employees:
        score = (
            Cell(withheld, sort="", numeric=True, css="withheld")
            if r.scores_withheld
            else Cell(r.perilaku_score or "", numeric=True)
        )
        rows.append(
            [
                Cell(r.employee_id, header=True),
                r.name,
                r.unit_id,
                r.jenis_jabatan.value,
                Cell(r.rating_hasil_kerja.label, sort=r.rating_hasil_kerja.code),
                Cell(r.rating_perilaku_kerja.label, sort=r.rating_perilaku_kerja.code),
                f"{r.hasil_kerja_basis}/{r.perilaku_kerja_basis}",
                predikat_cell(r.predikat, adjusted=r.adjusted),
                Cell(r.capaian or "", numeric=True),
                score,
                Cell(r.angka_kredit or "", numeric=True),
                ", ".join(r.development),
            ]
        )
    heads: list[str | Cell] = [
        words("nip"),
        words("name"),
        words("unit"),
        words("jabatan"),
        words("hasil_kerja"),
        words("perilaku_kerja"),
        words("basis"),
        words("predikat"),
        Cell(words("capaian"), numeric=True),
        Cell(words("perilaku_score"), numeric=True),
        Cell("Angka kredit", numeric=True),
        words("development"),
    ]
    caption = words("employees_caption", n=len(employees))
    return employee_table(heads, rows, caption, words) + f'<p class="note">{e(words("legend"))}</p>'


def evaluation_report(evaluation: Evaluation, *, lang: str = "id") -> str:
    """The evaluation as one self-contained HTML page in ``lang`` (``"id"``, the default, or ``"en"``)."""
    words = texts(lang)
    ev = evaluation
    units = ev.units()
    employees = published_employees(ev)
    counts = ev.counts()
    judged = [u for u in units if u.ok is not None]
    withheld = sum(1 for r in employees if r.scores_withheld)
    summary = [
        f"<p>{e(words('employees_evaluated', n=len(ev)))} "
        f"{e(words('units_meeting', met=sum(1 for u in judged if u.ok), total=len(judged)))}.</p>",
    ]
    if withheld:
        summary.append(f'<p class="note">{e(words("withheld_note", n=withheld))}</p>')
    summary += [
        '<div class="figure">',
        distribution_chart(counts, title=words("agency_chart_title"), ident="agency-chart"),
        distribution_table(counts, words("agency_distribution"), words),
        "</div>",
    ]
    chapters = [
        ("summary", words("summary"), "\n".join(summary)),
        (
            "units",
            words("units"),
            f"<p>{e(words('units_intro'))}</p>\n"
            + _unit_overview(units, words)
            + "\n"
            + "\n".join(_unit_section(i, u, words) for i, u in enumerate(units)),
        ),
        ("development", words("development_per_unit"), _development(units, words)),
        ("cascading", words("cascading"), _cascading(ev.cascading(), words)),
        ("angka-kredit", words("angka_kredit"), _angka_kredit(employees, ev.dataset.period.months, words)),
        ("employees", words("employees"), _employees(employees, words)),
        ("legal-basis", words("legal_basis"), references(ev.policy, words)),
    ]
    title = words("evaluation_title")
    body = [
        facts(title, ev.dataset, [(words("policy"), ev.policy)], words),
        contents([(ident, heading) for ident, heading, _ in chapters], words),
        *(section(ident, heading, text) for ident, heading, text in chapters),
        footer(words),
    ]
    return document(lang=lang, title=f"{title} — {ev.dataset.agency} — {ev.dataset.period.id}", body="\n".join(body))
