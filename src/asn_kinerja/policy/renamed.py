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

from asn_kinerja.policy.yamltree import MapNode, Node

__all__ = ["RENAMED_KEYS", "rename_old_keys"]

#: Per mapping (its key path), the keys renamed: old key → new key.
RENAMED_KEYS: Mapping[tuple[str, ...], Mapping[str, str]] = {
    ("pp46", "perilaku"): {"aspects": "criteria"},
}


def rename_old_keys(tree: Node | None) -> Node | None:
    """``tree`` with each old key of :data:`RENAMED_KEYS` renamed (a warning each); unchanged where the new key is
    also given (the converter then reports the old one as unknown)."""
    for path, renames in RENAMED_KEYS.items():
        tree = _renamed_at(tree, path, path, renames)
    return tree


def _renamed_at(node: Node | None, rest: tuple[str, ...], path: tuple[str, ...], renames: Mapping[str, str]) -> Any:
    """``node`` with the keys of the mapping at ``rest`` below it renamed (``path``: that mapping's full path)."""
    if not isinstance(node, MapNode):
        return node
    if rest:
        inner = node.get(rest[0])
        changed = _renamed_at(inner, rest[1:], path, renames)
        if changed is inner:
            return node
        return attrs.evolve(node, items=tuple((k, changed if k == rest[0] else v) for k, v in node.items))
    keys = node.keys()
    items = list(node.items)
    for i, (key, line) in enumerate(zip(keys, node.key_lines, strict=True)):
        new = renames.get(key)
        if new is None or new in keys:
            continue
        old_path, new_path = ".".join((*path, key)), ".".join((*path, new))
        warnings.warn(
            f"policy key {old_path} ({node.source}:{line}) is deprecated and will be removed in the next release: "
            f"use {new_path}",
            DeprecationWarning,
            stacklevel=2,
        )
        items[i] = (new, items[i][1])
    return attrs.evolve(node, items=tuple(items))
