"""The one place a regime's policy sections are found present (the policy's own check refused any policy of the
regime without them, so a missing one here is a policy built around that check)."""

from __future__ import annotations

from typing import TypeVar

import attrs

from asn_kinerja.errors import PolicyError, Problem
from asn_kinerja.policy.model import HasilKerjaRules, PerilakuKerjaRules, Policy, PredikatMatrix

T = TypeVar("T")


def section(value: T | None, policy_id: str, regime: str, key: str) -> T:
    """``value`` where present; a :class:`~asn_kinerja.PolicyError` naming the key otherwise."""
    if value is None:
        raise PolicyError([Problem(f"policy {policy_id!r}: the {regime} regime needs the key {key!r}", field=key)])
    return value


@attrs.frozen
class PermenpanrbRules:
    """The sections of a PermenPANRB 6/2022 policy, each present."""

    matrix: PredikatMatrix
    hasil_kerja: HasilKerjaRules
    perilaku_kerja: PerilakuKerjaRules


def rules_of(policy: Policy) -> PermenpanrbRules:
    """The PermenPANRB 6/2022 sections of a policy, each present (a :class:`~asn_kinerja.PolicyError` where one
    is missing)."""
    regime = "permenpanrb-6-2022"
    return PermenpanrbRules(
        matrix=section(policy.matrix, policy.id, regime, "matrix"),
        hasil_kerja=section(policy.hasil_kerja, policy.id, regime, "hasil_kerja"),
        perilaku_kerja=section(policy.perilaku_kerja, policy.id, regime, "perilaku_kerja"),
    )
