"""Policy schema of the organisation's needs: distribution guidance, the leader's hasil kerja, angka kredit and
development needs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Literal

import attrs

from asn_kinerja.model import PredikatOrganisasi, Rating
from asn_kinerja.rules import angka_kredit_2023
from asn_kinerja.rules.distribution import DistributionOptions
from asn_kinerja.yamlschema.converter import Checked, FrozenMap, Reference, doc

__all__ = ["AngkaKreditRules", "DevelopmentRules", "DistributionRules", "LeaderRules", "PeriodRules", "Requirement"]


@attrs.frozen(kw_only=True)
class DistributionRules:
    """How each unit's distribution of employee predikat is checked against its guidance (SE MenPANRB 3/2023).

    The check reports; it never relabels anyone.
    """

    largest_group: Literal["plurality", "majority"] = doc(
        "'Sangat Baik / Baik is the largest group' read as plurality (more than any other single predikat) or "
        "majority (more than half).",
        default="plurality",
    )
    rounding: Literal["exact", "floor", "ceil", "half_up"] = doc(
        "Percentage limits compared exactly, or first turned into a head count rounded this way (small units).",
        default="exact",
    )
    count_leader: bool = doc(
        "Count the unit's leader (whose superior is outside the unit) among its staff.", default=True
    )
    reference: Reference | None = doc("Legal reference.", default=None)

    @property
    def options(self) -> DistributionOptions:
        return DistributionOptions(
            largest_group=self.largest_group, rounding=self.rounding, count_leader=self.count_leader
        )


@attrs.frozen(kw_only=True)
class LeaderRules(Checked):
    """The leader of a unit takes the unit's organisation predikat as the rating of their own hasil kerja."""

    enabled: bool = doc("Apply the rule to unit leaders whose evaluator gave no hasil kerja rating.", default=False)
    mapping: Mapping[PredikatOrganisasi, Rating] = doc(
        "Organisation predikat → hasil kerja rating of the unit's leader.",
        factory=FrozenMap,
        example="{istimewa: di_atas, baik: sesuai, butuh_perbaikan: di_bawah, ...}",
    )
    reference: Reference | None = doc("Legal reference.", default=None)

    def check(self) -> Iterable[tuple[str, str]]:
        missing = [p.value for p in PredikatOrganisasi if p not in self.mapping]
        if self.enabled and missing:
            yield "mapping", f"the mapping needs every organisation predikat; missing {', '.join(missing)}"


@attrs.frozen(kw_only=True)
class Requirement:
    """Cumulative angka kredit for kenaikan pangkat and (null where there is no next jenjang) kenaikan jenjang."""

    pangkat: Decimal = doc("Angka kredit for the next pangkat.", ge=0)
    jenjang: Decimal | None = doc("Angka kredit for the next jenjang; null where there is none.", default=None, ge=0)


@attrs.frozen(kw_only=True)
class AngkaKreditRules(Checked):
    """Angka kredit of jabatan fungsional from the predikat (PermenPANRB 1/2023, Peraturan BKN 3/2023)."""

    enabled: bool = doc("Compute the angka kredit of JF employees for the period.", default=True)
    requirements: Mapping[str, Requirement] = doc(
        "Cumulative requirements by jenjang (pemula … ahli_utama), for progress toward promotion.",
        factory=FrozenMap,
    )
    reference: Reference | None = doc("Legal reference.", default=None)

    def check(self) -> Iterable[tuple[str, str]]:
        for name in self.requirements:
            try:
                angka_kredit_2023.parse_jenjang(name)
            except Exception as exc:  # the rules raise DataError naming the value
                yield f"requirements.{name}", str(exc).splitlines()[-1].strip()


@attrs.frozen(kw_only=True)
class DevelopmentRules(Checked):
    """Development needs (practice, not regulation): weak BerAKHLAK values lead to development themes."""

    themes: Mapping[str, str] = doc(
        "For each criterion (BerAKHLAK value), the development theme it leads to when weak."
    )
    below: Decimal = doc("A criterion's combined score below this is weak (on the rating scale).")
    self_gap: Decimal | None = doc(
        "Also weak where the self-rating exceeds the others' score on the criterion by at least this much; "
        "null to ignore the gap.",
        default=None,
        gt=0,
    )
    reference: Reference | None = doc("Where the mapping comes from.", default=None)

    def check(self) -> Iterable[tuple[str, str]]:
        for name, theme in self.themes.items():
            if not theme.strip():
                yield f"themes.{name}", "a theme needs a name"


@attrs.frozen(kw_only=True)
class PeriodRules:
    """How results of several periods are combined. No regulation derives the annual predikat from periodic
    ones: any rule here is a district practice and is labelled as such."""

    annual_from_periodic: Literal["none", "last", "worst", "mode"] = doc(
        "Derive an annual predikat from the periodic ones: none; the last period's; the worst; or the most "
        "frequent (ties go to the worse). Reported beside any annual evaluation, never replacing it.",
        default="none",
    )
    reference: Reference | None = doc("Where the practice comes from.", default=None)
