"""Policies: the library's built-in ids, or YAML uploaded by an agency.

A policy is immutable and safe to share between threads, so each is loaded once and kept (built-ins by id,
uploads by their row). An uploaded policy may ``extends:`` only a built-in policy: a path would make the service
open a file of its own machine (docs/privacy.md, "Input safety"), so every ``extends`` key of the document is
checked before the library reads it, and the library reads it with an empty folder as its base.

>>> check_upload("id: x\\nextends: /etc/passwd\\n")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
asn_kinerja.errors.PolicyError: 1 problem in the policy:
  upload: extends: an uploaded policy may extend only a built-in policy (permenpanrb-6-2022, ...), not '/etc/passwd'
>>> builtin("permenpanrb-6-2022").regime
'permenpanrb-6-2022'
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import asn_kinerja
import yaml
from asn_kinerja import Policy, PolicyError, Problem

__all__ = ["builtin", "check_upload", "load_upload"]

SOURCE = "upload"
# An empty folder as the base of uploaded policies (nothing to extend from); removed when the process ends.
_EMPTY = tempfile.TemporaryDirectory(prefix="asn-kinerja-policy-base-")
_EMPTY_DIR = Path(_EMPTY.name)


@functools.cache
def builtin(policy_id: str) -> Policy:
    """A built-in policy by id (:class:`~asn_kinerja.PolicyError` if there is none)."""
    if policy_id not in asn_kinerja.builtin_ids():
        known = ", ".join(asn_kinerja.builtin_ids())
        raise PolicyError([Problem(f"no built-in policy {policy_id!r} (built-ins: {known})", field="policy")])
    return asn_kinerja.load_policy(policy_id)


def check_upload(text: str) -> None:
    """Refuse an ``extends`` that is not a built-in id, anywhere at the top of the document."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)  # nodes only: nothing is constructed or expanded
    except yaml.YAMLError:
        return  # the library reports the syntax error with its line
    if not isinstance(root, yaml.MappingNode):
        return
    problems = [
        Problem(
            "an uploaded policy may extend only a built-in policy "
            f"({', '.join(asn_kinerja.builtin_ids())}), not {value.value!r}",
            source=SOURCE,
            field="extends",
        )
        for key, value in root.value
        if isinstance(key, yaml.ScalarNode)
        and key.value == "extends"
        and not (isinstance(value, yaml.ScalarNode) and value.value in asn_kinerja.builtin_ids())
    ]
    if problems:
        raise PolicyError(problems)


@functools.lru_cache(maxsize=256)
def load_upload(text: str) -> Policy:
    """An uploaded policy, checked (:func:`check_upload`) then loaded by the library."""
    check_upload(text)
    return asn_kinerja.load_policy_text(text, source=SOURCE, base_dir=_EMPTY_DIR)
