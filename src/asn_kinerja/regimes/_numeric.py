"""The common class of the numeric regimes' policies (PP 46/2011 and PP 30/2019), both evaluated to a
:class:`~asn_kinerja.NumericEvaluation`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import attrs

from asn_kinerja.engine.numeric import NumericEvaluation
from asn_kinerja.policy.model import Policy
from asn_kinerja.regimes import Regime, register

if TYPE_CHECKING:
    from asn_kinerja.dataset import Dataset

__all__ = ["NumericPolicy", "register_numeric"]

P = TypeVar("P", bound="NumericPolicy")


@attrs.frozen(kw_only=True, repr=False)
class NumericPolicy(Policy):
    """A policy of a numeric regime (PP 46/2011 or PP 30/2019)."""


def register_numeric(
    regime_id: str, title: str, key: str, policy_class: type[P], evaluate: Callable[[P, Dataset], NumericEvaluation]
) -> Regime[P, NumericEvaluation]:
    """Register a numeric regime whose policies have the section ``key``."""
    return register(
        Regime(
            id=regime_id,
            title=title,
            sections=(key,),
            policy_class=policy_class,
            evaluator=evaluate,
            result_type=NumericEvaluation,
        )
    )
