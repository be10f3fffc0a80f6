"""Policy schema of the numeric regimes: PP 46/2011 (``pp46``) and PP 30/2019 (``pp30``).

Every key defaults to the regulation (the project's regulations summary, sections 3 and 4); the other choices
reproduce variants found in public implementations, so a district can compute what its application computed
and see the difference. Each sub-section carries its own ``reference``; a key without one falls back to the
nearest section's (:meth:`asn_kinerja.Policy.reference_for`).

>>> rules = Pp46Rules()
>>> rules.kegiatan.efficiency, rules.weights.skp, rules.weights.perilaku, rules.sebutan.reading
('regulation', Decimal('0.6'), Decimal('0.4'), 'threshold')
>>> Pp30Rules().weights.with_peers.skp, Pp30Rules().perilaku.peer_input
(Decimal('0.6'), 'data')
>>> print(Pp30Rules().weights)
{without_peers: {skp: 0.7, perilaku: 0.3}, with_peers: {skp: 0.6, perilaku: 0.4}}
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Final, Literal

import attrs

from asn_kinerja._deprecation import renamed
from asn_kinerja._numbers import Rounding
from asn_kinerja.rules.pp30_2019 import GapRule
from asn_kinerja.rules.pp46_2011 import PERILAKU_ASPEK, Divisor, Efficiency, SebutanReading
from asn_kinerja.yamlschema.converter import Checked, Reference, doc

__all__ = [
    "PERILAKU_8_2021",
    "Bobot",
    "PerilakuScale",
    "Pp30Bobot",
    "Pp30Capaian",
    "Pp30Perilaku",
    "Pp30Rules",
    "Pp30Skp",
    "Pp46Kegiatan",
    "Pp46Perilaku",
    "Pp46Rules",
    "Pp46Sebutan",
    "Pp46Skp",
    "RoundingName",
    "rounding_of",
]

RoundingName = Literal["half_up", "truncate", "ceiling"]
"""How published figures are rounded (:class:`~asn_kinerja._numbers.Rounding`)."""

#: The perilaku kerja aspects of PermenPANRB 8/2021 (PP 30/2019), in order [B].
PERILAKU_8_2021: Final[tuple[str, ...]] = (
    "orientasi_pelayanan",
    "komitmen",
    "inisiatif_kerja",
    "kerja_sama",
    "kepemimpinan",
)

_ROUNDING_DOC = (
    "How every published figure is rounded to 2 decimals: half_up (the regulation's hand and spreadsheet "
    "arithmetic), truncate or ceiling (applications that cut or round up the decimals)."
)


def rounding_of(name: RoundingName) -> Rounding:
    """The :class:`~asn_kinerja._numbers.Rounding` named in a policy.

    >>> rounding_of("truncate")
    <Rounding.TRUNCATE: 'truncate'>
    """
    return Rounding(name)


def _flow(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, tuple):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return str(value)


class _Section:
    """A policy section whose text form is its YAML flow mapping (the policy reference shows defaults so)."""

    def __str__(self) -> str:
        cls: Any = type(self)
        fields = [f.name for f in attrs.fields(cls) if f.name != "reference"]
        return "{" + ", ".join(f"{name}: {_flow(getattr(self, name))}" for name in fields) + "}"


@attrs.frozen(kw_only=True)
class Bobot(Checked, _Section):
    """Weights of nilai SKP and nilai perilaku in the final value; non-negative, summing to exactly 1."""

    skp: Decimal = doc("Weight of nilai SKP.", ge=0, le=1)
    perilaku: Decimal = doc("Weight of nilai perilaku kerja.", ge=0, le=1)
    reference: Reference | None = doc("Legal reference of the weights.", default=None)

    def check(self) -> Iterable[tuple[str, str]]:
        if self.skp + self.perilaku != 1:
            yield "perilaku", f"skp and perilaku must sum to exactly 1, they sum to {self.skp + self.perilaku}"

    @property
    def pair(self) -> tuple[Decimal, Decimal]:
        """``(skp, perilaku)``, as the rules functions take them."""
        return self.skp, self.perilaku


# --- PP 46/2011 -------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Pp46Kegiatan(_Section):
    """Nilai capaian of one kegiatan from its aspects (:func:`asn_kinerja.rules.pp46_2011.nilai_capaian_kegiatan`)."""

    efficiency: Efficiency = doc(
        "Waktu and biaya when the efficiency EW = 100 − R/T × 100 is above 24 %: regulation "
        "(76 − ((((1.76 T − R) / T) × 100) − 100), Perka BKN 1/2013); none (the first formula everywhere, scores "
        "rise towards 176, as applications without the second branch do); linear (76 + 2 × (100 − EW), as "
        "circulated in some spreadsheets).",
        default="regulation",
    )
    divisor: Divisor = doc(
        "What the sum of the aspects (perhitungan) is divided by: aspects (the number present, 3 or 4: the "
        "regulation); nonzero (aspects scoring exactly 0 are not counted); 3 or 4 (always that number, as some "
        "applications do).",
        default="aspects",
    )
    cap: Decimal | None = doc(
        "Upper cap on kuantitas and kualitas, e.g. 100 to reproduce applications that cap them; null for none "
        "(the regulation: a target exceeded scores above 100).",
        default=None,
        gt=0,
    )
    reference: Reference | None = doc("Legal reference of the aspect formulas.", default=None)


@attrs.frozen(kw_only=True)
class Pp46Skp(_Section):
    """Nilai SKP from the kegiatan (:func:`asn_kinerja.rules.pp46_2011.nilai_skp`)."""

    tugas_tambahan: Literal["bonus", "ignore"] = doc(
        "RHK of jenis tambahan are tugas tambahan, counted (not scored): bonus adds 1 for 1–3 tasks, 2 for 4–6, "
        "3 for 7 or more to nilai SKP (Perka BKN 1/2013 as commonly read, [U]); ignore leaves them out, as "
        "applications without the bonus do.",
        default="bonus",
    )
    reference: Reference | None = doc("Legal reference of nilai SKP.", default=None)


@attrs.frozen(kw_only=True)
class Pp46Perilaku(Checked, _Section):
    """Nilai perilaku kerja: the mean of the aspects the atasan rated, each 0–100."""

    criteria: tuple[str, ...] = doc(
        "The aspects (criteria) counted, from orientasi_pelayanan, integritas, komitmen, disiplin, kerja_sama, "
        "kepemimpinan "
        "(PP 46/2011 Pasal 12). A rating on an aspect left out here is reported and not counted (e.g. to "
        "reproduce an application that leaves kepemimpinan out for everyone).",
        factory=lambda: PERILAKU_ASPEK,
    )
    reference: Reference | None = doc("Legal reference of the perilaku kerja aspects.", default=None)

    @property
    def aspects(self) -> tuple[str, ...]:
        """Deprecated: :attr:`criteria` (the name the other regimes use)."""
        renamed("Pp46Perilaku.aspects", "Pp46Perilaku.criteria")
        return self.criteria

    def check(self) -> Iterable[tuple[str, str]]:
        if not self.criteria:
            yield "criteria", "at least one criterion is needed"
        if len(set(self.criteria)) != len(self.criteria):
            yield "criteria", "criteria must not repeat"
        for name in self.criteria:
            if name not in PERILAKU_ASPEK:
                yield "criteria", f"{name!r} is not a PP 46/2011 aspect; expected one of {', '.join(PERILAKU_ASPEK)}"


@attrs.frozen(kw_only=True)
class Pp46Sebutan(_Section):
    """The sebutan of a nilai (:func:`asn_kinerja.rules.pp46_2011.sebutan`)."""

    reading: SebutanReading = doc(
        "How a value with decimals is placed in the bands written on integers (≥ 91, 76–90, 61–75, 51–60, "
        "≤ 50): threshold (x ≥ 91 ..., the common reading: 90.5 is Baik); round_half_up (round to an integer "
        "first: 90.5 is Sangat Baik); truncate (drop the decimals: same as threshold); ceiling (each band ends "
        "at its integer: 90.01 is Sangat Baik).",
        default="threshold",
    )
    reference: Reference | None = doc("Legal reference of the sebutan bands.", default=None)


def _pp46_weights() -> Bobot:
    return Bobot(skp=Decimal("0.6"), perilaku=Decimal("0.4"))


@attrs.frozen(kw_only=True)
class Pp46Rules(_Section):
    """Rules of the PP 46/2011 regime (Perka BKN 1/2013): one RHK utama is one kegiatan, its indicators are
    its aspects; perilaku from the atasan's ratings on a 0–100 scale."""

    rounding: RoundingName = doc(_ROUNDING_DOC, default="half_up")
    kegiatan: Pp46Kegiatan = doc("Scoring of one kegiatan.", factory=Pp46Kegiatan)
    skp: Pp46Skp = doc("Nilai SKP.", factory=Pp46Skp)
    perilaku: Pp46Perilaku = doc("Nilai perilaku kerja.", factory=Pp46Perilaku)
    weights: Bobot = doc(
        "Weights of nilai SKP and nilai perilaku in nilai prestasi kerja: 0.6 and 0.4 (PP 46/2011 Pasal 20); "
        "other weights reproduce an application that weighs otherwise.",
        factory=_pp46_weights,
    )
    sebutan: Pp46Sebutan = doc("Sebutan of the kegiatan and of nilai prestasi kerja.", factory=Pp46Sebutan)
    reference: Reference | None = doc("Legal reference.", default=None)


