"""The layers of the package hold: what each may import, and the former names of what moved.

- ``yamlschema`` (the bounded YAML reader and the schema converter) sits below ``policy``, ``dataset`` and
  ``cases`` and imports none of them;
- ``dataset`` does not borrow from ``policy``;
- ``rules`` only compute: they read no files and import no layer above them (the names that moved out of
  ``rules.skm_2017`` are forwarded, for one release, by module name).
"""

from __future__ import annotations

import ast
import importlib
import warnings
from pathlib import Path

import pytest

import asn_kinerja
from asn_kinerja import yamlschema
from asn_kinerja.yamlschema import converter, tree

SRC = Path(asn_kinerja.__file__).parent

#: package (folder under src/asn_kinerja) -> modules of the package it must not import (prefixes).
FORBIDDEN = {
    "yamlschema": ("asn_kinerja.policy", "asn_kinerja.dataset", "asn_kinerja.cases", "asn_kinerja.engine"),
    "dataset": ("asn_kinerja.policy", "asn_kinerja.cases", "asn_kinerja.engine", "asn_kinerja.regimes"),
    "rules": (
        "asn_kinerja._files",
        "asn_kinerja.dataset",
        "asn_kinerja.policy",
        "asn_kinerja.engine",
        "asn_kinerja.report",
        "csv",
    ),
}


def imports(path: Path) -> set[str]:
    """Every module a source file imports (at any depth, so that imports inside functions count)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            found.add(node.module)
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_above_it(package: str) -> None:
    files = sorted((SRC / package).glob("*.py"))
    assert files, package
    wrong = [
        f"{path.name} imports {module}"
        for path in files
        for module in sorted(imports(path))
        if any(module == bad or module.startswith(bad + ".") for bad in FORBIDDEN[package])
    ]
    assert wrong == []


def test_the_scanner_sees_imports_inside_functions(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text("import os\n\ndef f():\n    from asn_kinerja.policy import loader\n", encoding="utf-8")
    assert imports(source) == {"os", "asn_kinerja.policy"}


def test_the_yaml_layer_is_what_policy_and_dataset_use() -> None:
    from asn_kinerja.dataset import io
    from asn_kinerja.policy import loader

    assert loader.read_yaml is io.read_yaml is yamlschema.read_yaml is tree.read_yaml
    assert loader.convert is io.convert is yamlschema.convert is converter.convert
    assert asn_kinerja.Limits is asn_kinerja.policy.Limits is yamlschema.Limits


def test_the_former_reader_module_is_the_same_reader() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        old = importlib.import_module("asn_kinerja.policy.yamltree")
    for name in old.__all__:
        assert getattr(old, name) is getattr(tree, name), name


@pytest.mark.parametrize("name", ["Checked", "FrozenMap", "convert", "doc", "iter_schema"])
def test_the_former_converter_names_warn_and_still_work(name: str) -> None:
    old = importlib.import_module("asn_kinerja.policy.schema")
    with pytest.warns(DeprecationWarning, match=rf"asn_kinerja\.yamlschema\.{name}\b"):
        found = getattr(old, name)
    assert found is getattr(converter, name)


def test_reference_keeps_its_policy_name_without_a_warning() -> None:
    from asn_kinerja.policy import schema

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert schema.Reference is asn_kinerja.Reference is converter.Reference
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = schema.nothing


@pytest.mark.parametrize(
    ("name", "module"),
    [("read_survey_csv", "asn_kinerja.dataset.survey"), ("format_table", "asn_kinerja.report.ikm")],
)
def test_the_survey_reader_and_table_moved_out_of_the_rules(name: str, module: str) -> None:
    from asn_kinerja.rules import skm_2017

    assert name not in skm_2017.__all__
    with pytest.warns(DeprecationWarning, match=rf"moved to {module}\.{name}"):
        found = getattr(skm_2017, name)
    assert found is getattr(importlib.import_module(module), name)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = skm_2017.nothing


def test_a_schema_field_may_keep_a_node_as_read() -> None:
    import attrs

    @attrs.frozen(kw_only=True)
    class Holder:
        any: tree.Node | None = converter.doc("Anything.", default=None)
        table: tree.MapNode | None = converter.doc("A mapping.", default=None)
        rows: tree.SeqNode = converter.doc("A list.")

    kept, _ = converter.convert(tree.read_yaml("any: [1]\ntable: {a: 1}\nrows: []\n"), Holder)
    assert isinstance(kept.any, tree.SeqNode) and kept.any.line == 1
    assert isinstance(kept.table, tree.MapNode) and kept.table.get("a") is not None
    with pytest.raises(asn_kinerja.PolicyError) as info:
        converter.convert(tree.read_yaml("table: [1]\nrows: 3\n", source="h.yaml"), Holder)
    assert [str(p) for p in info.value.problems] == [
        "h.yaml:1: table: expected a mapping, got a list",
        "h.yaml:2: rows: expected a list, got int 3",
    ]


def test_policy_case_files_are_read_by_the_schema_converter(tmp_path: Path) -> None:
    from asn_kinerja.cases import PolicyCaseError, read_cases

    path = tmp_path / "t.policycase.yaml"
    path.write_text(
        "policy: permenpanrb-6-2022\nwhat: 1\ncases:\n"
        "  - {name: 2024, input: {}, on: 2025-02-30, expect: {counts: {}}}\n"
        "  - {name: b, input: {}, expect: {count: {}}}\n"
        "  - {name: 2024, input: {}, expect: []}\n",
        encoding="utf-8",
    )
    with pytest.raises(PolicyCaseError) as info:
        read_cases(path)
    assert [(p.line, p.field, p.message.split(" (")[0]) for p in info.value.problems] == [
        (2, "what", "unknown key 'what'"),  # the converter's message, as in a policy
        (4, "cases[0].on", "not a valid date: day is out of range for month"),
        (5, "cases[1].expect.count", "unknown key 'count'"),
        (6, "cases[2].expect", "expected a mapping, got a list"),
        (6, "cases[2].name", "a second case named '2024'"),  # a number is a name, as before
    ]
    assert "(allowed here: cases, description, input, policies, policy, tolerance)" in str(info.value)
    path.write_text("policy: permenpanrb-6-2022\ncases:\n  - {name: 2024, input: {}, expect: {counts: {}}}\n")
    [case] = read_cases(path)
    assert (case.name, case.line, case.on) == ("2024", 3, None)
