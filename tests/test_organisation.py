"""Organisation needs: distribution per unit, cascading, angka kredit, the leader rule, development needs."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import asn_kinerja
from asn_kinerja import Predikat, Rating, evaluate, load_policy_text
from asn_kinerja.cli import main
from asn_kinerja.engine.organisation import leaders
from asn_kinerja.model import JenisJabatan
from asn_kinerja.rules import angka_kredit_2023

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "bungo" / "data"


@pytest.fixture(scope="module")
def result() -> asn_kinerja.Evaluation:
    out = evaluate(asn_kinerja.load_policy("permenpanrb-6-2022"), asn_kinerja.load_dataset(EXAMPLE))
    assert isinstance(out, asn_kinerja.Evaluation)
    return out


def test_units_report_counts_shares_and_verdicts(result) -> None:  # type: ignore[no-untyped-def]
    units = result.units()
    assert sum(u.n for u in units) == len(result)
    verdicts = {u.unit_id: u.ok for u in units}
    assert verdicts["KEU"] is True
    assert verdicts["PIAK"] is False
    # Reported, never relabelled: the counts are those of the employees' own predikat.
    for u in units:
        mine = [r.predikat for r in result if r.unit_id == u.unit_id]
        assert {p: mine.count(p) for p in Predikat} == dict(u.counts)


def test_units_in_json_and_cli(result, capsys) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(result.to_json())
    units = {u["unit_id"]: u for u in data["units"]}
    assert units["KEU"]["distribution"]["ok"] is True
    assert units["PIAK"]["distribution"]["ok"] is False
    assert units["PIAK"]["distribution"]["violations"][0]["rule"] == "kurang.k_min_60"
    assert main(["evaluate", str(EXAMPLE), "--by-unit"]) == 0
    out = capsys.readouterr().out
    assert "KEU — Subbagian Perencanaan dan Keuangan" in out
    assert "meets the guidance" in out
    assert "VIOLATES the guidance" in out
    assert "Kurang/Misconduct paling sedikit 60 %: required ≥ 60 %, actual 4/11 = 36.36 %" in out
    assert main(["evaluate", str(EXAMPLE), "--by-unit", "--format", "json"]) == 0
    by_unit = json.loads(capsys.readouterr().out)
    assert set(by_unit) == {"policy", "dataset", "units", "cascading"}
    assert main(["evaluate", str(EXAMPLE), "--by-unit", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 + len(result.units())
    assert any(line.startswith("KEU,") and ",ok," in line for line in lines)


def test_count_leader_option_changes_the_counts() -> None:
    data = asn_kinerja.load_dataset(EXAMPLE)
    without = load_policy_text(
        "id: tanpa-pimpinan\ntitle: Tanpa pimpinan\nextends: permenpanrb-6-2022\ndistribution: {count_leader: false}\n"
    )
    units = {u.unit_id: u.n for u in evaluate(without, data).units()}  # type: ignore[union-attr]
    heads = np.bincount(data.employees.unit[leaders(data)], minlength=len(data.units))
    base = {u.unit_id: u.n for u in evaluate(asn_kinerja.load_policy("permenpanrb-6-2022"), data).units()}  # type: ignore[union-attr]
    for i, uid in enumerate(data.units.id):
        assert units[str(uid)] == base[str(uid)] - int(heads[i])


def test_cascading_defects_name_employee_and_rhk(result) -> None:  # type: ignore[no-untyped-def]
    issues = {(c.kind, c.rhk_id): c for c in result.cascading()}
    kinds = {kind for kind, _ in issues}
    assert kinds == {"none", "not_superior", "missing"}
    missing = next(c for (kind, _), c in issues.items() if kind == "missing")
    assert "'RHK-9999', which does not exist" in missing.message
    assert missing.employee_id in set(result.dataset.employees.id)
    wrong = next(c for (kind, _), c in issues.items() if kind == "not_superior")
    assert "not of the direct superior" in wrong.message
    assert json.loads(result.to_json())["cascading"][0]["rhk_id"] == sorted(i.rhk_id for i in result.cascading())[0]


def test_angka_kredit_of_functional_positions(result) -> None:  # type: ignore[no-untyped-def]
    emp = result.dataset.employees
    seen = 0
    for r in result:
        row = result.dataset.employee_row(r.employee_id)
        if r.jenis_jabatan is JenisJabatan.JF:
            expected = angka_kredit_2023.angka_kredit(str(emp.jenjang[row]), r.predikat, bulan=12)
            assert r.angka_kredit == expected
            assert any(s.label == "angka kredit" and s.value == str(expected) for s in r.explain())
            seen += 1
        else:
            assert r.angka_kredit is None
    assert seen >= 5


def test_requirement_table_in_the_policy_matches_the_rules() -> None:
    rules = asn_kinerja.load_policy("permenpanrb-6-2022").angka_kredit
    assert rules is not None
    assert {k: (v.pangkat, v.jenjang) for k, v in rules.requirements.items()} == {
        k: (v.pangkat, v.jenjang) for k, v in angka_kredit_2023.KEBUTUHAN.items()
    }


def test_leader_takes_the_organisation_predikat_when_enabled() -> None:
    data = asn_kinerja.load_dataset(EXAMPLE)
    policy = load_policy_text(
        "id: pimpinan\ntitle: Pimpinan\nextends: permenpanrb-6-2022\nhasil_kerja: {leader: {enabled: true}}\n"
    )
    result = evaluate(policy, data)
    units = data.units
    changed = 0
    for row in np.flatnonzero(leaders(data)):
        r = result.result(int(row))  # type: ignore[union-attr]
        org = units.predikat_organisasi[data.employees.unit[row]]
        if data.employees.rating_hasil_kerja[row] >= 0 or org < 0:
            assert r.hasil_kerja_basis != "organisation"
            continue
        mapping = policy.hasil_kerja.leader.mapping  # type: ignore[union-attr]
        assert r.rating_hasil_kerja is mapping[asn_kinerja.PredikatOrganisasi.from_code(int(org))]
        assert r.hasil_kerja_basis == "organisation"
        assert "organisation predikat" in next(s for s in r.explain() if s.label == "rating hasil kerja").detail
        changed += 1
    assert changed >= 1


def test_leader_mapping_must_be_complete() -> None:
    # An overlay merges mappings key by key, so a partial mapping needs a policy of its own.
    text = (ROOT / "src/asn_kinerja/policy/builtin/permenpanrb-6-2022.yaml").read_text(encoding="utf-8")
    partial = text.replace(
        "enabled: false\n    mapping: {istimewa: di_atas, baik: sesuai,", "enabled: true\n    mapping: {"
    )
    assert partial != text
    with pytest.raises(asn_kinerja.PolicyError) as err:
        load_policy_text(partial)
    [problem] = err.value.problems
    assert problem.field == "hasil_kerja.leader.mapping"
    assert "missing istimewa, baik" in problem.message


def test_development_needs_per_employee_and_unit(result) -> None:  # type: ignore[no-untyped-def]
    dev = result.policy.development
    assert dev is not None
    totals: dict[str, int] = {}
    for r in result:
        for theme in r.development:
            assert theme in dev.themes.values()
            totals[theme] = totals.get(theme, 0) + 1
    assert totals
    by_units: dict[str, int] = {}
    for u in result.units():
        for theme, count in u.development.items():
            by_units[theme] = by_units.get(theme, 0) + count
    assert by_units == totals


def test_development_threshold_is_exact() -> None:
    from test_strategies import team  # the small team builder

    policy = asn_kinerja.load_policy("permenpanrb-6-2022")
    at = evaluate(policy, team([], boss="3", self_score=None))["E"]
    below = evaluate(policy, team([], boss="2.99", self_score=None))["E"]
    assert at.development == ()
    assert set(below.development) == set(policy.development.themes.values())  # type: ignore[union-attr]
    gap = evaluate(policy, team([], boss="3.5", self_score="5"))["E"]  # self 5 − others 3.5 = 1.5: the gap
    assert len(gap.development) == len(BERAKHLAK)
    assert gap.rating_perilaku_kerja is Rating.SESUAI_EKSPEKTASI


BERAKHLAK = asn_kinerja.model.BERAKHLAK


def test_angka_kredit_cli(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["angka-kredit", "ahli_pertama", "sangat_baik:12", "baik:2"]) == 0
    out = capsys.readouterr().out
    assert "18.75" in out
    assert "2.08" in out
    assert "20.83" in out
    assert "Kenaikan pangkat: 50 needed, 29.17 remaining" in out
    assert main(["angka-kredit", "ahli_pertama", "baik:13"]) == 2
    assert "whole number of months" in capsys.readouterr().err


def test_unit_plot_is_written(result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import asn_kinerja.plot

    unit = next(u for u in result.units() if u.unit_id == "PIAK")
    figure = asn_kinerja.plot.unit_distribution(unit)
    path = tmp_path / "piak.png"
    figure.savefig(path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert figure.axes[0].get_title() == "PIAK — Kurang: violates the guidance"
    limits = sorted(round(line.get_segments()[0][0][1]) for line in figure.axes[0].collections)
    assert limits == [10, 10, 60]