# --- PP 30/2019 -------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Pp30Capaian(_Section):
    """Capaian IKI and its nilai (:func:`asn_kinerja.rules.pp30_2019.capaian_iki`, ``nilai_capaian_iki``)."""

    places: int | None = doc(
        "Decimals the capaian (percent) is published with before its nilai is read from the bands: 2 (the "
        "library's default, as the e-kinerja forms print it); 0 (the Lampiran's own example prints 93/95 as "
        "98 %); null chains the exact capaian (a spreadsheet).",
        default=2,
        ge=0,
        le=10,
    )
    gaps: GapRule = doc(
        "Nilai of a capaian between the bands written on integer percents (99.5 %): continuous (the formulas "
        "continued into the gap, [U]); step (the lower edge's value, as if the capaian were truncated).",
        default="continuous",
    )
    reference: Reference | None = doc("Legal reference of capaian and nilai capaian IKI.", default=None)


@attrs.frozen(kw_only=True)
class Pp30Skp(_Section):
    """Nilai SKP from the nilai capaian IKI (the regulation does not confirm the weighting, [U])."""

    tambahan: Literal["exclude", "include"] = doc(
        "Indicators of RHK tambahan: exclude (nilai SKP from the RHK utama only) or include (counted like the "
        "utama ones, as some applications do).",
        default="exclude",
    )
    weighting: Literal["weight", "equal"] = doc(
        "Mean of the indicators' nilai: weight (weighted by the indicator weight column, [U]) or equal (a plain "
        "mean, each indicator once).",
        default="weight",
    )
    reference: Reference | None = doc("Legal reference of nilai SKP.", default=None)


