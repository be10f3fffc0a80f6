"""PermenPANRB 6/2022: ratings of hasil kerja and perilaku kerja, the predikat matrix, the population engine.

Its rules are :mod:`asn_kinerja.rules.permenpanrb_6_2022` (re-exported here), its policies load as
:class:`PermenpanrbPolicy` (matrix, hasil_kerja and perilaku_kerja present, typed so), its evaluator is the
columnar engine and its result an :class:`~asn_kinerja.Evaluation`.

>>> from asn_kinerja import load_policy
>>> policy = load_policy("permenpanrb-6-2022")
>>> type(policy).__name__, policy.rules.perilaku_kerja.strategy
('PermenpanrbPolicy', 'supervisor_only')
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from asn_kinerja.engine.result import Evaluation
from asn_kinerja.errors import PolicyError, Problem
from asn_kinerja.policy.model import Policy
from asn_kinerja.regimes import Regime, register
from asn_kinerja.regimes._sections import PermenpanrbRules, rules_of
from asn_kinerja.rules.permenpanrb_6_2022 import (
    MATRIX,
    MATRIX_REFERENCE,
    DistributionOptions,
    DistributionReport,
    Violation,
    check_distribution,
    predikat,
)

if TYPE_CHECKING:
    from asn_kinerja.dataset import Dataset

__all__ = [
    "ID",
    "MATRIX",
    "MATRIX_REFERENCE",
    "REGIME",
    "DistributionOptions",
    "DistributionReport",
    "PermenpanrbPolicy",
    "PermenpanrbRules",
    "Violation",
    "check_distribution",
    "population_policy",
    "predikat",
    "rules_of",
]

ID = "permenpanrb-6-2022"


@attrs.frozen(kw_only=True, repr=False)
class PermenpanrbPolicy(Policy):
    """A policy of the PermenPANRB 6/2022 regime (what :func:`asn_kinerja.load_policy` gives for it)."""

    @property
    def rules(self) -> PermenpanrbRules:
        """The regime's sections, each present."""
        return rules_of(self)


def population_policy(policy: Policy, what: str) -> PermenpanrbPolicy:
    """``policy`` as a :class:`PermenpanrbPolicy` where its regime is evaluated by the population engine (whose
    results the population tools work on); a :class:`~asn_kinerja.PolicyError` saying ``what`` works on otherwise.

    >>> from asn_kinerja import load_policy
    >>> from asn_kinerja import PolicyError
    >>> try:
    ...     population_policy(load_policy("pp-30-2019"), "compare")
    ... except PolicyError as exc:
    ...     print(exc.problems[0].message)
    policy 'pp-30-2019' is of the pp-30-2019 regime: compare works on permenpanrb-6-2022
    """
    from asn_kinerja.regimes import regime_of

    regime = regime_of(policy)
    found = regime.policy(policy) if regime.population else None
    if not isinstance(found, PermenpanrbPolicy):
        raise PolicyError([Problem(f"policy {policy.id!r} is of the {policy.regime} regime: {what} works on {ID}")])
    return found


def _evaluate(policy: PermenpanrbPolicy, dataset: Dataset) -> Evaluation:
    from asn_kinerja.engine.evaluate import evaluate_population

    return evaluate_population(policy, policy.rules, dataset)


REGIME: Regime[PermenpanrbPolicy, Evaluation] = register(
    Regime(
        id=ID,
        title="PermenPANRB 6/2022",
        sections=("matrix", "hasil_kerja", "perilaku_kerja"),
        policy_class=PermenpanrbPolicy,
        evaluator=_evaluate,
        result_type=Evaluation,
        population=True,
    )
)
