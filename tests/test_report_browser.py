"""The report in a real browser: headless Chromium (Debian's ``chromium`` package) driven over the DevTools protocol.

The page of the example agency and of the example comparison loads without a console error and without a request
other than the file itself; the employee table's search and sort work; every unit chart renders at its size with
bars drawn; a screenshot and an A4 PDF print of each are kept under ``tests/artifacts/report/`` (git-ignored; CI
keeps them as artefacts). Without Chromium these tests are skipped — except in CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import asn_kinerja
from asn_kinerja import Evaluation, Predikat
from asn_kinerja.report.svg import DISTRIBUTION_SIZE, PAIR_SIZE
from cdp import Page, browser, chromium_path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "examples" / "bungo" / "data"
ARTIFACTS = ROOT / "tests" / "artifacts" / "report"

pytestmark = pytest.mark.browser


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    executable = chromium_path()
    _require(executable is not None, "no Chromium: apt-get install chromium")
    try:
        import websocket  # noqa: F401
    except ImportError:
        _require(False, "websocket-client is not installed (the test extra)")
    assert executable is not None
    with browser(executable) as p:
        yield p


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reports")
    data = asn_kinerja.load_dataset(DATA)
    three_sixty = ROOT / "examples" / "policies" / "three-sixty.yaml"
    result = asn_kinerja.evaluate(asn_kinerja.load_policy(three_sixty), data)
    assert isinstance(result, Evaluation)
    out = {"evaluation": folder / "evaluation.html", "comparison": folder / "comparison.html"}
    result.report(out["evaluation"])
    asn_kinerja.compare("permenpanrb-6-2022", three_sixty, data).report(out["comparison"], lang="en")
    return out


@pytest.mark.parametrize("kind", ["evaluation", "comparison"])
def test_the_report_loads_offline_without_errors_and_prints(kind: str, page: Page, reports: dict[str, Path]) -> None:
    path = reports[kind]
    page.open(path)
    assert page.errors() == []
    assert page.requests() == [path.resolve().as_uri()]
    assert page.evaluate("document.readyState") == "complete"
    # every unit chart rendered at its size, with bars drawn
    size = DISTRIBUTION_SIZE if kind == "evaluation" else PAIR_SIZE
    charts = page.evaluate(
        """Array.from(document.querySelectorAll("section.unit svg.chart")).map(function (svg) {
             var box = svg.getBoundingClientRect();
             var bars = Array.from(svg.querySelectorAll("rect")).filter(function (r) {
               return r.getBoundingClientRect().width > 0; });
             return [box.width, box.height, bars.length, svg.querySelectorAll("text").length]; })"""
    )
    assert len(charts) == 8
    for width, height, bars, labels in charts:
        assert (width, height) == size
        assert bars >= 1 and labels >= len(Predikat) * 2
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    png, pdf = ARTIFACTS / f"{kind}.png", ARTIFACTS / f"{kind}.pdf"
    page.screenshot(png)
    page.pdf(pdf)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    printed = pdf.read_bytes()
    assert printed[:5] == b"%PDF-"
    assert len(re.findall(rb"/Type\s*/Page\b", printed)) >= 9  # a page per unit at least


def _rows(page: Page) -> list[list[str]]:
    rows: list[list[str]] = page.evaluate(
        """Array.from(document.querySelectorAll("#employees-table tbody tr")).filter(function (r) {
             return !r.hidden; }).map(function (r) {
             return Array.from(r.cells).map(function (c) {
               var key = c.getAttribute("data-sort"); return key === null ? c.textContent : key; }); })"""
    )
    return rows


def test_the_employee_table_searches_and_sorts(page: Page, reports: dict[str, Path]) -> None:
    page.open(reports["evaluation"])
    everyone = _rows(page)
    assert len(everyone) == 61
    status = 'document.querySelector(".search [role=status]").textContent'
    assert page.evaluate(status) == "61 dari 61 baris ditampilkan"

    def search(text: str) -> list[list[str]]:
        page.evaluate(
            f"""(function () {{ var input = document.getElementById("employees-table-search");
                 input.value = {text!r}; input.dispatchEvent(new Event("input")); }})()"""
        )
        return _rows(page)

    hits = search("nasution")
    expected = [r for r in everyone if any("nasution" in c.lower() for c in r)]
    assert hits == expected and 0 < len(hits) < 61
    assert page.evaluate(status) == f"{len(hits)} dari 61 baris ditampilkan"
    assert search("Sekretariat tidak ada") == []
    assert len(search("")) == 61

    def sort_by(heading: str) -> list[list[str]]:
        page.evaluate(
            f"""Array.from(document.querySelectorAll("#employees-table thead th")).find(function (th) {{
                  return th.textContent.trim() === {heading!r}; }}).querySelector("button").click()"""
        )
        return _rows(page)

    heads = page.evaluate(
        'Array.from(document.querySelectorAll("#employees-table thead th"))'
        ".map(function (th) { return th.textContent; })"
    )
    column = {name: i for i, name in enumerate(heads)}
    by_predikat = sort_by("Predikat")
    ranks = [int(r[column["Predikat"]]) for r in by_predikat]
    assert ranks == sorted(ranks) and ranks[0] == Predikat.SANGAT_BAIK.code
    ranks = [int(r[column["Predikat"]]) for r in sort_by("Predikat")]
    assert ranks == sorted(ranks, reverse=True)
    sort_state = page.evaluate(
        'Array.from(document.querySelectorAll("#employees-table thead th[aria-sort]")).map(function (th) {'
        " return [th.textContent, th.getAttribute('aria-sort')]; })"
    )
    assert sort_state == [["Predikat", "descending"]]
    capaian = [r[column["Capaian (%)"]] for r in sort_by("Capaian (%)")]
    numbers = [float(x) for x in capaian if x]
    assert numbers == sorted(numbers) and len(numbers) == 61  # numerically, not as text
    ids = [r[0] for r in sort_by("NIP")]
    assert ids == sorted(r[0] for r in everyone)
    assert page.errors() == []
