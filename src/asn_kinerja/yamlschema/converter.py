"""Typed conversion of a located YAML tree into frozen policy objects.

The policy schema *is* the set of attrs classes in :mod:`asn_kinerja.policy.model`: their fields, types,
defaults and ``doc`` metadata. :func:`convert` walks a YAML tree against those classes, collecting every problem
with its file, line and key path; the policy reference in the docs is generated from the same classes.

Any scalar value may also be written *dated*, with the date each value takes effect and its legal reference::

    di_atas:
      values:
        - {valid_from: 2022-01-01, value: 110}
        - {valid_from: 2025-01-01, value: 105}
      reference: {title: "Keputusan Bupati ...", article: "Pasal 4"}

The value in force on the policy's date is used.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import types
import typing
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import attrs

from asn_kinerja._numbers import NUMBER
from asn_kinerja.errors import PolicyError, Problem, excerpt, shorten
from asn_kinerja.model import LabelledEnum
from asn_kinerja.yamlschema.tree import MapNode, Node, ScalarNode, SeqNode, _resolve

__all__ = ["Checked", "FrozenMap", "Reference", "convert", "doc", "iter_schema"]

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


class FrozenMap(Mapping[K, V]):
    """An immutable, hashable mapping that keeps insertion order.

    >>> m = FrozenMap({"a": 1})
    >>> m["a"], len(m), hash(m) == hash(FrozenMap({"a": 1}))
    (1, 1, True)
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        self._data: dict[K, V] = dict(data)

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(tuple(self._data.items()))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


def doc(
    text: str,
    *,
    default: Any = attrs.NOTHING,
    ge: Any = None,
    le: Any = None,
    gt: Any = None,
    factory: Any = None,
    example: str | None = None,
) -> Any:
    """An attrs field of the policy schema with its documentation and numeric bounds."""
    meta = {"doc": text, "ge": ge, "le": le, "gt": gt, "example": example}
    if factory is not None:
        return attrs.field(factory=factory, metadata=meta)
    return attrs.field(default=default, metadata=meta)


@attrs.frozen(kw_only=True)
class Reference:
    """A legal (or practice) reference for a value: the regulation's title, the article, a link, a note."""

    title: str = doc("Title of the regulation or document, e.g. 'PermenPANRB 6/2022'.")
    article: str | None = doc("Article, appendix or section (Pasal, Lampiran ...).", default=None)
    url: str | None = doc("A link to the published text.", default=None)
    note: str | None = doc("A remark, e.g. that a value is a district practice and not regulation.", default=None)

    def __str__(self) -> str:
        return ", ".join(p for p in (self.title, self.article) if p)


class Checked:
    """A schema class with cross-field rules: ``check`` yields ``(key, message)`` pairs for what is wrong."""

    def check(self) -> Iterable[tuple[str, str]]:
        return ()


_SCALARS: tuple[type, ...] = (Decimal, int, bool, str, dt.date)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DECIMAL = NUMBER
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]")  # an int with it is octal in YAML 1.1, decimal in YAML 1.2
_TRUE, _FALSE = ("true", "yes", "on", "y"), ("false", "no", "off", "n")
#: Bounds on a number in a policy: significant digits and decimal exponent (Decimal arithmetic stays exact).
_DIGITS = 50


#: The node classes a schema field may be typed as, to keep that part of the tree as read (and how to name each).
_NODE_KINDS: dict[Any, str] = {MapNode: "a mapping", SeqNode: "a list", ScalarNode: "a single value"}


class _Invalid:
    pass


_INVALID: Any = _Invalid()


