"""PP 30/2019: SKP with IKI (PermenPANRB 8/2021) and perilaku on the policy's scale.

Its rules are :mod:`asn_kinerja.rules.pp30_2019` (re-exported here as ``rules``), its policies load as
:class:`Pp30Policy` (the ``pp30`` section present, typed so), its evaluator is
:func:`asn_kinerja.engine.numeric.evaluate_pp30` and its result a :class:`~asn_kinerja.NumericEvaluation`.

>>> from asn_kinerja import load_policy
>>> type(load_policy("pp-30-2019")).__name__
'Pp30Policy'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from asn_kinerja.engine.numeric import NumericEvaluation, evaluate_pp30
from asn_kinerja.policy.numeric import Pp30Rules
from asn_kinerja.regimes import Regime
from asn_kinerja.regimes._numeric import NumericPolicy, register_numeric
from asn_kinerja.regimes._sections import section
from asn_kinerja.rules import pp30_2019 as rules

if TYPE_CHECKING:
    from asn_kinerja.dataset import Dataset

__all__ = ["ID", "REGIME", "Pp30Policy", "rules"]

ID = "pp-30-2019"


@attrs.frozen(kw_only=True, repr=False)
class Pp30Policy(NumericPolicy):
    """A policy of the PP 30/2019 regime (what :func:`asn_kinerja.load_policy` gives for it)."""

    @property
    def rules(self) -> Pp30Rules:
        """The regime's section, present."""
        return section(self.pp30, self.id, ID, "pp30")


def _evaluate(policy: Pp30Policy, dataset: Dataset) -> NumericEvaluation:
    return evaluate_pp30(policy, policy.rules, dataset)


REGIME: Regime[Pp30Policy, NumericEvaluation] = register_numeric(ID, "PP 30/2019", "pp30", Pp30Policy, _evaluate)
