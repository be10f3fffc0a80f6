"""A Sphinx extension that writes the policy YAML reference from the schema classes in the code.

The reference cannot disagree with the code: every key, type, default and description comes from
:func:`asn_kinerja.yamlschema.iter_schema` over :class:`asn_kinerja.policy.model.Policy`.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
from sphinx.application import Sphinx

from asn_kinerja.model import LabelledEnum
from asn_kinerja.policy.model import Policy
from asn_kinerja.yamlschema.converter import iter_schema


def type_name(typ: Any) -> str:
    origin = typing.get_origin(typ)
    args = [a for a in typing.get_args(typ) if a is not type(None)]
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{a}`" for a in typing.get_args(typ))
    if origin in (typing.Union, types.UnionType):
        return type_name(args[0]) + " or null"
    if origin is tuple:
        return f"list of {type_name(args[0])}"
    if origin is not None and args:
        return f"mapping of {type_name(args[0])} to {type_name(args[1])}"
    if isinstance(typ, type) and issubclass(typ, LabelledEnum):
        return "one of " + ", ".join(f"`{m.value}`" for m in typ)
    if attrs.has(typ):
        return "mapping"
    return {"Decimal": "number", "int": "whole number", "bool": "true/false", "str": "text", "date": "date"}.get(
        getattr(typ, "__name__", str(typ)), getattr(typ, "__name__", str(typ))
    )


def render() -> str:
    lines = [
        "# Policy YAML reference",
        "",
        "Generated from the schema classes in `asn_kinerja.policy.model`; do not edit by hand.",
        "Any number, text, date or choice may also be written *dated* "
        "(`values: [{valid_from: ..., value: ...}]` with an optional `reference:`).",
        "",
        "| key | type | default | description |",
        "|---|---|---|---|",
    ]
    for path, field, typ in iter_schema(Policy):
        default = field.default
        if default is attrs.NOTHING:
            shown = "required"
        elif isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            value = default.factory()
            if isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, Mapping):
                value = dict(value)
            shown = f"`{value}`"
        else:
            shown = f"`{getattr(default, 'value', default)}`" if default is not None else "`null`"
        doc = str(field.metadata.get("doc", "")).replace("|", "\\|")
        lines.append(f"| `{path}` | {type_name(typ)} | {shown} | {doc} |")
    return "\n".join(lines) + "\n"


def generate(app: Sphinx) -> None:
    target = Path(app.srcdir) / "policy-reference.md"
    text = render()
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", generate)
    return {"parallel_read_safe": True, "version": "1"}
