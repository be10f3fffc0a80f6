"""Loading policies: built-in ids or files, dated values, ``extends:`` overlays.

>>> policy = load_policy("permenpanrb-6-2022")
>>> policy.id, policy.regime
('permenpanrb-6-2022', 'permenpanrb-6-2022')
>>> overlay = load_policy_text('''
... id: ketat
... title: A stricter suggestion
... extends: permenpanrb-6-2022
... hasil_kerja: {suggestion: {thresholds: {di_atas: 115}}}
... ''')
>>> overlay.hasil_kerja.suggestion.thresholds.di_atas, policy.hasil_kerja.suggestion.thresholds.di_atas
(Decimal('115'), Decimal('110'))
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Literal, overload

import attrs

from asn_kinerja._files import read_bytes
from asn_kinerja.errors import PolicyError, Problem, excerpt, shorten
from asn_kinerja.policy.model import Policy
from asn_kinerja.policy.renamed import rename_old_keys
from asn_kinerja.yamlschema.converter import convert
from asn_kinerja.yamlschema.tree import Limits, MapNode, Node, ScalarNode, read_yaml

if TYPE_CHECKING:
    from asn_kinerja.regimes._numeric import NumericPolicy
    from asn_kinerja.regimes.permenpanrb_6_2022 import PermenpanrbPolicy

__all__ = ["builtin_ids", "builtin_policies", "load_policy", "load_policy_text", "load_policy_tree", "policy_in_force"]

_MAX_EXTENDS = 8
# Duplicate-key problems found while reading the files of one load, reported with the schema's problems.
_PENDING: contextvars.ContextVar[list[Problem]] = contextvars.ContextVar("_PENDING")


def builtin_ids() -> list[str]:
    """The ids of the built-in policies, sorted."""
    folder = resources.files("asn_kinerja.policy") / "builtin"
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def _builtin_text(policy_id: str) -> str:
    return (resources.files("asn_kinerja.policy") / "builtin" / f"{policy_id}.yaml").read_text("utf-8")


@functools.cache
def _builtin_tree(policy_id: str) -> Node | None:
    return read_yaml(_builtin_text(policy_id), source=f"{policy_id}.yaml (built-in)")


def builtin_policies() -> list[Policy]:
    """Every built-in policy, each with its values as currently in force."""
    return [load_policy(i) for i in builtin_ids()]


def policy_in_force(on: dt.date) -> Policy:
    """The built-in policy whose validity covers ``on`` (the latest starting one if several do).

    >>> policy_in_force(dt.date(2024, 12, 31)).id
    'permenpanrb-6-2022'
    """
    candidates = [p for p in builtin_policies() if p.in_force(on)]
    if not candidates:
        raise PolicyError([Problem(f"no built-in policy is in force on {on.isoformat()}")])
    best = max(candidates, key=lambda p: p.valid_from)
    return load_policy(best.id, on=on)


@overload
def load_policy(
    source: Literal["permenpanrb-6-2022"], *, on: dt.date | None = None, limits: Limits | None = None
) -> PermenpanrbPolicy: ...
@overload
def load_policy(
    source: Literal["pp-46-2011", "pp-30-2019"], *, on: dt.date | None = None, limits: Limits | None = None
) -> NumericPolicy: ...
@overload
def load_policy(
    source: str | Path | None = None, *, on: dt.date | None = None, limits: Limits | None = None
) -> Policy: ...
def load_policy(source: str | Path | None = None, *, on: dt.date | None = None, limits: Limits | None = None) -> Policy:
    """Load a policy from a built-in id or a YAML file, with its dated values as in force on ``on``.

    ``source`` is a built-in id (see :func:`builtin_ids`) or a path to a ``.yaml`` file; ``None`` picks the
    built-in policy in force on ``on``. Without ``on`` the latest dated values are used. Raises
    :class:`~asn_kinerja.PolicyError` naming the file, line and key path of every problem.
    """
    if source is None:
        if on is None:
            raise PolicyError([Problem("give a policy id or path, or a date to pick the policy in force")])
        return policy_in_force(on)
    token = _PENDING.set([])
    try:
        tree, origin = _read_source(source, limits, base_dir=Path.cwd())
        return _finish(tree, origin, on, limits)
    finally:
        _PENDING.reset(token)


def load_policy_text(
    text: str,
    *,
    source: str = "<string>",
    on: dt.date | None = None,
    base_dir: Path | None = None,
    limits: Limits | None = None,
) -> Policy:
    """Load a policy from YAML text (``extends:`` paths are relative to ``base_dir``)."""
    token = _PENDING.set([])
    try:
        tree = read_yaml(text, source=source, limits=limits, collect=_PENDING.get())
        return _finish(_resolve_extends(tree, base_dir or Path.cwd(), limits, depth=0), source, on, limits)
    finally:
        _PENDING.reset(token)


def load_policy_tree(tree: MapNode, *, source: str, on: dt.date | None = None, base_dir: Path | None = None) -> Policy:
    """Load a policy from a YAML tree already read (e.g. a policy written inside another YAML file, such as a
    policy test case), so that its problems name the lines of that file."""
    token = _PENDING.set([])
    try:
        return _finish(_resolve_extends(tree, base_dir or Path.cwd(), None, depth=0), source, on, None)
    finally:
        _PENDING.reset(token)


def _read_source(source: str | Path, limits: Limits | None, base_dir: Path) -> tuple[Node | None, str]:
    text_source = str(source)
    if isinstance(source, str) and source in builtin_ids():
        return _resolve_extends(_builtin_tree(source), base_dir, limits, depth=0), f"{source}.yaml (built-in)"
    path = Path(source)
    if not path.is_absolute():
        path = base_dir / path
    if not _is_file(path):
        known = ", ".join(builtin_ids())
        raise PolicyError(
            [Problem(f"no such policy file, nor a built-in policy (built-ins: {known})", source=text_source)]
        )
    limits = limits or Limits()
    tree = read_yaml(_read_file(path, text_source, limits), source=text_source, limits=limits, collect=_PENDING.get())
    return _resolve_extends(tree, path.parent, limits, depth=0, chain=(os.path.abspath(path),)), text_source


def _is_file(path: Path) -> bool:
    """Whether something is there (a file, or a device, a folder ...: the bounded reader says what it is)."""
    try:
        return os.path.lexists(path)
    except (OSError, ValueError):  # a name too long, a NUL character ...
        return False


def _read_file(path: Path, source: str, limits: Limits) -> bytes:
    """The bytes of a policy file (a regular file of at most ``limits.max_bytes``, read by the one bounded
    reader, :func:`asn_kinerja._files.read_bytes`)."""
    return read_bytes(
        path, limits.max_bytes, source=source, error=PolicyError, hint="; raise Limits.max_bytes if it is genuine"
    )


def _resolve_extends(
    tree: Node | None, base_dir: Path, limits: Limits | None, depth: int, chain: tuple[str, ...] = ()
) -> Node | None:
    """``tree`` merged over the policy it extends; ``chain`` holds the files being extended (absolute paths). Old
    keys are renamed in each file before the merge (:mod:`asn_kinerja.policy.renamed`)."""
    tree = rename_old_keys(tree)
    if not isinstance(tree, MapNode):
        return tree
    parent_ref = tree.get("extends")
    if parent_ref is None:
        return tree
    if not isinstance(parent_ref, ScalarNode) or parent_ref.tag != "str":
        raise _extends_error(parent_ref, "extends names a built-in id or a path")
    if depth >= _MAX_EXTENDS:
        raise _extends_error(parent_ref, f"more than {_MAX_EXTENDS} levels of extends (a cycle?)")
    missing = [key for key in ("id", "title") if tree.get(key) is None]
    if missing:  # reported with every other problem of the overlay
        _PENDING.get().append(
            Problem(f"an overlay needs its own {' and '.join(missing)}", tree.source, tree.line, field=missing[0])
        )
    name = parent_ref.text
    if name in builtin_ids():
        base = _builtin_tree(name)
    else:
        base, base_dir, chain = _read_base(parent_ref, base_dir, limits, chain)
    base = _resolve_extends(base, base_dir, limits, depth + 1, chain)
    if name not in builtin_ids():
        _check_base(base, name, parent_ref)
    if not isinstance(base, MapNode):
        raise _extends_error(parent_ref, f"extends {excerpt(name)}: the base policy is not a mapping")
    return merge(base, tree)


def _extends_error(parent_ref: Node, message: str) -> PolicyError:
    """A problem of an ``extends:`` key, said where the key is."""
    return PolicyError([Problem(message, parent_ref.source, parent_ref.line, field="extends")])


def _read_base(
    parent_ref: ScalarNode, base_dir: Path, limits: Limits | None, chain: tuple[str, ...]
) -> tuple[Node | None, Path, tuple[str, ...]]:
    """The tree of the file an ``extends:`` names (not a built-in), with its folder and the chain grown by it."""
    name = parent_ref.text
    path = Path(name) if Path(name).is_absolute() else base_dir / name
    if not _is_file(path):
        raise _extends_error(parent_ref, f"extends {excerpt(name)}: no such built-in policy or file")
    key = os.path.abspath(path)
    if key in chain:
        cycle = " → ".join([*chain[chain.index(key) :], key])
        raise _extends_error(parent_ref, f"extends {excerpt(name)}: a cycle of extends ({cycle})")
    # A base is named by its path, which says where it is whichever file named it.
    try:
        data = _read_file(path, str(path), limits or Limits())
    except PolicyError as exc:  # a device, a folder, a file too large: said where it is named
        raise PolicyError(
            [
                Problem(f"extends {shorten(name)}: {p.message}", parent_ref.source, parent_ref.line, field="extends")
                for p in exc.problems
            ]
        ) from None
    base = read_yaml(data, source=str(path), limits=limits, collect=_PENDING.get())
    return base, path.parent, (*chain, key)


def _check_base(base: Node | None, name: str, parent_ref: ScalarNode) -> None:
    """A file named by ``extends:`` must be a valid policy itself; if it is not, say so without quoting it (it
    may be any YAML file: its keys and values are not echoed, nor placed at the overlay's lines)."""
    found = 0
    if isinstance(base, MapNode):
        try:
            convert(base, Policy)
        except PolicyError as exc:
            found = len(exc.problems)
    if found or not isinstance(base, MapNode):
        what = f"{found} problem{'s' if found != 1 else ''}" if found else "not a mapping of keys"
        raise _extends_error(
            parent_ref,
            f"extends {excerpt(name)}: that file is not a valid policy ({what}; check it with `asn-kinerja validate`)",
        )


_NOT_INHERITED = ("description", "extends")


def merge(base: MapNode, overlay: MapNode) -> MapNode:
    """Overlay ``overlay`` on ``base``: mappings merge key by key, anything else is replaced. Neither changes.

    It walks the two trees with a stack of its own rather than by recursion, so that mappings nested as deep as
    ``Limits.max_depth`` allows cannot exhaust Python's recursion limit.
    """
    stack = [_MergeFrame(base, overlay)]
    merged: MapNode | None = None
    while stack:
        frame = stack[-1]
        if merged is not None and frame.pending is not None:  # a nested merge has just finished
            frame.items[frame.pending[0]] = (merged, frame.pending[1])
            frame.pending = merged = None
        for (key, value), line in frame.rest:
            old = frame.items.get(key)
            if (
                old is not None
                and isinstance(old[0], MapNode)
                and isinstance(value, MapNode)
                and value.get("values") is None
            ):
                frame.pending = (key, line)
                stack.append(_MergeFrame(old[0], value))
                break
            frame.items[key] = (value, line)
        else:
            stack.pop()
            ordered = list(frame.items.items())
            merged = MapNode(
                tuple((k, v) for k, (v, _) in ordered),
                tuple(line for _, (_, line) in ordered),
                frame.overlay.source,
                frame.overlay.line,
                1 + sum(v.size for _, (v, _) in ordered),
            )
    assert merged is not None
    return merged


class _MergeFrame:
    """A mapping being merged: the base's entries, updated by the overlay's entries still to visit (``rest``)."""

    def __init__(self, base: MapNode, overlay: MapNode) -> None:
        self.overlay = overlay
        self.items: dict[str, tuple[Node, int]] = {
            k: (v, line) for (k, v), line in zip(base.items, base.key_lines, strict=True) if k not in _NOT_INHERITED
        }
        self.rest = iter(zip(overlay.items, overlay.key_lines, strict=True))
        self.pending: tuple[str, int] | None = None


def _finish(tree: Node | None, origin: str, on: dt.date | None, limits: Limits | None) -> Policy:
    del limits
    pending = _PENDING.get()
    if tree is None or (isinstance(tree, ScalarNode) and tree.tag == "null"):  # no content, or just "---" or "~"
        raise PolicyError([*pending, Problem("the policy file is empty", source=origin)])
    if not isinstance(tree, MapNode):  # not a policy at all: its content is not quoted
        raise PolicyError(
            [*pending, Problem(f"not a policy: the file holds a {tree.kind}, not a mapping of keys", source=origin)]
        )
    try:
        policy, references = convert(tree, Policy, on=on)
    except PolicyError as exc:
        raise PolicyError([*pending, *exc.problems]) from None
    if pending:
        raise PolicyError(pending)
    if on is not None and not policy.in_force(on):
        until = policy.valid_until.isoformat() if policy.valid_until else "now"
        raise PolicyError(
            [
                Problem(
                    f"policy {policy.id!r} is valid {policy.valid_from.isoformat()} – {until}, not on {on.isoformat()}",
                    source=origin,
                )
            ]
        )
    from asn_kinerja.regimes import typed_policy

    return typed_policy(attrs.evolve(policy, references=references, source=origin, effective_on=on))