class _Converter:
    def __init__(self, on: dt.date | None) -> None:
        self.on = on
        self.problems: list[Problem] = []
        self.references: dict[str, Reference] = {}

    def problem(self, node: Node | None, path: str, message: str, line: int | None = None) -> Any:
        source = node.source if node is not None else None
        if line is None and node is not None:
            line = node.line
        self.problems.append(Problem(message, source=source, line=line, field=path or None))
        return _INVALID

    def convert(self, node: Node | None, typ: Any, path: str, meta: Mapping[str, Any] | None = None) -> Any:
        origin = typing.get_origin(typ)
        args = typing.get_args(typ)
        if origin in (typing.Union, types.UnionType):
            inner = [a for a in args if a is not type(None)]
            if node is None or (isinstance(node, ScalarNode) and node.tag == "null"):
                return None
            if all(a in _NODE_KINDS for a in inner):
                return self.convert_node(node, tuple(inner), path)
            return self.convert(node, inner[0] if len(inner) == 1 else typing.Union[tuple(inner)], path, meta)  # noqa: UP007
        if node is None or (isinstance(node, ScalarNode) and node.tag == "null"):
            return self.problem(node, path, f"a value is required ({_type_name(typ)})")
        if typ in _NODE_KINDS:
            return self.convert_node(node, (typ,), path)
        if attrs.has(typ):
            return self.convert_class(node, typ, path)
        if origin is tuple:
            if not isinstance(node, SeqNode):
                return self.problem(node, path, f"expected a list, got {_kind(node)}")
            items = [self.convert(item, args[0], f"{path}[{i}]", meta) for i, item in enumerate(node.items)]
            return _INVALID if any(i is _INVALID for i in items) else tuple(items)
        if origin in (Mapping, dict) or origin is typing.Mapping:
            return self.convert_mapping(node, args[0], args[1], path, meta)
        if isinstance(node, MapNode) and node.get("values") is not None and _is_scalar_type(typ):
            return self.convert_dated(node, typ, path, meta)
        if origin is typing.Literal:
            if isinstance(node, ScalarNode):
                for choice in args:
                    if node.text == str(choice) and (isinstance(choice, str) or node.tag == "int"):
                        return choice
            allowed = ", ".join(repr(a) for a in args)
            return self.problem(node, path, f"must be one of {allowed}, got {_show(node)}")
        if isinstance(node, MapNode) and node.get("values") is not None and _is_scalar_type(typ):
            return self.convert_dated(node, typ, path, meta)
        return self.convert_scalar(node, typ, path, meta or {})

    def convert_node(self, node: Node, kinds: tuple[type, ...], path: str) -> Any:
        """A field typed as a node (``MapNode``, ``SeqNode``, ``ScalarNode`` or ``Node``) keeps the node as read,
        for its owner to interpret; only its kind is checked."""
        if isinstance(node, kinds):
            return node
        wanted = " or ".join(_NODE_KINDS[k] for k in kinds)
        return self.problem(node, path, f"expected {wanted}, got {_kind(node)}")

    def convert_class(self, node: Node, cls: Any, path: str) -> Any:
        if not isinstance(node, MapNode):
            return self.problem(node, path, f"expected a mapping, got {_kind(node)}")
        attrs.resolve_types(cls)
        fields = {f.name: f for f in attrs.fields(cls) if not f.metadata.get("internal")}
        values: dict[str, Any] = {}
        for (key, _child), line in zip(node.items, node.key_lines, strict=True):
            if key not in fields:
                allowed = ", ".join(sorted(fields))
                self.problem(node, _join(path, key), f"unknown key {key!r} (allowed here: {allowed})", line)
        for name, field in fields.items():
            child = node.get(name)
            if child is None:
                if field.default is attrs.NOTHING:
                    self.problem(node, _join(path, name), "missing required key")
                    values[name] = _INVALID
                continue
            typ = field.type
            values[name] = self.convert(child, typ, _join(path, name), field.metadata)
        if any(v is _INVALID for v in values.values()):
            return _INVALID
        obj = cls(**values)
        if isinstance(obj, Reference):
            self.references[path.removesuffix("reference").removesuffix(".")] = obj
        if isinstance(obj, Checked):
            for key, message in obj.check():
                target: Node = node
                for part in key.split("."):
                    sub = target.get(part) if isinstance(target, MapNode) else None
                    if sub is None:
                        break
                    target = sub
                self.problem(target, _join(path, key), message)
        return obj

    def convert_mapping(self, node: Node, ktype: Any, vtype: Any, path: str, meta: Mapping[str, Any] | None) -> Any:
        if not isinstance(node, MapNode):
            return self.problem(node, path, f"expected a mapping, got {_kind(node)}")
        out: dict[Any, Any] = {}
        spelt: dict[Any, str] = {}
        bad = False
        for (key, child), line in zip(node.items, node.key_lines, strict=True):
            if isinstance(ktype, type) and issubclass(ktype, LabelledEnum):
                try:
                    k: Any = ktype.parse(key)
                except ValueError as exc:
                    self.problem(node, _join(path, key), f"unknown key: {exc}", line)
                    bad = True
                    continue
                if k in spelt:  # two spellings of one member: di_atas and "Di Atas Ekspektasi"
                    self.problem(node, _join(path, key), f"duplicate key: {key!r} means the same as {spelt[k]!r}", line)
                    bad = True
                    continue
                spelt[k] = key
            else:
                k = key
            value = self.convert(child, vtype, _join(path, key), meta)
            bad = bad or value is _INVALID
            out[k] = value
        return _INVALID if bad else FrozenMap(out)

    def convert_dated(self, node: MapNode, typ: Any, path: str, meta: Mapping[str, Any] | None) -> Any:
        for key, line in zip(node.keys(), node.key_lines, strict=True):
            if key not in ("values", "reference"):
                self.problem(node, _join(path, key), f"unknown key {key!r} (allowed here: reference, values)", line)
        ref_node = node.get("reference")
        if ref_node is not None:
            self.convert(ref_node, Reference, path)
        seq = node.get("values")
        if not isinstance(seq, SeqNode) or not seq.items:
            return self.problem(seq, _join(path, "values"), "expected a non-empty list of {valid_from, value}")
        chosen: Any = _INVALID
        chosen_from: dt.date | None = None
        previous: dt.date | None = None
        for i, item in enumerate(seq.items):
            where = f"{path}.values[{i}]"
            if not isinstance(item, MapNode) or sorted(item.keys()) != ["valid_from", "value"]:
                self.problem(item, where, "each entry has exactly the keys valid_from and value")
                continue
            start = self.convert(item.get("valid_from"), dt.date, f"{where}.valid_from")
            value = self.convert(item.get("value"), typ, f"{where}.value", meta)
            if start is _INVALID or value is _INVALID:
                continue
            if previous is not None and start <= previous:
                self.problem(item.get("valid_from"), f"{where}.valid_from", "dates must increase down the list")
            previous = start
            if self.on is None or start <= self.on:
                chosen, chosen_from = value, start
        if chosen is _INVALID and not self.problems:
            return self.problem(node, path, f"no value is in force on {self.on}")
        del chosen_from
        return chosen

    def convert_scalar(self, node: Node, typ: Any, path: str, meta: Mapping[str, Any]) -> Any:
        if not isinstance(node, ScalarNode):
            return self.problem(node, path, f"expected {_type_name(typ)}, got {_kind(node)}")
        tag, text = node.tag, node.text
        value: Any
        if typ is bool:
            if tag != "bool" or text.lower() not in _TRUE + _FALSE:
                return self.problem(node, path, f"expected true or false, got {_show(node)}{_unquote(node, typ)}")
            value = text.lower() in _TRUE
        elif typ is int or typ is Decimal:
            if tag not in ("int", "float") or (typ is int and tag != "int"):
                return self.problem(node, path, f"expected {_type_name(typ)}, got {_show(node)}{_unquote(node, typ)}")
            digits = text
            if "_" in text:
                return self.problem(node, path, f"{_show(node)}: write a number without underscores (1200, not 1_200)")
            if tag == "int" and _LEADING_ZERO.match(digits):
                return self.problem(
                    node,
                    path,
                    f"{shorten(text)} is ambiguous: YAML 1.1 reads a leading 0 as octal; write it without the 0",
                )
            if not _DECIMAL.fullmatch(digits):  # 0x1F, 0b101, 1:30, .inf, .nan
                return self.problem(node, path, f"expected {_type_name(typ)} in decimal digits, got {_show(node)}")
            try:
                number = Decimal(digits)
            except InvalidOperation:  # an exponent beyond what Decimal holds
                number = Decimal("Infinity")
            exponent = number.as_tuple().exponent
            if len(number.as_tuple().digits) > _DIGITS or not isinstance(exponent, int) or abs(exponent) > _DIGITS:
                return self.problem(
                    node,
                    path,
                    f"out of range: a number in a policy has at most {_DIGITS} significant digits and an exponent "
                    f"between -{_DIGITS} and {_DIGITS}, got {shorten(text)}",
                )
            value = int(number) if typ is int else number
        elif typ is dt.date:
            if tag != "timestamp" or not _DATE.match(text):
                return self.problem(node, path, f"expected a date YYYY-MM-DD, got {_show(node)}{_unquote(node, typ)}")
            try:
                value = dt.date.fromisoformat(text)
            except ValueError as exc:
                return self.problem(node, path, f"not a valid date: {exc}")
        elif typ is str:
            if tag != "str":
                return self.problem(node, path, f"expected text, got {_show(node)} (quote it to use it as text)")
            value = text
        elif isinstance(typ, type) and issubclass(typ, enum.Enum) and issubclass(typ, LabelledEnum):
            try:
                value = typ.parse(text)
            except ValueError as exc:
                return self.problem(node, path, str(exc))
        else:  # pragma: no cover - a schema class with an unsupported field type is a programming error
            raise TypeError(f"unsupported schema type {typ!r} at {path}")
        for bound, word in (("ge", "at least"), ("le", "at most"), ("gt", "greater than")):
            limit = meta.get(bound)
            if limit is None:
                continue
            b = Decimal(str(limit))
            ok = value >= b if bound == "ge" else value <= b if bound == "le" else value > b
            if not ok:
                return self.problem(node, path, f"must be {word} {limit}, got {shorten(text)}")
        return value


