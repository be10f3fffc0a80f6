"""The policy schema: frozen classes a YAML policy is read into.

Every field's ``doc`` metadata is its documentation; the policy reference in the docs is generated from these
classes (:func:`asn_kinerja.yamlschema.iter_schema`), so a key added here appears there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Literal

import attrs

from asn_kinerja._deprecation import renamed
from asn_kinerja.model import BERAKHLAK, Predikat, RaterGroup, Rating
from asn_kinerja.policy.numeric import Pp30Rules, Pp46Rules
from asn_kinerja.policy.organisation import (
    AngkaKreditRules,
    DevelopmentRules,
    DistributionRules,
    LeaderRules,
    PeriodRules,
)
from asn_kinerja.rules import permenpanrb_6_2022
from asn_kinerja.yamlschema.converter import Checked, FrozenMap, Reference, doc

__all__ = [
    "CitizenRules",
    "HasilKerjaRules",
    "PerilakuKerjaRules",
    "Policy",
    "PrivacyRules",
    "RatingThresholds",
    "Scale",
    "SuggestionRules",
    "ThreeSixtyRules",
]

#: The built-in regimes (others may be registered: :mod:`asn_kinerja.regimes`).
Regime = Literal["permenpanrb-6-2022", "pp-30-2019", "pp-46-2011"]
StrategyName = Literal["supervisor_only", "three_sixty", "citizen_weighted"]


def check_weights(weights: Mapping[RaterGroup, Decimal], key: str) -> Iterable[tuple[str, str]]:
    """Problems of a weight table: negative weights, or a total other than exactly 1."""
    for name, weight in weights.items():
        if weight < 0:
            yield f"{key}.{name.value}", f"a weight must not be negative, got {weight}"
    total = sum(weights.values(), Decimal(0))
    if total != 1:
        yield key, f"weights must sum to exactly 1, they sum to {total}"


@attrs.frozen(kw_only=True)
class RatingThresholds(Checked):
    """Thresholds that turn a score into a suggested rating: ``score ≥ di_atas`` → Di Atas Ekspektasi,
    ``score ≥ sesuai`` → Sesuai Ekspektasi, else Di Bawah Ekspektasi (compared exactly)."""

    di_atas: Decimal = doc("Lowest score suggested as Di Atas Ekspektasi.")
    sesuai: Decimal = doc("Lowest score suggested as Sesuai Ekspektasi; must be below di_atas.")
    reference: Reference | None = doc(
        "Where the thresholds come from (practice, where no regulation sets them).", default=None
    )

    def check(self) -> Iterable[tuple[str, str]]:
        if not self.sesuai < self.di_atas:
            yield "sesuai", f"thresholds must be ordered: sesuai ({self.sesuai}) < di_atas ({self.di_atas})"

    def rating(self, score: Decimal) -> Rating:
        """The suggested rating for an exact score.

        >>> RatingThresholds(di_atas=Decimal(4), sesuai=Decimal(3)).rating(Decimal("3.99"))
        <Rating.SESUAI_EKSPEKTASI: 'sesuai'>
        """
        if score >= self.di_atas:
            return Rating.DI_ATAS_EKSPEKTASI
        if score >= self.sesuai:
            return Rating.SESUAI_EKSPEKTASI
        return Rating.DI_BAWAH_EKSPEKTASI


@attrs.frozen(kw_only=True)
class Scale(Checked):
    """The numeric scale of the behaviour ratings collected (e.g. 1 to 5)."""

    min: Decimal = doc("Lowest score on the scale.")
    max: Decimal = doc("Highest score on the scale; above min.")

    def check(self) -> Iterable[tuple[str, str]]:
        if not self.min < self.max:
            yield "max", f"the scale must have min < max, got {self.min} and {self.max}"


@attrs.frozen(kw_only=True)
class SuggestionRules(Checked):
    """How a hasil kerja rating is *suggested* from indicator achievement when the evaluator gave none.

    The regulation sets no numeric rule from capaian to a rating (the rating is the evaluator's judgement);
    a suggestion is always labelled as such.
    """

    enabled: bool = doc(
        "Suggest a rating when the evaluator gave none; if false such an employee is an error.", default=True
    )
    thresholds: RatingThresholds = doc("Thresholds on the weighted capaian (percent).")
    include_tambahan: bool = doc("Count indicators of RHK tambahan in the weighted capaian.", default=False)
    inside_range: Decimal = doc("Capaian (percent) of a realisation inside a range target.", default=Decimal(100), ge=0)
    cap: Decimal | None = doc("Upper cap on one indicator's capaian (percent); null for none.", default=None, gt=0)
    reference: Reference | None = doc("Where the suggestion rule comes from.", default=None)


@attrs.frozen(kw_only=True)
class PerilakuSuggestionRules:
    """How a perilaku kerja rating is *suggested* from the aggregated behaviour score when the evaluator gave none
    (the same shape as ``hasil_kerja.suggestion``). Practice, not regulation; a suggestion is always labelled."""

    enabled: bool = doc(
        "Suggest a rating when the evaluator gave none; if false such an employee is an error.", default=True
    )
    thresholds: RatingThresholds = doc("Thresholds on the aggregated score (on the scale).")


@attrs.frozen(kw_only=True)
class HasilKerjaRules:
    """Rating of hasil kerja (work results)."""

    suggestion: SuggestionRules = doc("The suggested rating from indicators.")
    leader: LeaderRules | None = doc(
        "The unit leader's hasil kerja rating taken from the organisation predikat (where not given).", default=None
    )
    reference: Reference | None = doc("Legal reference.", default=None)


#: The minimum of raters of a group (other than the atasan and the employee) that a policy does not name.
DEFAULT_MIN_RATERS = 3

CentralTendency = Literal["mean", "median", "trimmed_mean"]
BelowMinimum = Literal["drop", "pool", "fail"]
WithoutSurvey = Literal["reweight", "fail"]


@attrs.frozen(kw_only=True)
class ThreeSixtyRules(Checked):
    """How ratings of several rater groups are combined (360-degree feedback conventions, not regulation)."""

    min_raters: Mapping[RaterGroup, int] = doc(
        "Fewest raters a group needs before its ratings count or are shown (per criterion); the atasan group and "
        "the employee's own rating are exempt. Groups not named need 3.",
        factory=FrozenMap,
        example="{rekan: 3, bawahan: 3}",
    )
    below_minimum: BelowMinimum = doc(
        "A group below its minimum: drop it and re-weight the others, pool it with the other groups below their "
        "minimum into one 'others' group (weight = their weights' sum, needing the smallest of their minimums), "
        "or fail (a DataError naming the employee and the group).",
        default="drop",
    )
    central_tendency: CentralTendency = doc(
        "A group's value on a criterion: the mean, the median, or the trimmed mean of its raters' scores.",
        default="mean",
    )
    trim: Decimal = doc(
        "For trimmed_mean: the share of scores cut at each end (floor(trim × n) scores each side); 0 ≤ trim < 0.5.",
        default=Decimal("0.1"),
        ge=0,
    )
    reference: Reference | None = doc("Where the convention comes from.", default=None)

    def check(self) -> Iterable[tuple[str, str]]:
        for group, n in self.min_raters.items():
            if group not in (RaterGroup.ATASAN, RaterGroup.DIRI) and n < 2:
                yield (
                    f"min_raters.{group.value}",
                    f"a minimum below 2 would show one rater's own rating (anonymity), got {n}",
                )
        if self.trim >= Decimal("0.5"):
            yield "trim", f"trim must be below 0.5 (some scores must remain), got {self.trim}"
        for group, n in self.min_raters.items():
            if n < 1:
                yield f"min_raters.{group.value}", f"a minimum is at least 1, got {n}"
            if group is RaterGroup.ATASAN:
                yield "min_raters.atasan", "the atasan group is exempt from the minimum"


@attrs.frozen(kw_only=True)
class CitizenRules(Checked):
    """How the service unit's citizen satisfaction index (PermenPANRB 14/2017) enters the behaviour score."""

    weight: Decimal = doc("Weight of the index in each component it applies to (0 < weight ≤ 1).", gt=0, le=1)
    applies_to: tuple[str, ...] = doc(
        "The components the index enters: criterion names (e.g. berorientasi_pelayanan), or 'overall' for the "
        "overall behaviour score.",
        factory=lambda: ("berorientasi_pelayanan",),
    )
    without_survey: WithoutSurvey = doc(
        "An employee of a service unit without survey responses: re-weight without the index, or fail.",
        default="reweight",
    )
    min_respondents: int = doc(
        "Fewest respondents a unit's survey needs before its index is used or shown (an anonymity guard, not "
        "regulation; the Krejcie & Morgan sample size is reported separately).",
        default=5,
        ge=1,
    )
    missing_answers: Literal["error", "skip"] = doc(
        "A survey row with an unanswered unsur: an error, or skipped for that unsur (NRR over those answering).",
        default="error",
    )
    reference: Reference | None = doc("Legal reference.", default=None)


@attrs.frozen(kw_only=True)
class PerilakuKerjaRules(Checked):
    """Rating of perilaku kerja (behaviour, the BerAKHLAK core values)."""

    criteria: tuple[str, ...] = doc("The values rated, in order.", factory=lambda: BERAKHLAK)
    scale: Scale = doc("The numeric scale of the ratings.")
    strategy: StrategyName = doc(
        "How ratings from evaluators are aggregated: supervisor_only (the Pejabat Penilai alone), three_sixty "
        "(rater groups with weights, see three_sixty), citizen_weighted (the group weights plus the unit's citizen "
        "satisfaction index, see citizen)."
    )
    weights: Mapping[RaterGroup, Decimal] = doc(
        "Weight of each rater group in the aggregated score (atasan, rekan, bawahan, diri, pengguna_layanan); "
        "non-negative, summing to exactly 1. supervisor_only uses atasan alone; diri counts only with "
        "three_sixty.include_self.",
        example="{atasan: 1}",
    )
    include_self: bool = doc(
        "Count the employee's own ratings (group diri) in the aggregate; by default they are only reported, with "
        "the gap between self and others.",
        default=False,
    )
    three_sixty: ThreeSixtyRules | None = doc(
        "Rules of the three_sixty strategy (and of any multi-group weights).", default=None
    )
    citizen: CitizenRules | None = doc("Rules of the citizen_weighted strategy.", default=None)
    suggestion: PerilakuSuggestionRules = doc("The suggested rating from the aggregated score.")
    reference: Reference | None = doc("Legal reference.", default=None)

    @property
    def thresholds(self) -> RatingThresholds:
        """Deprecated: ``suggestion.thresholds``."""
        renamed("PerilakuKerjaRules.thresholds", "PerilakuKerjaRules.suggestion.thresholds")
        return self.suggestion.thresholds

    @property
    def suggest(self) -> bool:
        """Deprecated: ``suggestion.enabled``."""
        renamed("PerilakuKerjaRules.suggest", "PerilakuKerjaRules.suggestion.enabled")
        return self.suggestion.enabled

    def check(self) -> Iterable[tuple[str, str]]:
        if len(set(self.criteria)) != len(self.criteria):
            yield "criteria", "criteria must not repeat"
        if not self.criteria:
            yield "criteria", "at least one criterion is needed"
        yield from check_weights(self.weights, "weights")
        used = {g for g, w in self.weights.items() if w > 0}
        if self.strategy == "supervisor_only" and used != {RaterGroup.ATASAN}:
            yield "weights", "the supervisor_only strategy weighs the atasan group alone: weights: {atasan: 1}"
        if self.strategy == "three_sixty" and self.three_sixty is None:
            yield "three_sixty", "the three_sixty strategy needs its rules (min_raters, below_minimum, ...)"
        if self.strategy == "citizen_weighted" and self.citizen is None:
            yield "citizen", "the citizen_weighted strategy needs its rules (weight, applies_to, ...)"
        if self.strategy != "citizen_weighted" and self.citizen is not None:
            yield "citizen", f"citizen rules are only used by the citizen_weighted strategy, not {self.strategy}"
        if len(used) > 1 and self.three_sixty is None:
            yield "three_sixty", "weights on several rater groups need three_sixty rules (at least minimums)"
        if RaterGroup.DIRI in used and not self.include_self:
            yield "weights.diri", "self-ratings are excluded unless include_self is true; remove the weight"
        if self.include_self and RaterGroup.DIRI not in used:
            yield "include_self", "include_self needs a weight for the diri group"
        if RaterGroup.PENGGUNA_LAYANAN in used and self.citizen is not None:
            yield "weights.pengguna_layanan", "service users enter either as a rater group or through citizen"
        if self.citizen is not None:
            for i, name in enumerate(self.citizen.applies_to):
                if name != "overall" and name not in self.criteria:
                    yield f"citizen.applies_to[{i}]", f"{name!r} is neither 'overall' nor one of the criteria"
        for name in ("di_atas", "sesuai"):
            value = getattr(self.suggestion.thresholds, name)
            if not self.scale.min <= value <= self.scale.max:
                yield (
                    f"suggestion.thresholds.{name}",
                    f"must lie on the scale {self.scale.min}–{self.scale.max}, got {value}",
                )

    def minimum(self, group: RaterGroup) -> int:
        """The fewest raters ``group`` needs: the atasan and the employee's own rating 1; any other group the
        policy's ``three_sixty.min_raters``, by default 3 (so that a group is never shown below three raters
        unless a policy says so)."""
        if group in (RaterGroup.ATASAN, RaterGroup.DIRI) or self.three_sixty is None:
            return 1
        return self.three_sixty.min_raters.get(group, DEFAULT_MIN_RATERS)


PublishScores = Literal["when_not_anonymous", "always"]


@attrs.frozen(kw_only=True)
class PrivacyRules:
    """What the outputs of an evaluation publish about anonymous raters (peers, subordinates, service users).

    A group's minimum of raters keeps one rating from being shown alone; it does not stop *differencing*: two runs
    with and without one peer publish two group scores (or two behaviour scores) from which that peer's rating
    follows (with four peers, ``4 × m4 − 3 × m3``). So, by default, no figure computed from an anonymous rating is
    published: only the rating levels it leads to and the number of raters.
    """

    publish_scores: PublishScores = doc(
        "when_not_anonymous (the default): a figure computed from an anonymous rating — a peer, subordinate or "
        "service-user group, the pool of groups below their minimum, or the unit's citizen index — is withheld from "
        "every output (the behaviour score, the group's score and spread, the self − others gap, the index and its "
        "place on the rating scale); the ratings, predikat, development needs, the survey's mutu and the number of "
        "raters are published. The atasan's and the employee's own figures are always published. always: publish "
        "every figure, which lets anyone who sees two runs, with and without one rater, compute that rater's rating "
        "(for invented or consented test data).",
        default="when_not_anonymous",
    )
    reference: Reference | None = doc("Where the rule comes from.", default=None)

    def __str__(self) -> str:
        return f"{{publish_scores: {self.publish_scores}}}"


@attrs.frozen(kw_only=True)
class PredikatMatrix(Checked):
    """The 3×3 matrix from (hasil kerja, perilaku kerja) ratings to the employee predikat.

    Rows are hasil kerja ratings, columns perilaku kerja ratings: ``matrix.di_atas.sesuai: baik``.
    """

    di_atas: Mapping[Rating, Predikat] = doc("Row for hasil kerja Di Atas Ekspektasi.")
    sesuai: Mapping[Rating, Predikat] = doc("Row for hasil kerja Sesuai Ekspektasi.")
    di_bawah: Mapping[Rating, Predikat] = doc("Row for hasil kerja Di Bawah Ekspektasi.")
    reference: Reference | None = doc("Legal reference.", default=None)

    def row(self, hasil_kerja: Rating) -> Mapping[Rating, Predikat]:
        return {
            Rating.DI_ATAS_EKSPEKTASI: self.di_atas,
            Rating.SESUAI_EKSPEKTASI: self.sesuai,
            Rating.DI_BAWAH_EKSPEKTASI: self.di_bawah,
        }[hasil_kerja]

    def check(self) -> Iterable[tuple[str, str]]:
        for name in ("di_atas", "sesuai", "di_bawah"):
            missing = [r.value for r in Rating if r not in getattr(self, name)]
            if missing:
                yield (
                    name,
                    f"the row needs a predikat for every perilaku rating; missing {', '.join(missing)}",
                )

    def is_official(self) -> bool:
        """Whether this matrix is the one of PermenPANRB 6/2022."""
        return all(dict(self.row(h)) == dict(permenpanrb_6_2022.MATRIX[h]) for h in Rating)


@attrs.frozen(kw_only=True, repr=False)
class Policy(Checked):
    """A complete evaluation policy: which regime, valid when, with which parameters, on whose authority."""

    id: str = doc("Identifier of the policy, e.g. 'permenpanrb-6-2022' or 'bungo-360-2025'.")
    title: str = doc("Human title.")
    regime: str = doc(
        "The regulation regime evaluated: permenpanrb-6-2022, pp-30-2019, pp-46-2011 or another registered one "
        "(asn_kinerja.regimes)."
    )
    valid_from: dt.date = doc("First day the policy applies to.")
    reference: Reference = doc("The legal basis of the policy.")
    valid_until: dt.date | None = doc("Last day the policy applies to; null while in force.", default=None)
    description: str | None = doc("What the policy is for.", default=None)
    extends: str | None = doc(
        "The policy this one overlays (a built-in id or a path relative to this file).", default=None
    )
    matrix: PredikatMatrix | None = doc("Predikat matrix (permenpanrb-6-2022 regime).", default=None)
    hasil_kerja: HasilKerjaRules | None = doc("Hasil kerja rules (permenpanrb-6-2022 regime).", default=None)
    perilaku_kerja: PerilakuKerjaRules | None = doc("Perilaku kerja rules (permenpanrb-6-2022 regime).", default=None)
    distribution: DistributionRules | None = doc(
        "Distribution guidance checked per unit (SE MenPANRB 3/2023); null for none.", default=None
    )
    angka_kredit: AngkaKreditRules | None = doc("Angka kredit of functional positions; null for none.", default=None)
    development: DevelopmentRules | None = doc("Development needs from weak values; null for none.", default=None)
    periods: PeriodRules | None = doc("How several periods combine (district practice); null for none.", default=None)
    privacy: PrivacyRules = doc(
        "What the outputs publish about anonymous raters (permenpanrb-6-2022 regime; see docs/privacy.md).",
        factory=PrivacyRules,
    )
    pp46: Pp46Rules | None = doc("Rules of the pp-46-2011 regime (PP 46/2011, Perka BKN 1/2013).", default=None)
    pp30: Pp30Rules | None = doc("Rules of the pp-30-2019 regime (PP 30/2019, PermenPANRB 8/2021).", default=None)
    references: Mapping[str, Reference] = attrs.field(factory=FrozenMap, eq=False, metadata={"internal": True})
    source: str = attrs.field(default="<policy>", eq=False, metadata={"internal": True})
    effective_on: dt.date | None = attrs.field(default=None, eq=False, metadata={"internal": True})

    def check(self) -> Iterable[tuple[str, str]]:
        if self.valid_until is not None and self.valid_until < self.valid_from:
            yield "valid_until", f"valid_until ({self.valid_until}) is before valid_from ({self.valid_from})"
        from asn_kinerja import regimes

        if self.regime not in regimes.registered():
            allowed = ", ".join(repr(r) for r in regimes.registered())
            yield "regime", f"must be one of {allowed}, got {self.regime!r}"
            return
        for key in regimes.regime(self.regime).sections:
            if getattr(self, key) is None:
                yield key, f"the {self.regime} regime needs the key {key!r}"

    def __repr__(self) -> str:
        until = "now" if self.valid_until is None else self.valid_until.isoformat()
        return f"<Policy {self.id!r} ({self.regime}), valid {self.valid_from.isoformat()} – {until}>"

    def in_force(self, on: dt.date) -> bool:
        """Whether ``on`` lies within the policy's validity."""
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)

    def reference_for(self, path: str) -> Reference:
        """The most specific reference for a key path: its own, or the nearest section's, or the policy's."""
        parts = path.split(".")
        while parts:
            found = self.references.get(".".join(parts))
            if found is not None:
                return found
            parts.pop()
        return self.reference
