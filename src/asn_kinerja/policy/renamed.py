"""Policy keys renamed so that one concept has one name: the old key is still read for one release, with a
:class:`DeprecationWarning` naming the new one (never a policy problem).

>>> import warnings
>>> from asn_kinerja.policy.yamltree import read_yaml
>>> tree = read_yaml("pp46:\\n  perilaku:\\n    aspects: [integritas]\\n", source="p.yaml")
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     new = rename_old_keys(tree)
>>> new.get("pp46").get("perilaku").keys()
['criteria']
>>> print(caught[0].message)  # doctest: +ELLIPSIS
policy key pp46.perilaku.aspects (p.yaml:3) is deprecated and will be removed ...: use pp46.perilaku.criteria
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import attrs

from asn_kinerja.yamlschema.tree import MapNode, Node

__all__ = ["RENAMED_KEYS", "rename_old_keys"]

#: Per mapping (its key path), the keys renamed or moved: old key → its new path below that mapping.
RENAMED_KEYS: Mapping[tuple[str, ...], Mapping[str, tuple[str, ...]]] = {
    ("pp46", "perilaku"): {"aspects": ("criteria",)},
    ("perilaku_kerja",): {"thresholds": ("suggestion", "thresholds"), "suggest": ("suggestion", "enabled")},
}


def rename_old_keys(tree: Node | None) -> Node | None:
    """``tree`` with each old key of :data:`RENAMED_KEYS` renamed or moved (a warning each); an old key whose new
    place is already given stays (the converter then reports it as unknown)."""
    for path, renames in RENAMED_KEYS.items():
        tree = _renamed_at(tree, path, path, renames)
    return tree


def _renamed_at(
    node: Node | None, rest: tuple[str, ...], path: tuple[str, ...], renames: Mapping[str, tuple[str, ...]]
) -> Any:
    """``node`` with the keys of the mapping at ``rest`` below it renamed (``path``: that mapping's full path)."""
    if not isinstance(node, MapNode):
        return node
    if rest:
        inner = node.get(rest[0])
        changed = _renamed_at(inner, rest[1:], path, renames)
        if changed is inner:
            return node
        return attrs.evolve(node, items=tuple((k, changed if k == rest[0] else v) for k, v in node.items))
    for key, line in zip(node.keys(), node.key_lines, strict=True):
        new = renames.get(key)
        if new is None or _has(node, new):
            continue
        old_path, new_path = ".".join((*path, key)), ".".join((*path, *new))
        warnings.warn(
            f"policy key {old_path} ({node.source}:{line}) is deprecated and will be removed in the next release: "
            f"use {new_path}",
            DeprecationWarning,
            stacklevel=2,
        )
        node = _moved(node, key, new)
    return node


def _has(node: MapNode, path: tuple[str, ...]) -> bool:
    inner: Node | None = node
    for key in path:
        inner = inner.get(key) if isinstance(inner, MapNode) else None
    return inner is not None


def _moved(node: MapNode, key: str, new: tuple[str, ...]) -> MapNode:
    """``node`` with ``key`` taken out and put at the path ``new`` (a mapping made where missing, at the old key's
    place and line)."""
    at = node.keys().index(key)
    value, line = node.items[at][1], node.key_lines[at]
    items = [*node.items[:at], *node.items[at + 1 :]]
    lines = [*node.key_lines[:at], *node.key_lines[at + 1 :]]
    if len(new) == 1:
        items.insert(at, (new[0], value))
        lines.insert(at, line)
        return attrs.evolve(node, items=tuple(items), key_lines=tuple(lines))
    keys = [k for k, _ in items]
    if new[0] in keys:
        i = keys.index(new[0])
        inner = items[i][1]
        if not isinstance(inner, MapNode):
            return node  # the new place is not a mapping: leave the old key for the converter to report
        items[i] = (new[0], _inserted(inner, new[1:], value, line))
    else:
        empty = MapNode(items=(), key_lines=(), source=node.source, line=line)
        items.insert(at, (new[0], _inserted(empty, new[1:], value, line)))
        lines.insert(at, line)
    return attrs.evolve(node, items=tuple(items), key_lines=tuple(lines))


def _inserted(node: MapNode, path: tuple[str, ...], value: Node, line: int) -> MapNode:
    if len(path) == 1:
        return attrs.evolve(node, items=(*node.items, (path[0], value)), key_lines=(*node.key_lines, line))
    empty = MapNode(items=(), key_lines=(), source=node.source, line=line)
    inner = node.get(path[0])
    if inner is None:
        return _inserted(node, path[:1], _inserted(empty, path[1:], value, line), line)
    assert isinstance(inner, MapNode)
    items = tuple((k, _inserted(inner, path[1:], value, line) if k == path[0] else v) for k, v in node.items)
    return attrs.evolve(node, items=items)