def _unquote(node: ScalarNode, typ: Any) -> str:
    """A hint for text that is almost the value expected: ``"110"`` (quoted) or ``1e3`` where a number is expected."""
    if node.tag != "str":
        return ""
    unquoted = _resolve(node.text, (True, False)).removeprefix("tag:yaml.org,2002:")
    wanted = {bool: ("bool",), int: ("int",), Decimal: ("int", "float"), dt.date: ("timestamp",)}.get(typ, ())
    if unquoted in wanted:
        return " (written as text: remove the quotes)"
    if typ is Decimal and _DECIMAL.fullmatch(node.text):
        return " (YAML reads an exponent without a dot and a sign as text: write 1.0e+3, not 1e3)"
    return ""


def _is_scalar_type(typ: Any) -> bool:
    return (
        typ in _SCALARS
        or (isinstance(typ, type) and issubclass(typ, enum.Enum))
        or typing.get_origin(typ) is typing.Literal
    )


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _kind(node: Node) -> str:
    return "a mapping" if isinstance(node, MapNode) else "a list" if isinstance(node, SeqNode) else _show(node)


def _show(node: Node) -> str:
    if isinstance(node, ScalarNode):
        return excerpt(node.text) if node.tag == "str" else f"{node.tag} {shorten(node.text)}"
    return _kind(node)


