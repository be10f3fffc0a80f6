"""The HTML report: its content against the library's own results, escaping, languages, the command line, the print
stylesheet, accessibility markup and — as in every output — no withheld figure anywhere in the file."""

from __future__ import annotations

import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

import asn_kinerja
from asn_kinerja import DataError, Evaluation, Predikat, compare, evaluate, load_dataset, load_policy
from asn_kinerja.cli import main
from asn_kinerja.report import comparison_report, evaluation_report
from asn_kinerja.report.data import published_employees
from asn_kinerja.report.script import SCRIPT
from asn_kinerja.report.style import CSS, PREDIKAT_STYLE, TEXT_PAIRS, contrast_ratio
from asn_kinerja.report.svg import DISTRIBUTION_SIZE, PAIR_SIZE

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "examples" / "bungo" / "data"
POLICIES = ROOT / "examples" / "policies"


@pytest.fixture(scope="module")
def dataset() -> asn_kinerja.Dataset:
    return load_dataset(DATA)


def run(policy: str | Path, data: asn_kinerja.Dataset) -> Evaluation:
    result = evaluate(load_policy(policy), data)
    assert isinstance(result, Evaluation)
    return result


class Page(HTMLParser):
    """The page's elements as (tag, attributes) and its text, for checks of structure."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def tags(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.elements if t == tag]


def sections(page: str, css: str = "unit") -> list[str]:
    """The HTML of each ``<section class=css>``."""
    return re.findall(rf'<section class="{css}".*?</section>', page, re.S)


# --- content ---------------------------------------------------------------------------------------------------


def test_the_evaluation_report_shows_the_agency_policy_units_and_their_verdicts(dataset: asn_kinerja.Dataset) -> None:
    result = run("examples/policies/three-sixty.yaml", dataset)
    page = result.report()
    assert page == evaluation_report(result, lang="id") == result.report()  # deterministic
    assert html.escape(dataset.agency) in page and f"<dd>{dataset.period.id} (2025-01-01 s.d. 2025-12-31)</dd>" in page
    assert "bungo-360" in page and html.escape(str(result.policy.reference)) in page
    for key, ref in result.policy.references.items():  # the legal basis of every part of the policy
        assert html.escape(key or "seluruh kebijakan") in page and html.escape(str(ref)) in page
    units = result.units()
    blocks = sections(page)
    assert len(blocks) == len(units)
    for u, block in zip(units, blocks, strict=True):
        assert html.escape(f"{u.unit_id} — {u.name}") in block
        for p in Predikat:  # the counts and shares, as the unit report gives them
            share = u.to_dict()["shares"][p.value]
            assert re.search(rf"{re.escape(html.escape(p.label))}</th><td class=\"num\">{u.counts[p]}</td>", block)
            assert f"{share} %" in block
        badge = "✓ Memenuhi" if u.ok else "— Tidak berlaku" if u.ok is None else "✗ Tidak memenuhi"
        assert badge in block
        for v in [] if u.distribution is None else u.distribution.violations:
            for text in (v.rule, v.text, v.required_text, v.actual_text):
                assert html.escape(text) in block, (u.unit_id, text)
        for theme, count in u.development.items():
            assert html.escape(f"{theme}: {count}") in block
    assert "1 dari 8 unit" in page  # Subbagian Perencanaan dan Keuangan alone meets its guidance (README)
    issues = result.cascading()
    assert issues and f"{len(issues)} RHK dengan cacat perencanaan" in page
    assert all(html.escape(c.message) in page for c in issues)
    jf = [r for r in result if r.angka_kredit is not None]
    assert jf and f"Angka kredit {len(jf)} pejabat fungsional" in page
    assert all(f'<td class="num">{r.angka_kredit}</td>' in page for r in jf)


def test_the_employee_table_has_every_employee_in_output_order_without_javascript(
    dataset: asn_kinerja.Dataset,
) -> None:
    result = run("permenpanrb-6-2022", dataset)
    table = re.search(r'<table class="sortable wide" id="employees-table".*?</table>', result.report(), re.S)
    assert table is not None
    ids = re.findall(r'<tr><th scope="row">(\d+)</th>', table.group(0))
    assert ids == [r.employee_id for r in result]
    first = next(iter(result))
    row = re.search(rf"<tr><th scope=\"row\">{first.employee_id}</th>.*?</tr>", table.group(0))
    assert row is not None
    assert html.escape(first.name) in row.group(0) and first.predikat.label in row.group(0)
    assert f'<td class="num">{first.capaian}</td><td class="num">{first.perilaku_score}</td>' in row.group(0)


def test_the_comparison_report_shows_transitions_units_and_each_movers_differing_steps(
    dataset: asn_kinerja.Dataset,
) -> None:
    c = compare("permenpanrb-6-2022", POLICIES / "citizen-weighted.yaml", dataset)
    page = c.report(lang="en")
    assert page == comparison_report(c, lang="en")
    assert '<html lang="en">' in page and "permenpanrb-6-2022" in page and "bungo-citizen" in page
    matrix = re.search(r"<caption>Employees by predikat under A.*?</table>", page, re.S)
    assert matrix is not None
    cells = [int(x) for x in re.findall(r'<td class="num[^"]*">(\d+)</td>', matrix.group(0))]
    expected = [int(x) for row in c.transitions for x in [*row, row.sum()]]
    assert cells[: len(expected)] == expected
    assert cells[len(expected) :] == [*c.transitions.sum(axis=0).tolist(), len(c)]
    blocks = sections(page)
    assert len(blocks) == len(c.units) and c.changes
    for u, block in zip(c.units, blocks, strict=True):
        movers = [m for m in c.changes if m.unit_id == u.unit_id]
        assert block.count('class="mover"') == len(movers)
        for m in movers:
            assert html.escape(f"{m.employee_id} — {m.name}: {m.predikat_a.label} → {m.predikat_b.label}") in block
            assert html.escape(m.evidence) in block
            for s in m.steps:
                assert f'<th scope="row">{html.escape(s.label)}</th>' in block
                for side in (s.a, s.b):
                    assert side is None or html.escape(side.detail) in block
    assert f"{len(c.changes)} changed ({c.moved_up} up, {c.moved_down} down)" in page


def test_the_report_is_indonesian_by_default_and_english_on_request(dataset: asn_kinerja.Dataset) -> None:
    result = run("permenpanrb-6-2022", dataset)
    indonesian, english = result.report(), result.report(lang="en")
    assert '<html lang="id">' in indonesian and "Daftar pegawai" in indonesian and "Employees" not in indonesian
    assert '<html lang="en">' in english and "Daftar pegawai" not in english
    with pytest.raises(DataError, match="lang: the report is written in 'id' or 'en', got 'jv'"):
        result.report(lang="jv")


def test_text_is_escaped_everywhere(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    manifest = folder / "dataset.yaml"
    evil = '<script>alert("x")</script> & "Dinas"'
    manifest.write_text(
        re.sub(r"^agency: .*$", f"agency: '{evil}'", manifest.read_text(encoding="utf-8"), flags=re.M),
        encoding="utf-8",
    )
    employees = folder / "employees.csv"
    employees.write_text(
        employees.read_text(encoding="utf-8").replace("Eko Maulana", '"Eko <b onmouseover=x>"'), encoding="utf-8"
    )
    result = run("permenpanrb-6-2022", load_dataset(folder))
    page = result.report()
    assert evil not in page and "<b onmouseover" not in page
    assert html.escape(evil) in page and html.escape("Eko <b onmouseover=x>") in page
    assert page.count("<script>") == 1  # the report's own


# --- self-contained, accessible, printable -------------------------------------------------------------------------


def test_the_page_fetches_nothing_and_runs_only_its_own_script(dataset: asn_kinerja.Dataset) -> None:
    page = run("permenpanrb-6-2022", dataset).report()
    parsed = Page(page)
    assert not [a for _, a in parsed.elements if "src" in a]  # no image, script or frame from anywhere
    assert not parsed.tags("link") and not parsed.tags("iframe") and "@import" not in page and "url(http" not in page
    csp = next(a["content"] for a in parsed.tags("meta") if a.get("http-equiv") == "Content-Security-Policy")
    assert csp is not None and csp.startswith("default-src 'none'; style-src 'sha256-")
    assert page.count("<style>") == 1 and page.count("<script>") == 1
    assert f"<style>\n{CSS}\n</style>" in page and f"<script>\n{SCRIPT}\n</script>" in page


def test_tables_are_semantic_and_charts_labelled(dataset: asn_kinerja.Dataset) -> None:
    for page in (
        run("permenpanrb-6-2022", dataset).report(),
        compare("permenpanrb-6-2022", POLICIES / "three-sixty.yaml", dataset).report(),
    ):
        parsed = Page(page)
        assert all(a.get("scope") in ("col", "row") for a in parsed.tags("th"))
        assert page.count("<table") == page.count("<caption>") > 5
        charts = [a for a in parsed.tags("svg") if a.get("class") == "chart"]
        assert charts and all(a["role"] == "img" and a["aria-labelledby"] for a in charts)
        ids = [a["id"] for _, a in parsed.elements if "id" in a]
        assert len(ids) == len(set(ids)), "ids are unique"
        size = PAIR_SIZE if "Perbandingan" in page else DISTRIBUTION_SIZE
        for block in sections(page):
            svg = re.search(r'<svg class="chart" width="(\d+)" height="(\d+)"', block)
            assert svg is not None and (int(svg.group(1)), int(svg.group(2))) == size


def test_text_contrast_is_sufficient_and_each_predikat_has_its_own_pattern() -> None:
    assert len({pattern for _, pattern in PREDIKAT_STYLE.values()}) == len(Predikat)
    assert min(contrast_ratio(colour, "#ffffff") for colour, _ in PREDIKAT_STYLE.values()) >= 3  # graphics
    assert min(contrast_ratio(fg, bg) for fg, bg in TEXT_PAIRS.values()) >= 4.5
    for fg, bg in TEXT_PAIRS.values():
        assert fg.lower() in CSS.lower() or fg == "#ffffff"
        assert bg.lower() in CSS.lower() or bg == "#ffffff"


def test_the_print_stylesheet_is_a4_with_a_page_per_unit_and_no_cut_rows() -> None:
    printing = CSS[CSS.index("@media print") :]
    assert "@page { size: A4;" in CSS
    assert "section.unit { break-before: page;" in printing
    assert "thead { display: table-header-group; }" in printing
    assert re.search(r"tr, [^{]*\{ break-inside: avoid; \}", printing)
    assert "nav.toc, .search { display: none; }" in printing


# --- privacy -----------------------------------------------------------------------------------------------------

NUMBER = r"(?<![\d.]){}(?![\d])"


def withheld_figures(policy: Path, data: asn_kinerja.Dataset) -> tuple[set[str], Evaluation, Evaluation]:
    """Every figure the policy withholds in the example: each value that the same policy with
    ``privacy.publish_scores: always`` publishes where the default publishes nothing (the behaviour scores, the
    self − others gaps, the anonymous groups' scores and spreads, the citizen index) — as in tests/test_privacy.py's
    attacks — less those published anyway as another figure: in the default's JSON, or in the JSON of the baseline
    (``permenpanrb-6-2022``, supervisor only) that the comparisons show next to it."""
    text = policy.read_text(encoding="utf-8")
    default = evaluate(asn_kinerja.load_policy_text(text), data)
    always = evaluate(asn_kinerja.load_policy_text(text + "privacy: {publish_scores: always}\n"), data)
    assert isinstance(default, Evaluation) and isinstance(always, Evaluation)
    found: set[str] = set()
    for r in default:
        shown, everything = r.to_dict(), always[r.employee_id].to_dict()
        for key in ("perilaku_score", "self_gap"):
            if shown[key] is None and everything[key] is not None:
                found.add(everything[key])
        for group, info in shown["perilaku_groups"].items():
            for key in ("score", "spread"):
                if info.get(key) is None and everything["perilaku_groups"][group].get(key) is not None:
                    found.add(everything["perilaku_groups"][group][key])
        if shown["citizen"] and shown["citizen"]["used"] and shown["citizen"]["konversi"] is None:
            found.add(everything["citizen"]["konversi"])
    baseline = evaluate(load_policy("permenpanrb-6-2022"), data)
    published = set(re.findall(r"-?\d+\.\d+", default.to_json() + baseline.to_json()))
    return found - published, default, always


def occurrences(figures: set[str], page: str) -> list[str]:
    data = page.replace(CSS, "").replace(SCRIPT, "")  # the stylesheet and script are constants, not data
    return sorted(f for f in figures if re.search(NUMBER.format(re.escape(f)), data))


@pytest.mark.parametrize("policy", ["three-sixty.yaml", "citizen-weighted.yaml"])
def test_no_withheld_figure_of_the_example_appears_in_the_reports(
    policy: str, dataset: asn_kinerja.Dataset, tmp_path: Path
) -> None:
    figures, default, always = withheld_figures(POLICIES / policy, dataset)
    assert len(figures) >= 20 and default.scores_withheld.sum() >= 20
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    assert main(["report", str(DATA), "--policy", str(POLICIES / policy), "--output", str(outputs / "a.html")]) == 0
    assert main(["report", str(DATA), "--compare", str(POLICIES / policy), "--output", str(outputs / "b.html")]) == 0
    pages = {
        "evaluation (file)": (outputs / "a.html").read_text(encoding="utf-8"),
        "comparison (file)": (outputs / "b.html").read_text(encoding="utf-8"),
        "evaluation, en": default.report(lang="en"),
        "comparison B → A": compare(default.policy, "permenpanrb-6-2022", dataset).report(),
    }
    for name, page in pages.items():
        assert not occurrences(figures, page), name
    # The grep has teeth: the same report under publish_scores: always shows the behaviour scores it withholds.
    shown = occurrences(figures, always.report())
    assert len(shown) >= 10
    assert all(f in figures for f in shown)


def test_a_report_reads_withheld_where_a_score_is_withheld(dataset: asn_kinerja.Dataset) -> None:
    result = run(POLICIES / "three-sixty.yaml", dataset)
    rows = {r.employee_id: r for r in published_employees(result)}
    table = re.search(r'id="employees-table".*?</table>', result.report(lang="en"), re.S)
    assert table is not None
    withheld = [i for i, r in rows.items() if r.scores_withheld]
    assert withheld
    for employee_id in withheld:
        row = re.search(rf'<th scope="row">{employee_id}</th>.*?</tr>', table.group(0))
        assert row is not None and '<td class="num withheld" data-sort="">withheld</td>' in row.group(0)


# --- command line -------------------------------------------------------------------------------------------------


def test_the_command_writes_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "laporan.html"
    assert main(["report", str(DATA), "--output", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page == evaluate(load_policy("permenpanrb-6-2022"), load_dataset(DATA)).report()  # type: ignore[union-attr]
    assert main(["report", str(DATA), "--policy", "permenpanrb-6-2022", "--compare", "permenpanrb-6-2022",
                 "--lang", "en", "--output", str(out)]) == 0  # fmt: skip
    assert "Performance Policy Comparison Report" in out.read_text(encoding="utf-8")
    assert capsys.readouterr().out == ""


def test_the_command_refuses_a_numeric_regime_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "laporan.html"
    data = ROOT / "examples" / "historical" / "data-2018"
    assert main(["report", str(data), "--output", str(out)]) == 2
    assert "the report works on permenpanrb-6-2022" in capsys.readouterr().err
    assert not out.exists() and not list(tmp_path.iterdir())


def test_the_report_method_writes_a_file_whole(tmp_path: Path, dataset: asn_kinerja.Dataset) -> None:
    result = run("permenpanrb-6-2022", dataset)
    target = tmp_path / "r.html"
    assert result.report(target) == target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]
