"""A safe, bounded YAML reader that keeps the file and line of every value.

Only plain YAML data is read: mappings, sequences and scalars with the standard tags. Tags that construct
objects (``!!python/object`` ...) are rejected, duplicate keys are rejected, and the input is bounded in size,
nesting depth and node count (aliases count as often as they are used, which stops "billion laughs" bombs)
before any tree is built. Scalars keep their text so that numbers are read exactly (``0.1`` stays 0.1).

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

from collections.abc import Iterator

import attrs
import yaml
import yaml.resolver

from asn_kinerja.errors import PolicyError, Problem

__all__ = ["Limits", "MapNode", "Node", "ScalarNode", "SeqNode", "read_yaml"]

_STANDARD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STANDARD + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_RESOLVER = yaml.resolver.Resolver()


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
    def __init__(self, source: str, limits: Limits) -> None:
        self.source = source
        self.limits = limits
        self.problems: list[Problem] = []
        self.anchors: dict[str, Node] = {}
        self.nodes = 0

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

    def build(self, events: Iterator[yaml.Event]) -> Node | None:
        stack: list[_Frame] = []
        root: Node | None = None

        def path() -> str:
            return ".".join(frame.label for frame in stack if frame.label)

        def add(node: Node, line: int) -> None:
            nonlocal root
            self.count(node, line)
            if not stack:
                root = node
                return
            top = stack[-1]
            if top.kind == "seq":
                top.items.append(node)
            elif top.pending is None:
                if not isinstance(node, ScalarNode):
                    self.problems.append(
                        Problem("a key must be plain text", source=self.source, line=line, field=path() or None)
                    )
                    key = f"<key on line {line}>"
                else:
                    key = node.text
                for k, kl in zip(top.keys, top.key_lines, strict=True):
                    if k == key:
                        where = ".".join(p for p in (path(), key) if p)
                        self.problems.append(
                            Problem(f"duplicate key {key!r} (first on line {kl})", self.source, line, field=where)
                        )
                        break
                top.pending = (key, line)
            else:
                key, key_line = top.pending
                if key in top.keys:  # a duplicate (already reported): the later value wins
                    i = top.keys.index(key)
                    del top.keys[i], top.items[i], top.key_lines[i]
                top.keys.append(key)
                top.items.append(node)
                top.key_lines.append(key_line)
                top.pending = None

        for event in events:
            line = event.start_mark.line + 1 if event.start_mark is not None else 0
            tag = getattr(event, "tag", None)
            if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent) and tag not in (None, "!"):
                allowed = (
                    _SCALAR_TAGS if isinstance(event, yaml.ScalarEvent) else {_STANDARD + "map", _STANDARD + "seq"}
                )
                if tag not in allowed:
                    raise self.fail(
                        f"the tag {str(tag).replace(_STANDARD, '!!')} is not allowed: policies hold plain data only",
                        line,
                        path() or None,
                    )
            if isinstance(event, yaml.ScalarEvent):
                resolved: str = tag if tag not in (None, "!") else _resolve(event.value, event.implicit)
                node: Node = ScalarNode(event.value, resolved.removeprefix(_STANDARD), self.source, line)
                if event.anchor:
                    self.anchors[event.anchor] = node
                add(node, line)
            elif isinstance(event, yaml.AliasEvent):
                target = self.anchors.get(event.anchor or "")
                if target is None:
                    raise self.fail(f"unknown alias *{event.anchor}", line, path() or None)
                add(target, line)
            elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
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
            elif isinstance(event, yaml.CollectionEndEvent):
                frame = stack.pop()
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
                add(built, frame.line)
            elif isinstance(event, yaml.DocumentStartEvent) and root is not None:
                raise self.fail("a policy file holds one YAML document, found more", line)
        return root


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
    pending: tuple[str, int] | None = None


def _resolve(value: str, implicit: tuple[bool, bool]) -> str:
    tag: str = _RESOLVER.resolve(yaml.ScalarNode, value, implicit)  # type: ignore[no-untyped-call]
    return tag


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
    size = len(text.encode("utf-8") if isinstance(text, str) else text)
    if size > limits.max_bytes:
        raise PolicyError(
            [Problem(f"the file is {size} bytes, more than the limit of {limits.max_bytes}", source=source)]
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PolicyError([Problem(f"not UTF-8 text ({exc.reason} at byte {exc.start})", source=source)]) from None
    builder = _Builder(source, limits)
    try:
        root = builder.build(yaml.parse(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise PolicyError(
            [
                *builder.problems,
                Problem(f"not valid YAML: {exc.problem or exc.context}", source=source, line=line),
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise PolicyError([*builder.problems, Problem(f"not valid YAML: {exc}", source=source)]) from None
    if builder.problems:
        if collect is None:
            raise PolicyError(builder.problems)
        collect.extend(builder.problems)
    return root
