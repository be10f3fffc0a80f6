"""Policy test cases in YAML: the pytest plugin, its failure reports, and the built-in policies' own cases."""

from __future__ import annotations

import importlib.metadata
import textwrap
from pathlib import Path

import pytest

import asn_kinerja
import asn_kinerja.pytest_plugin
from asn_kinerja.cases import PolicyCaseError, read_cases, run_case

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "bungo" / "data"
BUILTIN_CASES = Path(asn_kinerja.__file__).parent / "policy" / "builtin" / "cases"


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """Run pytest in-process with the plugin: registered by the installed package (entry point pytest11), or else
    handed over as an object (loading it with ``-p`` would import a module this process has already imported)."""
    installed = any(ep.value == "asn_kinerja.pytest_plugin" for ep in importlib.metadata.entry_points(group="pytest11"))
    plugins = [] if installed else [asn_kinerja.pytest_plugin]
    return pytester.runpytest("-p", "no:cacheprovider", *args, plugins=plugins)


WRONG = """\
policy: permenpanrb-6-2022
cases:
  - name: a correct case
    input:
      employees:
        - {employee_id: E1, rating_hasil_kerja: di_atas, rating_perilaku_kerja: di_atas}
    expect:
      employees:
        E1: {predikat: sangat_baik}
  - name: a wrong case
    input:
      employees:
        - {employee_id: E1, target: 100, realisasi: 105, rating_perilaku_kerja: di_atas}
    expect:
      employees:
        E1:
          predikat: sangat_baik
          capaian: 105
"""


def test_a_wrong_case_fails_naming_the_case_and_file_line(pytester: pytest.Pytester) -> None:
    pytester.makefile(".policycase.yaml", team=WRONG)
    result = run(pytester)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*policy case 'a wrong case' failed (team.policycase.yaml:10)",
            "*team.policycase.yaml:17: employee E1 predikat: expected Sangat Baik, got Baik",
            "*Penilaian E1:",
            "*rating hasil kerja: Sesuai Ekspektasi — suggested: capaian ≥ 110 %*",
        ]
    )
    assert "capaian: expected" not in result.stdout.str()  # the expectation that holds is not reported


def test_the_builtin_policies_cases_pass(pytester: pytest.Pytester) -> None:
    files = sorted(BUILTIN_CASES.glob("*.policycase.yaml"))
    assert [f.name for f in files] == [f"{i}.policycase.yaml" for i in sorted(asn_kinerja.builtin_ids())]
    result = run(pytester, str(BUILTIN_CASES))
    names = [c.name for f in files for c in read_cases(f)]
    result.assert_outcomes(passed=len(names))
    for topic in ("matrix", "hasil kerja suggestion", "perilaku kerja suggestion", "360", "citizen", "distribution"):
        assert any(topic in name for name in names), topic


def test_the_builtin_cases_are_package_data() -> None:
    from importlib import resources

    folder = resources.files("asn_kinerja.policy") / "builtin" / "cases"
    assert folder.joinpath("permenpanrb-6-2022.policycase.yaml").is_file()
    assert "cases" not in asn_kinerja.builtin_ids()


def test_a_malformed_file_is_a_collection_error(pytester: pytest.Pytester) -> None:
    pytester.makefile(
        ".policycase.yaml",
        bad="policy: permenpanrb-6-2022\ncases:\n  - name: x\n    expected: {}\n  - {expect: {}}\n",
    )
    result = run(pytester)
    result.assert_outcomes(errors=1)
    out = result.stdout.str()
    assert "bad.policycase.yaml:4: cases[0].expected: unknown key 'expected'" in out
    assert "bad.policycase.yaml:5: cases[1].name: a case needs a name" in out


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "t.policycase.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_dataset_folder_as_input(tmp_path: Path) -> None:
    result = asn_kinerja.evaluate(asn_kinerja.load_policy("permenpanrb-6-2022"), asn_kinerja.load_dataset(EXAMPLE))
    first = next(iter(result))
    counts = {p.value: n for p, n in result.counts().items()}
    path = write(
        tmp_path,
        f"""\
        cases:
          - name: the example agency
            policy: permenpanrb-6-2022
            input: {EXAMPLE}
            expect:
              counts: {counts}
              employees:
                "{first.employee_id}": {{predikat: {first.predikat.value}, perilaku_score: {first.perilaku_score}}}
              units:
                KEU: {{verdict: ok}}
                PIAK: {{verdict: violated, violations: [kurang.k_min_60]}}
        """,
    )
    [case] = read_cases(path, root=EXAMPLE)
    assert run_case(case).ok, run_case(case).report()


