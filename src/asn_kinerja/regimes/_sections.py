"""The one place a regime's policy sections are found present (the policy's own check refused any policy of the
regime without them, so a missing one here is a policy built around that check)."""

from __future__ import annotations

from typing import TypeVar

from asn_kinerja.errors import PolicyError, Problem

T = TypeVar("T")


def section(value: T | None, policy_id: str, regime: str, key: str) -> T:
    """``value`` where present; a :class:`~asn_kinerja.PolicyError` naming the key otherwise."""
    if value is None:
        raise PolicyError([Problem(f"policy {policy_id!r}: the {regime} regime needs the key {key!r}", field=key)])
    return value
