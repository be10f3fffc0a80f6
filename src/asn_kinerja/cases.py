"""Policy test cases written in YAML: a policy, a small input, and the outputs expected of it.

A policy team states what a policy must do in files named ``*.policycase.yaml``; with the package installed,
``pytest`` collects them (the ``asn_kinerja`` pytest plugin, :mod:`asn_kinerja.pytest_plugin`) and each case is a
test. :func:`read_cases` and :func:`run_case` do the same without pytest. A file::

    policy: permenpanrb-6-2022          # the default policy of the file's cases (optional)
    policies:                           # named policies written here, usable as `policy: t360`
      t360:
        id: t360
        title: 360-degree
        extends: permenpanrb-6-2022
        perilaku_kerja: {strategy: three_sixty, weights: {atasan: 0.5, rekan: 0.5}, three_sixty: {}}
    tolerance: 0                        # the default tolerance on numbers (optional; 0 = exact)
    cases:
      - name: Di Atas × Sesuai is Baik
        policy: permenpanrb-6-2022      # a name from `policies`, a built-in id, a file (relative to this
                                        # file) or a policy written inline as a mapping
        on: 2025-01-01                  # the date of the dated values (optional)
        input:                          # a dataset folder (relative to this file) or the tables inline
          employees:
            - {employee_id: E1, rating_hasil_kerja: di_atas, rating_perilaku_kerja: sesuai}
        expect:
          employees:
            E1: {predikat: baik, rating_perilaku_kerja: sesuai}
          counts: {baik: 1}             # predikat counts over the input (those named)
          units:
            U: {verdict: ok}            # ok, violated or none; also violations: [rule ids], counts, n
          # error: "weights must sum"   # instead: loading or evaluating must fail with this text

**Inline input.** The tables of the dataset format (:mod:`asn_kinerja.dataset.io`) as lists of rows with the same
column names: ``units``, ``employees``, ``rhk``, ``indicators``, ``ratings``, ``evaluations``, ``surveys``,
``adjustments``, and optionally ``agency``, ``period`` (``{id, start, end, kind}``, default the year 2025) and
``scale`` (default ``{min: 1, max: 5}``). To keep cases short:

- ``units`` defaults to one unit ``U``; an employee's ``name`` defaults to the id, ``unit_id`` to the first unit
  and ``jenis_jabatan`` to ``JA``;
- an employee row may carry ``rating_hasil_kerja`` and ``rating_perilaku_kerja`` (the evaluator's ratings, i.e.
  an ``evaluations`` row) and ``target``, ``realisasi`` (and ``direction``): one RHK utama with one indicator;
- a ``ratings`` row without ``criterion`` stands for one rating of that score on every criterion (aspect) the
  policy rates;
- a ``surveys`` row may give ``answers: [u1, …, u9]`` and ``repeat: n`` (n respondents answering alike).

**Expected values.** An employee's expected keys are the attributes of its result
(:class:`~asn_kinerja.EmployeeResult`: ``predikat``, ``rating_hasil_kerja``, ``hasil_kerja_basis``, ``capaian``,
``perilaku_score``, ``self_gap``, ``angka_kredit``, ``development`` …) or keys of its ``to_dict()``
(``perilaku_groups``, ``citizen``); a mapping checks only the keys it names. Ratings and predikat are written by
identifier or label; numbers match within the tolerance (``{value: 4.2, tolerance: 0.01}`` for one value);
``null`` expects no value. Expectations are checked against the *published* results: a behaviour score computed
from anonymous ratings is withheld (``null``, ``scores_withheld: true``) unless the case's policy sets
``privacy: {publish_scores: always}`` — an overlay in ``policies`` that does so checks the arithmetic on invented
raters.

A failure names the case, its file and line, the line of each expectation not met with the expected and the
actual value, and the steps of ``explain()`` of each employee concerned.

>>> from pathlib import Path
>>> import asn_kinerja.cases as cases
>>> folder = Path(cases.__file__).parent / "policy" / "builtin" / "cases"
>>> found = [c for f in sorted(folder.glob("*.policycase.yaml")) for c in read_cases(f)]
>>> all(run_case(c).ok for c in found)
True
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

import attrs

from asn_kinerja._files import read_bytes
from asn_kinerja._numbers import parse_decimal
from asn_kinerja.dataset.build import SURVEY_COLUMNS, build_dataset, period_problems, scale_problems
from asn_kinerja.dataset.columns import parse_number
from asn_kinerja.dataset.io import KEY_COLUMNS, TABLES, load_dataset
from asn_kinerja.dataset.model import Dataset
from asn_kinerja.dataset.table import RawTable
from asn_kinerja.engine.evaluate import evaluate
from asn_kinerja.engine.result import Evaluation
from asn_kinerja.errors import AsnKinerjaError, PolicyError, Problem, excerpt, shorten
from asn_kinerja.model import BERAKHLAK, LabelledEnum, Period
from asn_kinerja.policy import builtin_ids, load_policy
from asn_kinerja.policy.loader import load_policy_tree
from asn_kinerja.policy.model import Policy
from asn_kinerja.yamlschema.converter import Checked, FrozenMap, convert, doc
from asn_kinerja.yamlschema.tree import Limits, MapNode, Node, ScalarNode, SeqNode, read_yaml

_T = TypeVar("_T")

#: The most respondents one survey row of a case may stand for (``repeat``).
MAX_REPEAT = 10_000

__all__ = [
    "MAX_REPEAT",
    "PATTERN",
    "CaseOutcome",
    "Mismatch",
    "PolicyCase",
    "PolicyCaseError",
    "read_cases",
    "run_case",
]

#: The file names collected as policy test cases.
PATTERN = "*.policycase.yaml"
SUFFIX = ".policycase.yaml"

_TABLES = tuple(TABLES)
_INPUT_KEYS = ("agency", "period", "scale", *_TABLES)
_KEY_COLUMN = KEY_COLUMNS


class PolicyCaseError(PolicyError):
    """A policy test case file is malformed (unknown keys, a case without a name, ...)."""

    kind = "policy test cases"


@attrs.frozen(eq=False)
class PolicyCase:
    """One case read from a file: its name, where it is, and its still unread parts (located YAML nodes)."""

    name: str
    source: str
    path: Path
    line: int
    policy: Node | None
    policies: Mapping[str, MapNode]
    on: dt.date | None
    input: Node | None
    tolerance: Decimal
    expect: MapNode
    #: The folder every file the case names must be under (``None``: anywhere).
    root: Path | None = None

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"


@attrs.frozen
class Mismatch:
    """An expectation not met: its line, what was checked, and the expected and actual values as text."""

    line: int
    what: str
    expected: str
    actual: str
    employee_id: str | None = None


@attrs.frozen(eq=False)
class CaseOutcome:
    """What running a case found: the mismatches (none when it passes) and the evaluation, if there was one."""

    case: PolicyCase
    mismatches: tuple[Mismatch, ...]
    result: Any = None

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def report(self) -> str:
        """The failure report: the case and its file:line, each mismatch, then the steps of ``explain()`` of
        each employee concerned."""
        c = self.case
        out = [f"policy case {c.name!r} failed ({c.where})"]
        for m in self.mismatches:
            out.append(f"  {c.source}:{m.line}: {m.what}: expected {m.expected}, got {m.actual}")
        explained: list[str] = []
        for m in self.mismatches:
            if m.employee_id is None or m.employee_id in explained or self.result is None:
                continue
            explained.append(m.employee_id)
            try:
                text = str(self.result[m.employee_id].explain())
            except (AsnKinerjaError, KeyError, IndexError):
                continue
            out += ["", *(f"  {line}" for line in text.splitlines())]
        return "\n".join(out)


# --- reading ---------------------------------------------------------------------------------------------------


def _label(path: Path) -> str:
    """The file as messages name it: relative to the working directory when inside it, else in full."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)
    return str(path) if relative.startswith(os.pardir) else relative