def test_tolerance_errors_and_inline_overlays(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        policy:
          id: t
          title: A stricter suggestion
          extends: permenpanrb-6-2022
          hasil_kerja: {suggestion: {thresholds: {di_atas: 104}}}
        input:
          employees: [{employee_id: E1, target: 3, realisasi: 3.1, rating_perilaku_kerja: sesuai}]
        tolerance: 0.01
        cases:
          - name: within the file's tolerance
            expect: {employees: {E1: {capaian: 103.34, rating_hasil_kerja: sesuai}}}
          - name: outside its own tolerance
            expect: {employees: {E1: {capaian: {value: 103.4, tolerance: 0.05}}}}
          - name: an invalid inline policy
            policy: {id: u, title: u, extends: permenpanrb-6-2022, hasil_kerja: {suggestion: {enabled: 7}}}
            expect: {error: "expected true or false, got int 7"}
          - name: an unexpected error names the line in the case file
            policy:
              id: u
              title: u
              extends: permenpanrb-6-2022
              hasil_kerja: {suggestion: {thresholds: {sesuai: 200}}}
            expect: {counts: {baik: 1}}
        """,
    )
    ok, outside, invalid, unexpected = (run_case(c) for c in read_cases(path))
    assert ok.ok, ok.report()
    assert not outside.ok
    assert "t.policycase.yaml:13: employee E1 capaian: expected 103.4 ± 0.05, got 103.33" in outside.report()
    assert outside.case.source == str(path)  # outside the working directory: named in full
    assert invalid.ok, invalid.report()
    report = unexpected.report()
    assert "policy case 'an unexpected error names the line in the case file' failed (" in report
    assert "t.policycase.yaml:17)" in report
    assert "t.policycase.yaml:22: hasil_kerja.suggestion.thresholds.sesuai: thresholds must be ordered" in report


def test_inline_data_problems_name_the_case_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        policy: permenpanrb-6-2022
        cases:
          - name: unknown superior
            input:
              employees:
                - {employee_id: E1, superior_id: NOBODY, rating_hasil_kerja: sesuai, rating_perilaku_kerja: sesuai}
            expect: {counts: {baik: 1}}
        """,
    )
    [case] = read_cases(path)
    report = run_case(case).report()
    assert "t.policycase.yaml:6: record E1: superior_id:" in report


def test_shorthands_for_ratings_and_surveys(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        policy:
          id: cz
          title: cz
          extends: permenpanrb-6-2022
          perilaku_kerja:
            strategy: citizen_weighted
            citizen: {weight: 0.5, applies_to: [overall], min_respondents: 3}
        cases:
          - name: a survey below its minimum is neither used nor shown
            input:
              units: [{unit_id: U, name: Layanan, service_unit: true}]
              employees:
                - {employee_id: B, rating_hasil_kerja: sesuai, rating_perilaku_kerja: sesuai}
                - {employee_id: E, superior_id: B, rating_hasil_kerja: sesuai}
              ratings: [{ratee_id: E, rater_id: B, group: atasan, score: 4.5}]
              surveys: [{unit_id: U, answers: [1, 1, 1, 1, 1, 1, 1, 1, 1], repeat: 2}]
            expect:
              employees:
                E:
                  perilaku_score: 4.5
                  rating_perilaku_kerja: di_atas
                  development: []
                  citizen: {used: false}
        """,
    )
    [case] = read_cases(path)
    outcome = run_case(case)
    assert outcome.ok, outcome.report()
    assert len(outcome.result.dataset.ratings.score) == 7  # one per BerAKHLAK value
    assert len(outcome.result.dataset.surveys.unit) == 2


def test_file_structure_problems_are_collected(tmp_path: Path) -> None:
    path = write(tmp_path, "policy: permenpanrb-6-2022\ntolerance: -1\ncases:\n  - {name: a, expect: {foo: 1}}\n")
    with pytest.raises(PolicyCaseError) as err:
        read_cases(path)
    fields = {p.field for p in err.value.problems}
    assert fields == {"tolerance", "cases[0].expect.foo", "cases[0].input"}


def test_the_experiment_cases_pass() -> None:
    path = ROOT / "examples" / "experiments" / "stricter-suggestion.policycase.yaml"
    outcomes = [run_case(c) for c in read_cases(path, root=ROOT / "examples")]
    assert len(outcomes) == 3
    assert all(o.ok for o in outcomes), "\n".join(o.report() for o in outcomes)
