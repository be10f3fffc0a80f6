"""A district's own regime, registered at run time: the whole of what adding a regime takes.

``example-kinerja-hasil`` rates an employee on hasil kerja alone: the predikat is Baik where the rating of hasil
kerja is Sesuai or Di Atas Ekspektasi and Butuh Perbaikan otherwise. Its policies have the ``hasil_kerja``
section; its result is a small table of its own.
"""

from __future__ import annotations

import attrs

from asn_kinerja import Dataset, Policy, Predikat, Rating, regimes
from asn_kinerja.policy.model import HasilKerjaRules
from asn_kinerja.regimes._sections import section

ID = "example-kinerja-hasil"


@attrs.frozen(kw_only=True, repr=False)
class HasilPolicy(Policy):
    """A policy of the example regime."""

    @property
    def rules(self) -> HasilKerjaRules:
        return section(self.hasil_kerja, self.id, ID, "hasil_kerja")


@attrs.frozen
class HasilEvaluation:
    """Each employee's predikat under the example regime."""

    predikat: dict[str, Predikat]


def evaluate_hasil(policy: HasilPolicy, dataset: Dataset) -> HasilEvaluation:
    good = {Rating.DI_ATAS_EKSPEKTASI.code, Rating.SESUAI_EKSPEKTASI.code}
    emp = dataset.employees
    return HasilEvaluation(
        {
            str(i): Predikat.BAIK if int(r) in good else Predikat.BUTUH_PERBAIKAN
            for i, r in zip(emp.id.tolist(), emp.rating_hasil_kerja.tolist(), strict=True)
        }
    )


REGIME = regimes.Regime(
    id=ID,
    title="Example: hasil kerja alone",
    sections=("hasil_kerja",),
    policy_class=HasilPolicy,
    evaluator=evaluate_hasil,
    result_type=HasilEvaluation,
)
