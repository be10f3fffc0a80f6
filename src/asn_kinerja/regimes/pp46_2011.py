"""PP 46/2011: SKP with kegiatan (kuantitas, kualitas, waktu, biaya) and perilaku 0–100.

Its rules are :mod:`asn_kinerja.rules.pp46_2011` (re-exported here as ``rules``), its policies load as
:class:`Pp46Policy` (the ``pp46`` section present, typed so), its evaluator is
:func:`asn_kinerja.engine.numeric.evaluate_pp46` and its result a :class:`~asn_kinerja.NumericEvaluation`.

>>> from asn_kinerja import load_policy
>>> type(load_policy("pp-46-2011")).__name__
'Pp46Policy'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from asn_kinerja.engine.numeric import NumericEvaluation, evaluate_pp46
from asn_kinerja.policy.numeric import Pp46Rules
from asn_kinerja.regimes import Regime
from asn_kinerja.regimes._numeric import NumericPolicy, register_numeric
from asn_kinerja.regimes._sections import section
from asn_kinerja.rules import pp46_2011 as rules

if TYPE_CHECKING:
    from asn_kinerja.dataset import Dataset

__all__ = ["ID", "REGIME", "Pp46Policy", "rules"]

ID = "pp-46-2011"


@attrs.frozen(kw_only=True, repr=False)
class Pp46Policy(NumericPolicy):
    """A policy of the PP 46/2011 regime (what :func:`asn_kinerja.load_policy` gives for it)."""

    @property
    def rules(self) -> Pp46Rules:
        """The regime's section, present."""
        return section(self.pp46, self.id, ID, "pp46")


def _evaluate(policy: Pp46Policy, dataset: Dataset) -> NumericEvaluation:
    return evaluate_pp46(policy, policy.rules, dataset)


REGIME: Regime[Pp46Policy, NumericEvaluation] = register_numeric(ID, "PP 46/2011", "pp46", Pp46Policy, _evaluate)
