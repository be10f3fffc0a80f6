"""Policies: YAML → frozen policy objects, with schema validation (file:line), dated values and overlays."""

from asn_kinerja.policy.loader import (
    builtin_ids,
    builtin_policies,
    load_policy,
    load_policy_text,
    policy_in_force,
)
from asn_kinerja.policy.model import Policy
from asn_kinerja.yamlschema.converter import Reference
from asn_kinerja.yamlschema.tree import Limits

__all__ = [
    "Limits",
    "Policy",
    "Reference",
    "builtin_ids",
    "builtin_policies",
    "load_policy",
    "load_policy_text",
    "policy_in_force",
]
