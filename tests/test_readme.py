"""The README's figures are the library's: its example output and its strategy table are recomputed here."""

from __future__ import annotations

import re
from pathlib import Path

import asn_kinerja
from asn_kinerja import Predikat

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DATA = ROOT / "examples" / "bungo" / "data"


def test_readme_example_output_is_current() -> None:
    result = asn_kinerja.evaluate(asn_kinerja.load_policy("permenpanrb-6-2022"), asn_kinerja.load_dataset(DATA))
    table = result.to_table().splitlines()
    block = README.split("```text\n", 1)[1].split("```", 1)[0].splitlines()
    assert block[:7] == table[:7]
    assert block[-1] == table[-1]


def test_readme_strategy_table_is_current() -> None:
    dataset = asn_kinerja.load_dataset(DATA)
    rows = {
        m.group(1): [int(x) for x in m.group(2).split("|") if x.strip()]
        for m in re.finditer(
            r"^\| (supervisor-only|360-degree|citizen-weighted)[^|]*\|((?: *\d+ *\|){5})$", README, re.M
        )
    }
    files = {"supervisor-only": "supervisor-only", "360-degree": "three-sixty", "citizen-weighted": "citizen-weighted"}
    assert set(rows) == set(files)
    for name, counts in rows.items():
        policy = asn_kinerja.load_policy(ROOT / "examples" / "policies" / f"{files[name]}.yaml")
        result = asn_kinerja.evaluate(policy, dataset)
        assert counts == [result.counts()[p] for p in Predikat], name


def test_readme_python_example_runs(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(ROOT)
    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})  # the README's own example, as a reader runs it
    assert "Penilaian" in capsys.readouterr().out
