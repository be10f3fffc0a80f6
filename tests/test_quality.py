"""The project's own gates, run with the suite: ruff, mypy --strict, and the Sphinx site (html and doctest, -W)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_ruff_lint_and_format() -> None:
    lint = run("ruff", "check", ".")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = run("ruff", "format", "--check", "src", "docs", "examples", "benchmarks")
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_mypy_strict() -> None:
    result = run("mypy", "--strict", "src")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("builder", ["html", "doctest"])
def test_docs_build_without_warnings(builder: str, tmp_path: Path) -> None:
    result = run("sphinx", "-W", "--keep-going", "-b", builder, "-q", ".", str(tmp_path / builder), cwd=ROOT / "docs")
    assert result.returncode == 0, result.stdout + result.stderr


def test_policy_reference_lists_every_schema_key() -> None:
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        from policy_reference import render
    finally:
        sys.path.pop(0)
    from asn_kinerja.policy.model import Policy
    from asn_kinerja.policy.schema import iter_schema

    text = render()
    for path, _, _ in iter_schema(Policy):
        assert f"| `{path}` |" in text