@attrs.frozen(kw_only=True)
class PerilakuScale(Checked, _Section):
    """The scale of the perilaku ratings; the dataset manifest must declare the same one."""

    min: Decimal = doc("Lowest score.", ge=0)
    max: Decimal = doc("Highest score; above min and at most 120 (the top of nilai kinerja).", le=120)

    def check(self) -> Iterable[tuple[str, str]]:
        if not self.min < self.max:
            yield "max", f"the scale must have min < max, got {self.min} and {self.max}"


def _pp30_scale() -> PerilakuScale:
    return PerilakuScale(min=Decimal(0), max=Decimal(120))


@attrs.frozen(kw_only=True)
class Pp30Perilaku(Checked, _Section):
    """Nilai perilaku kerja: the mean of the aspects rated, each the mean of the counted rater groups' means."""

    criteria: tuple[str, ...] = doc(
        "The aspects rated (PermenPANRB 8/2021): orientasi_pelayanan, komitmen, inisiatif_kerja, kerja_sama, "
        "kepemimpinan. A rating on another criterion is an error.",
        factory=lambda: PERILAKU_8_2021,
    )
    scale: PerilakuScale = doc(
        "The scale of the ratings and of nilai perilaku: 0–120 by default, the scale of nilai kinerja [U]; "
        "0–100 reproduces applications that rate on 100.",
        factory=_pp30_scale,
    )
    peer_input: Literal["data", "with_peers", "without_peers"] = doc(
        "Whether perilaku considers the opinions of same-level peers (rekan) and direct subordinates (bawahan), "
        "which sets the weights (Pasal 41): data (yes for an employee with a rekan or bawahan rating, else "
        "no); with_peers (yes for everyone; 60/40 even where no peer rated); without_peers (no for everyone: "
        "the atasan's ratings alone, 70/30). Each counted group's mean weighs equally in an aspect [U].",
        default="data",
    )
    reference: Reference | None = doc("Legal reference of the perilaku kerja aspects.", default=None)

    def check(self) -> Iterable[tuple[str, str]]:
        if not self.criteria:
            yield "criteria", "at least one criterion is needed"
        if len(set(self.criteria)) != len(self.criteria):
            yield "criteria", "criteria must not repeat"


def _without_peers() -> Bobot:
    return Bobot(skp=Decimal("0.7"), perilaku=Decimal("0.3"))


def _with_peers() -> Bobot:
    return Bobot(skp=Decimal("0.6"), perilaku=Decimal("0.4"))


@attrs.frozen(kw_only=True)
class Pp30Bobot(_Section):
    """Weights of nilai SKP and nilai perilaku in nilai kinerja (PP 30/2019 Pasal 41)."""

    without_peers: Bobot = doc(
        "When perilaku is assessed without peers' and subordinates' opinions: 0.7 and 0.3.",
        factory=_without_peers,
    )
    with_peers: Bobot = doc(
        "When perilaku considers peers' and subordinates' opinions: 0.6 and 0.4.", factory=_with_peers
    )
    reference: Reference | None = doc("Legal reference of the weights.", default=None)


@attrs.frozen(kw_only=True)
class Pp30Rules(_Section):
    """Rules of the PP 30/2019 regime (PermenPANRB 8/2021): each indicator's capaian gives a nilai, nilai SKP
    is their mean, perilaku from ratings, nilai kinerja 70/30 or 60/40, predikat with the ide baru flag."""

    rounding: RoundingName = doc(_ROUNDING_DOC, default="half_up")
    capaian: Pp30Capaian = doc("Capaian and nilai capaian of one indicator.", factory=Pp30Capaian)
    skp: Pp30Skp = doc("Nilai SKP.", factory=Pp30Skp)
    perilaku: Pp30Perilaku = doc("Nilai perilaku kerja.", factory=Pp30Perilaku)
    weights: Pp30Bobot = doc("Weights in nilai kinerja.", factory=Pp30Bobot)
    reference: Reference | None = doc("Legal reference.", default=None)