class _Reader:
    """The problems found in a case's inline input, each with the case file's name."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, node: Node | None, message: str, field: str | None = None, line: int | None = None) -> None:
        self.problems.append(Problem(message, self.source, line or (node.line if node else None), field=field))

    def mapping(self, node: Node | None, field: str) -> MapNode | None:
        if node is None:
            return None
        if not isinstance(node, MapNode):
            self.add(node, f"must be a mapping, got {node.kind}", field)
            return None
        return node

    def keys(self, node: MapNode, allowed: Sequence[str], field: str) -> None:
        for (key, _), line in zip(node.items, node.key_lines, strict=True):
            if key not in allowed:
                where = f"{field}.{key}" if field else key
                self.add(node, f"unknown key {key!r} (known: {', '.join(allowed)})", where, line)


def _show(node: Node) -> str:
    return shorten(node.text) if isinstance(node, ScalarNode) else f"a {node.kind}"


def _tolerance(node: Node | None) -> Decimal | None:
    """A tolerance written in a case file: a number ≥ 0 kept exactly (at most 15 digits), else ``None``."""
    if isinstance(node, ScalarNode) and node.tag in ("int", "float"):
        value = parse_decimal(node.text)
        if value is not None and value >= 0 and isinstance(parse_number(value), float):
            return value
    return None


def _tolerance_problems(node: Node | None) -> list[tuple[str, str]]:
    if node is None or _tolerance(node) is not None:
        return []
    return [("tolerance", f"must be a number ≥ 0 (at most 15 digits), got {_show(node)}")]


# The schema of a case file, read by the schema converter of policies (asn_kinerja.yamlschema). What a case
# expects, its policy and its input stay YAML nodes: they are read when the case runs, with their lines.


@attrs.frozen(kw_only=True)
class _Expectations:
    employees: Node | None = doc("Expected values by employee id.", default=None)
    counts: Node | None = doc("Expected predikat counts.", default=None)
    units: Node | None = doc("Expected values by unit id.", default=None)
    error: Node | None = doc("Text that the error of loading or evaluating must contain.", default=None)


@attrs.frozen(kw_only=True)
class _CaseSpec(Checked):
    name: ScalarNode | None = doc("What the case shows (any text, a number too); unique in its file.", default=None)
    description: str | None = doc("Free text.", default=None)
    policy: Node | None = doc("A name from `policies`, a built-in id, a file or a policy mapping.", default=None)
    on: dt.date | None = doc("The date of the dated values.", default=None)
    input: Node | None = doc("A dataset folder or the tables inline.", default=None)
    tolerance: Node | None = doc("The tolerance on numbers.", default=None)
    expect: _Expectations | None = doc("What the case expects.", default=None)

    def check(self) -> list[tuple[str, str]]:
        found = _tolerance_problems(self.tolerance)
        if self.name is None or not self.name.text.strip():
            found.append(("name", "a case needs a name"))
        if self.expect is None:
            found.append(("expect", "a case needs `expect`"))
        elif self.expect.error is not None and any(
            node is not None for node in (self.expect.employees, self.expect.counts, self.expect.units)
        ):
            found.append(("expect", "a case that expects an error expects nothing else"))
        return found


@attrs.frozen(kw_only=True)
class _CaseFile(Checked):
    cases: SeqNode | None = doc("The cases.", default=None)
    description: str | None = doc("Free text.", default=None)
    policy: Node | None = doc("The default policy of the file's cases.", default=None)
    policies: Mapping[str, MapNode] = doc("Policies written here, by name.", factory=FrozenMap)
    input: Node | None = doc("The default input of the file's cases.", default=None)
    tolerance: Node | None = doc("The default tolerance on numbers (0: exact).", default=None)

    def check(self) -> list[tuple[str, str]]:
        if self.cases is None or not self.cases.items:
            return [("cases", "a list of cases is required")]
        return _tolerance_problems(self.tolerance)


def _converted(node: Node, cls: type[_T], problems: list[Problem], field: str) -> _T | None:
    """``node`` converted into ``cls``, or ``None`` with its problems added (their keys under ``field``)."""
    try:
        return convert(node, cls)[0]
    except PolicyError as exc:
        problems.extend(attrs.evolve(p, field=_under(field, p.field)) for p in exc.problems)
        return None


def _under(field: str, key: str | None) -> str | None:
    return ".".join(k for k in (field, key) if k) or None


def read_cases(path: str | Path, *, root: str | Path | None = None) -> list[PolicyCase]:
    """The cases of one ``*.policycase.yaml`` file; a :class:`PolicyCaseError` lists every problem of its
    structure (what the cases say is checked when they run).

    The files its cases name (a policy file, a dataset folder) are relative to it and must lie under ``root``
    (by default the file's own folder; the pytest plugin uses pytest's root folder, or ``--policycase-root``):
    a case file cannot make the runner read anything else on the machine."""
    path = Path(path)
    source = _label(path)
    tree = read_yaml(read_bytes(path, Limits().max_bytes, source=source, error=PolicyCaseError), source=source)
    if tree is None:
        raise PolicyCaseError([Problem("the file is empty: it needs cases", source)])
    reader = _CaseReader(source, path, Path(os.path.realpath(path.parent if root is None else root)))
    top = _converted(tree, _CaseFile, reader.problems, "")
    listed = tree.get("cases") if isinstance(tree, MapNode) else None
    defaults = tree if isinstance(tree, MapNode) else None
    items = listed.items if isinstance(listed, SeqNode) else ()
    found = [reader.case(top, defaults, i, node) for i, node in enumerate(items)]
    if reader.problems:
        raise PolicyCaseError(reader.problems)
    return [case for case in found if case is not None]


class _CaseReader:
    """The cases of one file, one by one, with every problem found and the line of each name seen."""

    def __init__(self, source: str, path: Path, root: Path) -> None:
        self.source, self.path, self.root = source, path, root
        self.problems: list[Problem] = []
        self.names: dict[str, int] = {}

    def add(self, message: str, line: int, field: str) -> None:
        self.problems.append(Problem(message, self.source, line, field=field))

    def case(self, top: _CaseFile | None, defaults: MapNode | None, i: int, node: Node) -> PolicyCase | None:
        """Case ``i`` (``None`` when it or the file's own keys are malformed, every problem added); ``defaults``:
        the file's keys as read, so that a case's policy and input are looked for even if some key is wrong."""
        field = f"cases[{i}]"
        spec = _converted(node, _CaseSpec, self.problems, field)
        name = node.get("name") if isinstance(node, MapNode) else None
        if not isinstance(node, MapNode) or not isinstance(name, ScalarNode) or not name.text.strip():
            return None  # the conversion said so
        if name.text in self.names:
            first = self.names[name.text]
            self.add(f"a second case named {name.text!r} (first on line {first})", name.line, f"{field}.name")
        self.names.setdefault(name.text, node.line)
        policy = node.get("policy") or (defaults.get("policy") if defaults else None)
        if policy is None:
            self.add("no policy: give `policy` in the case or at the top of the file", node.line, f"{field}.policy")
        data = node.get("input") or (defaults.get("input") if defaults else None)
        expect = node.get("expect")
        if data is None and not (isinstance(expect, MapNode) and expect.get("error") is not None):
            self.add("no input: give `input` in the case or at the top of the file", node.line, f"{field}.input")
        if spec is None or spec.name is None or top is None or not isinstance(expect, MapNode):
            return None
        return PolicyCase(
            name=name.text,
            source=self.source,
            path=self.path,
            line=node.line,
            policy=policy,
            policies=top.policies,
            on=spec.on,
            input=data,
            tolerance=_tolerance(spec.tolerance or top.tolerance) or Decimal(0),
            expect=expect,
            root=self.root,
        )


# --- building the policy and the input ---------------------------------------------------------------------------


def _policy(case: PolicyCase) -> Policy:
    node = case.policy
    base_dir = case.path.parent
    if isinstance(node, MapNode):
        return load_policy_tree(node, source=case.source, on=case.on, base_dir=base_dir)
    if not isinstance(node, ScalarNode) or node.tag != "str":
        raise PolicyCaseError([Problem("policy: a name, a built-in id, a file or a mapping", case.source, case.line)])
    if node.text in case.policies:
        return load_policy_tree(case.policies[node.text], source=case.source, on=case.on, base_dir=base_dir)
    if node.text in builtin_ids():
        return load_policy(node.text, on=case.on)
    return load_policy(_named_file(case, node, "policy"), on=case.on)


def _named_file(case: PolicyCase, node: ScalarNode, what: str) -> Path:
    """A file or folder a case names: relative to the case file, and under the case's root."""
    path = Path(node.text)
    full = path if path.is_absolute() else case.path.parent / path
    if case.root is not None:
        try:
            inside = Path(os.path.realpath(full)).is_relative_to(case.root)
        except (OSError, ValueError):
            inside = False
        if not inside:
            raise PolicyCaseError(
                [
                    Problem(
                        f"{excerpt(node.text)} is outside {case.root}, the folder the cases may read from (a runner "
                        "may allow a wider one: read_cases(root=...), pytest --policycase-root)",
                        case.source,
                        node.line,
                        field=what,
                    )
                ]
            )
    return full


def _cell(node: Node) -> object:
    if isinstance(node, ScalarNode):
        return None if node.tag == "null" else node.text
    return node


def _rows(r: _Reader, node: Node | None, table: str) -> list[tuple[dict[str, object], int]]:
    if node is None:
        return []
    if not isinstance(node, SeqNode):
        r.add(node, f"a list of rows, got {node.kind}", f"input.{table}")
        return []
    rows = []
    for i, item in enumerate(node.items):
        if not isinstance(item, MapNode):
            r.add(item, f"a row is a mapping of columns, got {item.kind}", f"input.{table}[{i}]")
            continue
        rows.append(({k: _cell(v) for k, v in item.items}, item.line))
    return rows


def _table(name: str, source: str, rows: list[tuple[dict[str, object], int]]) -> RawTable:
    return RawTable.from_rows(
        name, source, [row for row, _ in rows], lines=[line for _, line in rows], key=_KEY_COLUMN[name]
    )


def _inline_dataset(case: PolicyCase, node: MapNode, criteria: Sequence[str]) -> Dataset:
    r = _Reader(case.source)
    r.keys(node, _INPUT_KEYS, "input")
    rows = {name: _rows(r, node.get(name), name) for name in _TABLES}
    if not rows["units"]:
        rows["units"] = [({"unit_id": "U", "name": "U"}, node.line)]
    _spread_employees(rows)
    rows["ratings"] = _spread_ratings(rows["ratings"], criteria)
    rows["surveys"] = _spread_surveys(r, rows["surveys"])
    for name, table_rows in rows.items():
        for row, line in table_rows:
            for col, value in row.items():
                if isinstance(value, MapNode | SeqNode):
                    r.add(None, f"a cell is one value, got a {value.kind}", f"input.{name}.{col}", line)
    period_node = r.mapping(node.get("period"), "input.period")
    scale_node = r.mapping(node.get("scale"), "input.scale")
    agency = node.get("agency")
    if agency is not None and not (isinstance(agency, ScalarNode) and agency.tag == "str"):
        r.add(agency, f"text, got {_show(agency)}", "input.agency")
    period = _period(r, period_node)
    scale = (_scalar(scale_node, "min", "1"), _scalar(scale_node, "max", "5"))
    if scale_node is not None:
        r.keys(scale_node, ("min", "max"), "input.scale")
        for problem in scale_problems(scale, case.source):
            r.add(scale_node, problem.message, f"input.{problem.field}")
    if r.problems:
        raise PolicyCaseError(r.problems)
    assert period is not None
    return build_dataset(
        agency="Policy case" if not isinstance(agency, ScalarNode) else agency.text,
        period=period,
        scale=scale,
        tables={name: _table(name, case.source, table_rows) for name, table_rows in rows.items()},
        source=case.source,
    )


def _spread_employees(rows: dict[str, list[tuple[dict[str, object], int]]]) -> None:
    """An employee row's shortcuts (ratings given, one indicator's target and realisasi) become rows of their
    tables; a row without ``name``, ``unit_id`` or ``jenis_jabatan`` gets the defaults."""
    first_unit = rows["units"][0][0].get("unit_id")
    employees = []
    for row, line in rows["employees"]:
        row = dict(row)
        emp = row.get("employee_id")
        row.setdefault("name", emp)
        row.setdefault("unit_id", first_unit)
        row.setdefault("jenis_jabatan", "JA")
        given: dict[str, object] = {k: row.pop(k) for k in ("rating_hasil_kerja", "rating_perilaku_kerja") if k in row}
        if given:
            rows["evaluations"].append(({"employee_id": emp, **given}, line))
        target: dict[str, object] = {k: row.pop(k) for k in ("target", "realisasi", "direction") if k in row}
        if target:
            rows["rhk"].append(({"rhk_id": f"RHK-{emp}", "employee_id": emp, "text": f"RHK of {emp}"}, line))
            indicator = {"indicator_id": f"IKI-{emp}", "rhk_id": f"RHK-{emp}", "text": f"Indicator of {emp}"}
            rows["indicators"].append(({**indicator, **target}, line))
        employees.append((row, line))
    rows["employees"] = employees


def _spread_ratings(
    given: list[tuple[dict[str, object], int]], criteria: Sequence[str]
) -> list[tuple[dict[str, object], int]]:
    """A rating row without a criterion stands for one rating of that score on every criterion."""
    ratings: list[tuple[dict[str, object], int]] = []
    for row, line in given:
        if row.get("criterion") is None:
            ratings += [({**row, "criterion": c}, line) for c in criteria]
        else:
            ratings.append((row, line))
    return ratings


def _spread_surveys(r: _Reader, given: list[tuple[dict[str, object], int]]) -> list[tuple[dict[str, object], int]]:
    """A survey row's ``answers`` spread over u1 … u9, and ``repeat`` respondents answering alike."""
    surveys: list[tuple[dict[str, object], int]] = []
    for i, (row, line) in enumerate(given):
        row = dict(row)
        answers = row.pop("answers", None)
        if isinstance(answers, SeqNode):
            row |= {col: _cell(a) for col, a in zip(SURVEY_COLUMNS, answers.items, strict=False)}
        elif answers is not None:
            r.add(None, "answers: a list of the nine answers", f"input.surveys[{i}].answers", line)
        repeat = row.pop("repeat", None) or "1"
        times = str(repeat)
        if not (times.isascii() and times.isdigit() and len(times) <= 6) or not 1 <= int(times) <= MAX_REPEAT:
            shown = _show(repeat) if isinstance(repeat, Node) else shorten(times)
            r.add(None, f"a whole number from 1 to {MAX_REPEAT}, got {shown}", f"input.surveys[{i}].repeat", line)
            continue
        if len(surveys) + int(times) > MAX_REPEAT * 10:
            r.add(None, f"the surveys of a case stand for at most {MAX_REPEAT * 10} respondents", "input.surveys", line)
            break
        for k in range(int(times)):
            respondent = row.get("respondent_id") or f"{row.get('unit_id')}-{i + 1}-{k + 1}"
            surveys.append(({**row, "respondent_id": respondent}, line))
    return surveys


def _period(r: _Reader, node: MapNode | None) -> Period | None:
    """The period of inline input (default the year 2025), every problem added to ``r`` with its line."""
    if node is not None:
        r.keys(node, ("id", "start", "end", "kind"), "input.period")
    dates = {}
    for key, default in (("start", "2025-01-01"), ("end", "2025-12-31")):
        found = None if node is None else node.get(key)
        try:
            dates[key] = dt.date.fromisoformat(_scalar(node, key, default))
        except ValueError:
            r.add(
                found or node, f"a date YYYY-MM-DD, got {_show(found) if found else 'nothing'}", f"input.period.{key}"
            )
    if len(dates) < 2:
        return None
    kind = _scalar(node, "kind", "annual")
    period = Period(_scalar(node, "id", str(dates["start"].year)), dates["start"], dates["end"], kind)
    for problem in period_problems(period, r.source):
        r.add(node, problem.message, f"input.{problem.field}")
    return period


def _scalar(node: MapNode | None, key: str, default: str) -> str:
    found = None if node is None else node.get(key)
    return found.text if isinstance(found, ScalarNode) and found.tag != "null" else default


def _dataset(case: PolicyCase, policy: Policy) -> Dataset:
    node = case.input
    if isinstance(node, ScalarNode) and node.tag == "str":
        return load_dataset(_named_file(case, node, "input"))
    if not isinstance(node, MapNode):
        raise PolicyCaseError([Problem("input: a dataset folder or the tables as a mapping", case.source, case.line)])
    return _inline_dataset(case, node, _criteria(policy))


def _criteria(policy: Policy) -> tuple[str, ...]:
    """What the policy's behaviour ratings are given on, whatever its regime."""
    if policy.perilaku_kerja is not None:
        return policy.perilaku_kerja.criteria
    if policy.pp30 is not None:
        return policy.pp30.perilaku.criteria
    if policy.pp46 is not None:
        return policy.pp46.perilaku.criteria
    return BERAKHLAK


# --- checking ----------------------------------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, LabelledEnum):
        return value.label
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    return str(value)


def _expected(node: Node, actual: object, tolerance: Decimal) -> str:
    """The expectation as text: a rating or predikat by its label, a number with its tolerance."""
    text = _show(node)
    if isinstance(node, ScalarNode) and isinstance(actual, LabelledEnum):
        try:
            return type(actual).parse(node.text).label
        except ValueError as exc:
            return f"{text} ({exc})"
    if isinstance(node, ScalarNode) and node.tag in ("int", "float") and tolerance > 0:
        return f"{text} ± {tolerance}"
    return text


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, float | str):
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return None
    return None


