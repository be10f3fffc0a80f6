"""Several periods: predikat per period, angka kredit accumulated by months, the annual practice labelled."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import asn_kinerja
from asn_kinerja import DataError, Predikat, load_policy_text
from asn_kinerja.cli import main
from asn_kinerja.dataset.periods import is_period_folder, load_periods
from asn_kinerja.engine.periods import evaluate_periods
from asn_kinerja.rules import angka_kredit_2023

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "examples" / "periods" / "data"
AHLI_PERTAMA = "199203142019032011"


def series(policy: asn_kinerja.Policy | None = None):  # type: ignore[no-untyped-def]
    return evaluate_periods(policy, load_periods(DATA))


def row(s, employee_id: str, policy: asn_kinerja.Policy | None = None) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return next(r for r in s.to_dict(policy)["employees"] if r["employee_id"] == employee_id)


def test_worked_example_accumulates_to_20_83() -> None:
    r = row(series(), AHLI_PERTAMA)
    assert r["predikat"] == {"2024": "sangat_baik", "2025-01": "baik", "2025-02": "baik"}
    assert r["predikat_label"] == {"2024": "Sangat Baik", "2025-01": "Baik", "2025-02": "Baik"}
    assert r["angka_kredit"] == {"2024": "18.75", "2025-01": "1.04", "2025-02": "1.04"}
    assert r["angka_kredit_total"] == "20.83"


def test_totals_equal_the_rule_accumulation() -> None:
    s = series()
    data = load_periods(DATA)
    for r in s.to_dict()["employees"]:
        periods = []
        for d in data:
            emp = d.employees
            i = list(emp.id).index(r["employee_id"])
            label = r["predikat_label"][d.period.id]
            if emp.jenis_jabatan[i] == asn_kinerja.model.JenisJabatan.JF.code:
                periods.append((str(emp.jenjang[i]), Predikat.parse(label), d.period.months))
        expected = angka_kredit_2023.akumulasi(periods).total if periods else None
        assert r["angka_kredit_total"] == (None if expected is None else str(expected))


def test_periodic_evaluations_replace_the_annual_one_they_cover(tmp_path: Path) -> None:
    root = tmp_path / "periods"
    shutil.copytree(DATA, root)
    annual = root / "2025"
    shutil.copytree(root / "2025-01", annual)
    text = (annual / "dataset.yaml").read_text(encoding="utf-8")
    (annual / "dataset.yaml").write_text(
        text.replace(
            "id: '2025-01', start: 2025-01-01, end: 2025-01-31, kind: monthly",
            "id: '2025', start: 2025-01-01, end: 2025-12-31, kind: annual",
        ),
        encoding="utf-8",
    )
    s = evaluate_periods(None, load_periods(root))
    assert s.to_dict()["angka_kredit_periods"] == ["2024", "2025-01", "2025-02"]
    assert row(s, AHLI_PERTAMA)["angka_kredit_total"] == "20.83"


def test_overlapping_periodic_evaluations_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "periods"
    shutil.copytree(DATA, root)
    text = (root / "2025-02" / "dataset.yaml").read_text(encoding="utf-8")
    (root / "2025-02" / "dataset.yaml").write_text(
        text.replace("start: 2025-02-01", "start: 2025-01-15"), encoding="utf-8"
    )
    with pytest.raises(DataError, match="periods 2025-01 and 2025-02 overlap"):
        evaluate_periods(None, load_periods(root))


def test_periods_of_one_agency_with_distinct_ids(tmp_path: Path) -> None:
    root = tmp_path / "periods"
    shutil.copytree(DATA, root)
    path = root / "2025-02" / "dataset.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace("id: '2025-02'", "id: '2025-01'")
        .replace("Kabupaten Bungo", "Kota Bukittinggi"),
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        load_periods(root)
    text = str(err.value)
    assert "different agencies" in text
    assert "period '2025-01' appears twice" in text


@pytest.mark.parametrize(
    ("rule", "expected"),
    [("none", None), ("last", "Baik"), ("worst", "Sangat Kurang"), ("mode", "Sangat Kurang")],
)
def test_annual_practice_is_labelled_and_optional(rule: str, expected: str | None) -> None:
    policy = load_policy_text(
        f"id: praktik\ntitle: Praktik\nextends: permenpanrb-6-2022\nperiods: {{annual_from_periodic: {rule}}}\n"
    )
    s = series(policy)
    # Agus Siregar: Sangat Kurang in January, Baik in February (a tie for mode: the worse wins).
    assert row(s, "199001072015031002", policy)["annual_practice_label"] == expected
    assert s.to_dict(policy)["employees"][0]["annual_practice_label"] == (None if rule == "none" else "Baik")
    assert "district practice, not regulation" in s.to_table(policy)


def test_cli_on_a_folder_of_periods(capsys) -> None:  # type: ignore[no-untyped-def]
    assert is_period_folder(DATA)
    assert main(["evaluate", str(DATA), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [p["id"] for p in data["periods"]] == ["2024", "2025-01", "2025-02"]
    assert main(["evaluate", str(DATA), "--by-unit"]) == 2


def test_example_readme_shows_the_current_output() -> None:
    readme = (ROOT / "examples" / "periods" / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in readme.split("```text\n")[1:]]
    commands = [[], ["--policy", str(ROOT / "examples" / "periods" / "practice-worst.yaml")]]
    for block, extra in zip(blocks, commands, strict=True):
        out = subprocess.run(
            [sys.executable, "-m", "asn_kinerja", "evaluate", str(DATA), *extra],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert block == out
    assert Decimal(row(series(), AHLI_PERTAMA)["angka_kredit_total"]) == Decimal("20.83")
