"""The pytest plugin that runs policy test cases: every ``*.policycase.yaml`` file pytest meets is collected, and
each of its cases is a test item (the format is described in :mod:`asn_kinerja.cases`).

The plugin is registered when the package is installed (entry point ``pytest11``: ``asn_kinerja``); without the
installation, load it with ``pytest -p asn_kinerja.pytest_plugin``. A failing case reports its name, its file and
line, each expectation not met (with its own line, the expected and the actual value) and the steps of
``explain()`` of the employees concerned.

The files a case names (a policy file, a dataset folder) must lie under pytest's root folder (``rootdir``), or
under the folder given with ``--policycase-root``: a case file cannot make the test run read other files.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from asn_kinerja.cases import SUFFIX, CaseOutcome, PolicyCase, read_cases, run_case
from asn_kinerja.errors import AsnKinerjaError

__all__ = ["PolicyCaseFailed", "PolicyCaseFile", "PolicyCaseItem", "pytest_addoption", "pytest_collect_file"]


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--policycase-root``: the folder the files named by policy cases must be under."""
    parser.addoption(
        "--policycase-root",
        default=None,
        help="the folder every file named by a policy case must be under (default: pytest's root folder)",
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Collect ``*.policycase.yaml`` files."""
    if file_path.name.endswith(SUFFIX):
        file: PolicyCaseFile = PolicyCaseFile.from_parent(parent, path=file_path)
        return file
    return None


class PolicyCaseFailed(Exception):
    """A policy case did not give what it expects."""

    def __init__(self, outcome: CaseOutcome) -> None:
        super().__init__(outcome.report())
        self.outcome = outcome


class PolicyCaseFile(pytest.File):
    """A file of policy test cases."""

    def collect(self) -> Iterator[PolicyCaseItem]:
        try:
            root = self.config.getoption("policycase_root") or self.config.rootpath
            cases = read_cases(self.path, root=root)
        except AsnKinerjaError as exc:
            raise self.CollectError(str(exc)) from None
        for case in cases:
            yield PolicyCaseItem.from_parent(self, name=case.name, case=case)


class PolicyCaseItem(pytest.Item):
    """One policy test case."""

    def __init__(self, *, case: PolicyCase, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        outcome = run_case(self.case)
        if not outcome.ok:
            raise PolicyCaseFailed(outcome)

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str | Any:
        if isinstance(excinfo.value, PolicyCaseFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.case.line - 1, f"policy case {self.case.name!r} ({self.case.where})"