class _Checker:
    def __init__(self, case: PolicyCase) -> None:
        self.case = case
        self.mismatches: list[Mismatch] = []

    def fail(self, line: int, what: str, expected: str, actual: str, employee: str | None = None) -> None:
        self.mismatches.append(Mismatch(line, what, expected, actual, employee))

    def value(self, node: Node, actual: object, what: str, employee: str | None = None) -> None:
        """Compare ``actual`` with the expectation ``node`` (recursively for mappings and lists)."""
        tolerance = self.case.tolerance
        inner = node.get("value") if isinstance(node, MapNode) else None
        if isinstance(node, MapNode) and inner is not None and set(node.keys()) <= {"value", "tolerance"}:
            tol = node.get("tolerance")
            own = _number(tol.text) if isinstance(tol, ScalarNode) else None
            tolerance = tolerance if own is None else own
            node = inner
        if isinstance(node, MapNode):
            if attrs.has(type(actual)) and not isinstance(actual, Mapping):
                actual = {name: getattr(actual, name) for name in attrs.fields_dict(type(actual))}  # type: ignore[arg-type]
            if not isinstance(actual, Mapping):
                self.fail(node.line, what, "a mapping", _text(actual), employee)
                return
            for (key, sub), line in zip(node.items, node.key_lines, strict=True):
                found = [v for k, v in actual.items() if getattr(k, "value", k) == key or str(k) == key]
                if not found:
                    self.fail(line, f"{what}.{key}", _show(sub), "no such key", employee)
                else:
                    self.value(sub, found[0], f"{what}.{key}", employee)
            return
        if isinstance(node, SeqNode):
            if not isinstance(actual, Sequence) or isinstance(actual, str):
                self.fail(node.line, what, "a list", _text(actual), employee)
                return
            expected = [_show(n) for n in node.items]
            if len(actual) != len(node.items) or any(
                not self._same(n, a, tolerance) for n, a in zip(node.items, actual, strict=False)
            ):
                self.fail(node.line, what, "[" + ", ".join(expected) + "]", _text(list(actual)), employee)
            return
        if not self._same(node, actual, tolerance):
            self.fail(node.line, what, _expected(node, actual, tolerance), _text(actual), employee)

    @staticmethod
    def _same(node: Node, actual: object, tolerance: Decimal) -> bool:
        if not isinstance(node, ScalarNode):
            return False
        if node.tag == "null":
            return actual is None
        if actual is None:
            return False
        if isinstance(actual, LabelledEnum):
            try:
                return type(actual).parse(node.text) is actual
            except ValueError:
                return False
        if isinstance(actual, bool):
            return node.tag == "bool" and (node.text.lower() in ("true", "yes", "on")) == actual
        number = _number(actual)
        if number is not None and node.tag in ("int", "float"):
            expected = _number(node.text.replace("_", ""))
            return expected is not None and abs(number - expected) <= tolerance
        return str(actual) == node.text

    def employees(self, result: Any, node: Node) -> None:
        if not isinstance(node, MapNode):
            self.fail(node.line, "employees", "a mapping of employee id to expected values", f"a {node.kind}")
            return
        for (emp, expected), line in zip(node.items, node.key_lines, strict=True):
            try:
                r = result[emp]
            except (AsnKinerjaError, KeyError, IndexError):
                self.fail(line, f"employee {emp}", "an employee of the input", "no such employee")
                continue
            if not isinstance(expected, MapNode):
                self.fail(expected.line, f"employee {emp}", "a mapping of expected values", f"a {expected.kind}")
                continue
            as_dict: dict[str, Any] | None = None
            for (key, sub), key_line in zip(expected.items, expected.key_lines, strict=True):
                if not key.startswith("_") and hasattr(r, key) and not callable(getattr(r, key)):
                    self.value(sub, getattr(r, key), f"employee {emp} {key}", emp)
                    continue
                as_dict = r.to_dict() if as_dict is None else as_dict
                if key in as_dict:
                    self.value(sub, as_dict[key], f"employee {emp} {key}", emp)
                else:
                    known = sorted({f.name for f in attrs.fields(type(r)) if not f.name.startswith("_")} | set(as_dict))
                    self.fail(key_line, f"employee {emp} {key}", f"one of {', '.join(known)}", "an unknown key", emp)

    def counts(self, result: Any, node: Node) -> None:
        counts = result.counts()
        kind = type(next(iter(counts)))
        if not isinstance(node, MapNode):
            self.fail(node.line, "counts", "a mapping of predikat to counts", f"a {node.kind}")
            return
        for (key, sub), line in zip(node.items, node.key_lines, strict=True):
            try:
                predikat = kind.parse(key)
            except ValueError as exc:
                self.fail(line, f"counts {key}", "a predikat", str(exc))
                continue
            self.value(sub, counts[predikat], f"counts {predikat.label}")

    def units(self, result: Any, node: Node) -> None:
        if not isinstance(result, Evaluation):
            self.fail(node.line, "units", "an evaluation with units (permenpanrb-6-2022)", type(result).__name__)
            return
        if not isinstance(node, MapNode):
            self.fail(node.line, "units", "a mapping of unit id to expected values", f"a {node.kind}")
            return
        reports = {u.unit_id: u for u in result.units()}
        for (uid, expected), line in zip(node.items, node.key_lines, strict=True):
            u = reports.get(uid)
            if u is None:
                self.fail(line, f"unit {uid}", "a unit of the input", "no such unit")
                continue
            if not isinstance(expected, MapNode):
                self.fail(expected.line, f"unit {uid}", "a mapping of expected values", f"a {expected.kind}")
                continue
            verdict = "none" if u.ok is None else "ok" if u.ok else "violated"
            rules = [] if u.distribution is None else [v.rule for v in u.distribution.violations]
            actual = {
                "verdict": verdict,
                "n": u.n,
                "counts": dict(u.counts),
                "predikat_organisasi": u.predikat_organisasi,
                "development": dict(u.development),
            }
            for (key, sub), key_line in zip(expected.items, expected.key_lines, strict=True):
                if key == "violations":
                    wanted = sorted(_show(n) for n in sub.items) if isinstance(sub, SeqNode) else None
                    if wanted is None or wanted != sorted(rules):
                        shown = _show(sub) if wanted is None else "[" + ", ".join(wanted) + "]"
                        self.fail(sub.line, f"unit {uid} violations", shown, "[" + ", ".join(sorted(rules)) + "]")
                elif key in actual:
                    self.value(sub, actual[key], f"unit {uid} {key}")
                else:
                    known = ", ".join([*actual, "violations"])
                    self.fail(key_line, f"unit {uid} {key}", f"one of {known}", "an unknown key")


def run_case(case: PolicyCase) -> CaseOutcome:
    """Run one case: load its policy, build its input, evaluate, and compare with what it expects."""
    checker = _Checker(case)
    expect = case.expect
    error_node = expect.get("error")
    try:
        policy = _policy(case)
        result = evaluate(policy, _dataset(case, policy))
    except AsnKinerjaError as exc:
        if error_node is None:
            checker.fail(case.line, "the case", "an evaluation", f"an error:\n{_indent(str(exc))}")
        elif _show(error_node) not in str(exc):
            checker.fail(error_node.line, "error", f"an error containing {_show(error_node)!r}", _indent(str(exc)))
        return CaseOutcome(case, tuple(checker.mismatches))
    if error_node is not None:
        checker.fail(error_node.line, "error", f"an error containing {_show(error_node)!r}", "no error")
        return CaseOutcome(case, tuple(checker.mismatches), result)
    for key, node in expect.items:
        getattr(checker, key)(result, node)
    return CaseOutcome(case, tuple(checker.mismatches), result)


def _indent(text: str) -> str:
    return text.replace("\n", "\n    ")