def _type_name(typ: Any) -> str:
    return {
        Decimal: "a number",
        int: "a whole number",
        bool: "true or false",
        str: "text",
        dt.date: "a date",
    }.get(typ, "a mapping" if attrs.has(typ) else getattr(typ, "__name__", str(typ)))


def convert(node: Node | None, cls: type[T], *, on: dt.date | None = None) -> tuple[T, Mapping[str, Reference]]:
    """Convert a YAML tree into an instance of the schema class ``cls``, resolving dated values on ``on``.

    Returns the object and the references found, by key path. Raises :class:`~asn_kinerja.PolicyError` with
    every problem found.
    """
    conv = _Converter(on)
    obj = conv.convert(node, cls, "")
    if conv.problems or obj is _INVALID:
        raise PolicyError(conv.problems or [Problem("the policy is empty")])
    return obj, FrozenMap(sorted(conv.references.items()))


def iter_schema(cls: Any, path: str = "") -> Iterator[tuple[str, attrs.Attribute[Any], Any]]:
    """Every key of a schema class, depth first: ``(key path, attrs field, type)`` — the source of the docs."""
    attrs.resolve_types(cls)
    for field in attrs.fields(cls):
        if field.metadata.get("internal"):
            continue
        key = _join(path, field.name)
        yield key, field, field.type
        for inner in _inner_classes(field.type):
            yield from iter_schema(inner, key)


def _inner_classes(typ: Any) -> list[type]:
    if attrs.has(typ):
        return [typ] if typ is not Reference else []
    found: list[type] = []
    for arg in typing.get_args(typ):
        found.extend(_inner_classes(arg))
    return found
