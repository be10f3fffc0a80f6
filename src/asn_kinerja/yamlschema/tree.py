"""A safe, bounded YAML reader that keeps the file and line of every value.

Only plain YAML data is read: mappings, sequences and scalars with the standard tags. Tags that construct
objects (``!!python/object`` ...) are rejected, duplicate keys are rejected, and the input is bounded in size,
nesting depth and node count (aliases count as often as they are used, which stops "billion laughs" bombs)
before any tree is built. Scalars keep their text so that numbers are read exactly (``0.1`` stays 0.1). The
input must be UTF-8 (a UTF-8 byte order mark is allowed); the C parser of libyaml is used when PyYAML has it.

**Limits.** Every input is checked against a :class:`Limits` and rejected with a
:class:`~asn_kinerja.PolicyError` that names the limit and how to raise it:

- ``max_bytes`` (default 1 MiB, 1 048 576 bytes): the size of the file, checked before it is read or parsed;
- ``max_depth`` (default 64): the nesting of mappings and sequences;
- ``max_nodes`` (default 100 000): the values read, an alias counting as many values as it stands for at each of
  its uses (so an "alias bomb" that would expand to billions of values fails at the first 100 000).

Pass other bounds as ``limits=Limits(max_bytes=..., max_depth=..., max_nodes=...)`` to
:func:`~asn_kinerja.load_policy` or :func:`~asn_kinerja.load_policy_text` (the files named by ``extends:`` are
read with the same limits; the built-in policies always with the defaults). With the defaults any input is
accepted or rejected well within a second.

**libyaml's own cap.** Recent releases of libyaml (the C parser shipped in PyYAML's wheels since 6.0.3) refuse
nesting deeper than :data:`LIBYAML_MAX_DEPTH` (1000) levels themselves, before this reader sees the events. Such
a refusal is reported as the ``max_depth`` problem above when ``max_depth`` is lower than that cap; when a caller
raised ``max_depth`` above it, the input is read again with PyYAML's pure Python parser, which has no cap, so that
``Limits.max_depth`` always means what it says (the pure Python parser is some twenty times slower).

>>> tree = read_yaml("weights:\\n  atasan: 0.6\\n  rekan: 0.4\\n", source="p.yaml")
>>> tree.get("weights").get("rekan").text, tree.get("weights").get("rekan").line
('0.4', 3)
>>> read_yaml("a: 1\\na: 2\\n", source="p.yaml")
Traceback (most recent call last):
...
asn_kinerja.errors.PolicyError: 1 problem in the policy:
  p.yaml:2: a: duplicate key 'a' (first on line 1)
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

import attrs
import yaml
import yaml.reader
import yaml.resolver

from asn_kinerja.errors import PolicyError, Problem

__all__ = ["LIBYAML_MAX_DEPTH", "Limits", "MapNode", "Node", "ScalarNode", "SeqNode", "read_yaml"]

_STANDARD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STANDARD + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_RESOLVER = yaml.resolver.Resolver()
# libyaml's parser is some twenty times faster than the pure Python one: with it the largest input allowed by the
# default limits is read in a fraction of a second.
_LOADER: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
LIBYAML_MAX_DEPTH = 1000
"""The nesting depth beyond which recent libyaml releases refuse a document themselves."""
_LIBYAML_DEPTH_REFUSAL = "exceeded maximum nesting depth"
_SURROGATE = re.compile("[\ud800-\udfff]")
_OTHER_BOMS = (  # UTF-32 first: its little-endian mark begins with UTF-16's
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


@attrs.frozen
class Limits:
    """Bounds on a YAML input; each is checked before the tree is built.

    ``max_bytes`` (default 1 MiB), ``max_depth`` (nesting of mappings and sequences, default 64) and
    ``max_nodes`` (values read, aliases counted at every use, default 100 000).
    """

    max_bytes: int = 1 << 20
    max_depth: int = 64
    max_nodes: int = 100_000


@attrs.frozen
class ScalarNode:
    """A scalar: its text, its resolved tag (``int``, ``float``, ``bool``, ``null``, ``timestamp``, ``str``)."""

    text: str
    tag: str
    source: str
    line: int
    size: int = 1

    @property
    def kind(self) -> str:
        return self.tag


@attrs.frozen
class SeqNode:
    """A sequence of nodes."""

    items: tuple[Node, ...]
    source: str
    line: int
    size: int = 1
    kind: str = "sequence"


@attrs.frozen
class MapNode:
    """A mapping with text keys, in file order; ``key_lines`` gives the line of each key."""

    items: tuple[tuple[str, Node], ...]
    key_lines: tuple[int, ...]
    source: str
    line: int
    size: int = 1
    kind: str = "mapping"

    def get(self, key: str) -> Node | None:
        for k, v in self.items:
            if k == key:
                return v
        return None

    def keys(self) -> list[str]:
        return [k for k, _ in self.items]


Node = ScalarNode | SeqNode | MapNode


class _Builder:
    """Builds the tree from parser events, a stack of open mappings and sequences, checking the limits as it goes."""

    def __init__(self, source: str, limits: Limits) -> None:
        self.source = source
        self.limits = limits
        self.problems: list[Problem] = []
        self.anchors: dict[str, Node] = {}
        self.nodes = 0
        self.stack: list[_Frame] = []
        self.root: Node | None = None

    def fail(self, message: str, line: int | None, field: str | None = None) -> PolicyError:
        return PolicyError([*self.problems, Problem(message, source=self.source, line=line, field=field)])

    def count(self, node: Node, line: int) -> None:
        self.nodes += node.size
        if self.nodes > self.limits.max_nodes:
            raise self.fail(
                f"the document has more than {self.limits.max_nodes} values (aliases counted at each use); "
                "raise Limits.max_nodes if it is genuine",
                line,
            )

    def path(self) -> str:
        """The key path of the open mapping or sequence, e.g. ``perilaku_kerja.weights``."""
        return ".".join(frame.label for frame in self.stack if frame.label)

    def build(self, events: Iterator[yaml.Event]) -> Node | None:
        for event in events:
            line = event.start_mark.line + 1 if event.start_mark is not None else 0
            self.check_tag(event, line)
            if isinstance(event, yaml.ScalarEvent):
                self.scalar(event, line)
            elif isinstance(event, yaml.AliasEvent):
                target = self.anchors.get(event.anchor or "")
                if target is None:
                    raise self.fail(f"unknown alias *{event.anchor}", line, self.path() or None)
                self.add(target, line)
            elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                self.open(event, line)
            elif isinstance(event, yaml.CollectionEndEvent):
                self.close()
            elif isinstance(event, yaml.DocumentStartEvent) and self.root is not None:
                raise self.fail("a policy file holds one YAML document, found more", line)
        return self.root

    def check_tag(self, event: yaml.Event, line: int) -> None:
        """Only the standard tags of plain data: no tag that constructs an object."""
        tag = getattr(event, "tag", None)
        if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent) and tag not in (None, "!"):
            allowed = _SCALAR_TAGS if isinstance(event, yaml.ScalarEvent) else {_STANDARD + "map", _STANDARD + "seq"}
            if tag not in allowed:
                raise self.fail(
                    f"the tag {str(tag).replace(_STANDARD, '!!')} is not allowed: policies hold plain data only",
                    line,
                    self.path() or None,
                )

    def scalar(self, event: yaml.ScalarEvent, line: int) -> None:
        if _SURROGATE.search(event.value):  # "\ud800" in double quotes (libyaml rejects it, PyYAML not)
            raise self.fail("not valid Unicode text: a lone surrogate escape", line, self.path() or None)
        tag = event.tag
        resolved: str = tag if tag not in (None, "!") else _resolve(event.value, event.implicit)
        node: Node = ScalarNode(event.value, resolved.removeprefix(_STANDARD), self.source, line)
        if event.anchor:
            self.anchors[event.anchor] = node
        self.add(node, line)

    def open(self, event: yaml.SequenceStartEvent | yaml.MappingStartEvent, line: int) -> None:
        stack = self.stack
        if len(stack) >= self.limits.max_depth:
            raise self.fail(
                f"nesting deeper than {self.limits.max_depth} levels; raise Limits.max_depth if genuine",
                line,
            )
        label = ""
        if stack and stack[-1].kind == "map" and stack[-1].pending is not None:
            label = stack[-1].pending[0]
        elif stack and stack[-1].kind == "seq":
            label = f"[{len(stack[-1].items)}]"
        kind = "seq" if isinstance(event, yaml.SequenceStartEvent) else "map"
        stack.append(_Frame(kind=kind, line=line, label=label, anchor=event.anchor))

    def close(self) -> None:
        frame = self.stack.pop()
        size = 1 + sum(item.size for item in frame.items)
        built: Node
        if frame.kind == "seq":
            built = SeqNode(tuple(frame.items), self.source, frame.line, size)
        else:
            built = MapNode(
                tuple(zip(frame.keys, frame.items, strict=True)),
                tuple(frame.key_lines),
                self.source,
                frame.line,
                size,
            )
        if frame.anchor:
            self.anchors[frame.anchor] = built
        self.nodes -= size - 1  # the children were counted as they came
        self.add(built, frame.line)

    def add(self, node: Node, line: int) -> None:
        """Place a finished node: the root, an item of the open sequence, or a key or value of the open mapping."""
        self.count(node, line)
        if not self.stack:
            self.root = node
            return
        top = self.stack[-1]
        if top.kind == "seq":
            top.items.append(node)
        elif top.pending is None:
            top.pending = (self.key(top, node, line), line)
        else:
            key, key_line = top.pending
            i = top.index.get(key)
            if i is not None:  # a duplicate (already reported): the later value wins, in the first one's place
                top.items[i] = node
            else:
                top.index[key] = len(top.keys)
                top.keys.append(key)
                top.items.append(node)
                top.key_lines.append(key_line)
            top.pending = None

    def key(self, top: _Frame, node: Node, line: int) -> str:
        """A key of the open mapping: plain text, not a duplicate (each problem noted, the reading goes on)."""
        path = self.path()
        if not isinstance(node, ScalarNode):
            self.problems.append(Problem("a key must be plain text", source=self.source, line=line, field=path or None))
            key = f"<key on line {line}>"
        else:
            key = node.text
        if key in top.index:
            first = top.key_lines[top.index[key]]
            where = ".".join(p for p in (path, key) if p)
            self.problems.append(
                Problem(f"duplicate key {key!r} (first on line {first})", self.source, line, field=where)
            )
        return key


@attrs.define
class _Frame:
    """An open mapping or sequence while reading events."""

    kind: str
    line: int
    label: str
    anchor: str | None
    items: list[Node] = attrs.Factory(list)
    keys: list[str] = attrs.Factory(list)
    key_lines: list[int] = attrs.Factory(list)
    index: dict[str, int] = attrs.Factory(dict)  # key -> position in keys, so that duplicates are found at once
    pending: tuple[str, int] | None = None


def _resolve(value: str, implicit: tuple[bool, bool]) -> str:
    tag: str = _RESOLVER.resolve(yaml.ScalarNode, value, implicit)  # type: ignore[no-untyped-call]
    return tag


def _checked_text(text: str | bytes, source: str, limits: Limits) -> tuple[str, bytes]:
    """The input as text and as UTF-8 bytes, once its size and its encoding are known to be right."""
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if len(raw) > limits.max_bytes:
        raise PolicyError(
            [
                Problem(
                    f"the file is {len(raw)} bytes, more than the limit of {limits.max_bytes}; "
                    "raise Limits.max_bytes if it is genuine",
                    source=source,
                )
            ]
        )
    if isinstance(text, bytes):
        for bom, encoding in _OTHER_BOMS:
            if text.startswith(bom):
                message = f"{encoding} text (it starts with a {encoding} byte order mark): save it as UTF-8"
                raise PolicyError([Problem(message, source=source, line=1)])
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            at = raw.count(b"\n", 0, exc.start) + 1
            raise PolicyError(
                [Problem(f"not UTF-8 text ({exc.reason} at byte {exc.start})", source=source, line=at)]
            ) from None
    elif bad := _SURROGATE.search(text):
        at = text.count("\n", 0, bad.start()) + 1
        message = f"not valid Unicode text (a lone surrogate U+{ord(bad.group()):04X} at character {bad.start()})"
        raise PolicyError([Problem(message, source=source, line=at)])
    return text, raw


def read_yaml(
    text: str | bytes,
    *,
    source: str = "<string>",
    limits: Limits | None = None,
    collect: list[Problem] | None = None,
) -> Node | None:
    """Read one YAML document into a tree of located nodes; ``None`` for an empty document.

    Raises :class:`~asn_kinerja.PolicyError` for malformed YAML, forbidden tags, duplicate keys or an input
    beyond ``limits``, naming the file and line. With ``collect``, duplicate keys are appended to that list
    instead (the later value is kept), so that a caller can report them with the problems it finds itself.
    """
    limits = limits or Limits()
    text, raw = _checked_text(text, source, limits)
    builder = _Builder(source, limits)
    loader = _LOADER
    try:
        try:
            root = builder.build(yaml.parse(text, Loader=loader))
        except yaml.MarkedYAMLError as exc:
            if loader is yaml.SafeLoader or _LIBYAML_DEPTH_REFUSAL not in str(exc.problem):
                raise
            if limits.max_depth < LIBYAML_MAX_DEPTH:
                mark = exc.problem_mark or exc.context_mark
                line = mark.line + 1 if mark is not None else None
                raise builder.fail(
                    f"nesting deeper than {limits.max_depth} levels; raise Limits.max_depth if genuine", line
                ) from None
            builder, loader = _Builder(source, limits), yaml.SafeLoader  # deeper than libyaml reads: no cap there
            root = builder.build(yaml.parse(text, Loader=loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise PolicyError(
            [
                *builder.problems,
                Problem(f"not valid YAML: {exc.problem or exc.context}", source=source, line=line),
            ]
        ) from None
    except yaml.reader.ReaderError as exc:  # a control character; libyaml counts bytes, PyYAML characters
        before = raw[: exc.position].count(b"\n") if loader is yaml.CSafeLoader else text.count("\n", 0, exc.position)
        message = f"not valid YAML: unacceptable character #x{exc.character:04x} ({exc.reason})"
        raise PolicyError([*builder.problems, Problem(message, source=source, line=before + 1)]) from None
    except yaml.YAMLError as exc:
        raise PolicyError([*builder.problems, Problem(f"not valid YAML: {exc}", source=source)]) from None
    if builder.problems:
        if collect is None:
            raise PolicyError(builder.problems)
        collect.extend(builder.problems)
    return root
