"""The common class of the numeric regimes' policies (PP 46/2011 and PP 30/2019), both evaluated to a
:class:`~asn_kinerja.NumericEvaluation`."""

from __future__ import annotations

import attrs

from asn_kinerja.policy.model import Policy

__all__ = ["NumericPolicy"]


@attrs.frozen(kw_only=True, repr=False)
class NumericPolicy(Policy):
    """A policy of a numeric regime (PP 46/2011 or PP 30/2019)."""
