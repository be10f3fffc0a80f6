"""PP 30/2019 and PermenPANRB 8/2021: capaian IKI, nilai capaian IKI, nilai kinerja and predikat (2019–2021).

Reference: the project's regulations summary, section 3. The public example of PermenPANRB 8/2021:

>>> nilai_capaian_iki(98)
Decimal('88.00')
>>> predikat(nilai_kinerja(nilai_capaian_iki(98), 90, peer_input=False))
'Cukup'

Published and exact figures
---------------------------
Arithmetic is exact (rationals) and each published figure is rounded once, **half-up**:
:func:`capaian_iki` to 2 decimals (``places`` changes that: the Lampiran's own example prints 93/95 as
"98 %", i.e. ``places=0``), :func:`nilai_capaian_iki` and :func:`nilai_kinerja` to 2 decimals.
``exact=True`` returns the unrounded value (exact when it has a terminating decimal expansion, else to the
50 significant digits of :data:`~asn_kinerja._numbers.CONTEXT`). Chaining the published capaian into
:func:`nilai_capaian_iki` reproduces a form; chaining ``capaian_iki(..., exact=True)`` rounds only once.
Bands and predikat are decided on the exact value given.

Options (keyword-only; the defaults are the regulation)
-------------------------------------------------------
- ``rounding``: :class:`~asn_kinerja._numbers.Rounding` ``HALF_UP`` (default), ``TRUNCATE`` or ``CEILING``.
- ``gaps`` (nilai capaian IKI): one of :data:`GAP_RULES`, for capaian between the integer bands (99.5 %),
  see :func:`nilai_capaian_iki`.

An option value outside its list raises :class:`~asn_kinerja.errors.PolicyError`; invalid data raises
:class:`~asn_kinerja.errors.DataError` naming the field, every problem of the call at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Final, Literal, get_args

from asn_kinerja._numbers import CONTEXT, Number, Rounding, round_to, to_decimal
from asn_kinerja.errors import PolicyError, Problem
from asn_kinerja.rules._checks import Checks as _Check
from asn_kinerja.rules._checks import rounding_option as _rounding
from asn_kinerja.rules._checks import weight_pair

__all__ = [
    "BOBOT_DENGAN_REKAN",
    "BOBOT_TANPA_REKAN",
    "GAP_RULES",
    "NILAI_MAKSIMUM",
    "PREDIKAT",
    "GapRule",
    "capaian_fraction",
    "capaian_iki",
    "nilai_capaian_iki",
    "nilai_kinerja",
    "predikat",
]

GapRule = Literal["continuous", "step"]
"""How a capaian between the bands written on integer percentages is valued (:func:`nilai_capaian_iki`)."""
#: The gap rules, the default first.
GAP_RULES: Final[tuple[GapRule, ...]] = get_args(GapRule)

#: The predikat labels of PP 30/2019 Pasal 41, best first.
PREDIKAT: Final[tuple[str, ...]] = ("Sangat Baik", "Baik", "Cukup", "Kurang", "Sangat Kurang")

#: The highest nilai capaian IKI, nilai SKP and nilai kinerja.
NILAI_MAKSIMUM: Final = 120

#: ``(SKP, perilaku)`` weights when perilaku is assessed without / with peers' and subordinates' opinions.
BOBOT_TANPA_REKAN: Final = (Decimal("0.7"), Decimal("0.3"))
BOBOT_DENGAN_REKAN: Final = (Decimal("0.6"), Decimal("0.4"))

_HUNDRED = Fraction(100)


# --- validation -------------------------------------------------------------------------------------------


def _publish(value: Fraction, rounding: Rounding | str, exact: bool, places: int = 2) -> Decimal:
    mode = _rounding(rounding)
    if exact:
        return CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator))
    return round_to(value, places, mode)


# --- capaian and nilai capaian IKI ------------------------------------------------------------------------


def capaian_iki(
    realisasi: Number,
    target: Number | tuple[Number, Number],
    *,
    lower_is_better: bool = False,
    places: int = 2,
    rounding: Rounding | str = Rounding.HALF_UP,
    exact: bool = False,
) -> Decimal:
    """Capaian IKI in percent, published to ``places`` decimals (2 by default).

    - Higher is better (kondisi normal): realisasi / target × 100.
    - ``lower_is_better=True`` (kondisi khusus): (1 + (1 − realisasi / target)) × 100, floored at 0 (the
      regulation is silent on realisasi above twice the target; a capaian below 0 % fits no band).
    - ``target`` may be a range ``(low, high)``: realisasi above it uses ``high``, below it uses ``low``,
      inside it (bounds included) gives 100 [U].

    ``target`` (each bound) must be greater than zero, ``low ≤ high``; ``realisasi`` at least zero.
    Range of the result: 0 and up.

    >>> capaian_iki(93, 95), capaian_iki(93, 95, places=0)
    (Decimal('97.89'), Decimal('98'))
    >>> capaian_iki(70, (80, 90)), capaian_iki(85, (80, 90)), capaian_iki(92, (80, 90))
    (Decimal('87.50'), Decimal('100.00'), Decimal('102.22'))
    >>> capaian_iki(6.5, (7, 8), lower_is_better=True), capaian_iki(9, (7, 8), lower_is_better=True)
    (Decimal('107.14'), Decimal('87.50'))
    """
    if isinstance(places, bool) or not isinstance(places, int) or places < 0:
        raise PolicyError([Problem(f"must be a whole number ≥ 0, got {places!r}", field="places")])
    check = _Check()
    r = check.number(realisasi, "realisasi", at_least=0)
    lower = check.flag(lower_is_better, "lower_is_better")
    if isinstance(target, str | bytes) or not isinstance(target, Sequence):
        low = high = check.number(target, "target", positive=True)
    elif len(target) != 2:
        check.fail("target", f"must be a number or a (low, high) range, got {target!r}")
        low = high = Fraction(1)
    else:
        before = len(check.problems)
        low = check.number(target[0], "target.low", positive=True)
        high = check.number(target[1], "target.high", positive=True)
        if len(check.problems) == before and low > high:
            check.fail("target", f"range low {to_decimal(target[0])} is above high {to_decimal(target[1])}")
    check.done()
    return _publish(capaian_fraction(r, low, high, lower_is_better=lower), rounding, exact, places)


def capaian_fraction(realisasi: Fraction, low: Fraction, high: Fraction, *, lower_is_better: bool) -> Fraction:
    """The exact capaian (percent) of :func:`capaian_iki` from already validated rationals, unrounded.

    >>> capaian_fraction(Fraction(93), Fraction(95), Fraction(95), lower_is_better=False)
    Fraction(1860, 19)
    """
    if low <= realisasi <= high:
        value = _HUNDRED
    else:
        t = high if realisasi > high else low
        value = (2 - realisasi / t) * _HUNDRED if lower_is_better else realisasi / t * _HUNDRED
    return max(value, Fraction(0))


def _nilai(c: Fraction, max_achievable: bool, gaps: GapRule) -> Fraction:
    if c > 110:
        return Fraction(120)
    if c >= 101:  # Sangat Baik 101–110
        return 110 + Fraction(120 - 110, 110 - 101) * (c - 101)
    if c == 100:  # Baik, or Sangat Baik when 100 % is the maximum achievable
        return Fraction(120 if max_achievable else 109)
    if c > 100:  # gap 100–101
        return Fraction(109) if gaps == "step" else 109 + (c - 100)
    if c >= 80:  # Cukup 80–99, and the gap 99–100
        if gaps == "step" and c > 99:
            return Fraction(89)
        return 70 + Fraction(89 - 70, 99 - 80) * (c - 80)
    if c >= 60:  # Kurang 60–79, and the gap 79–80
        if gaps == "step" and c > 79:
            return Fraction(69)
        return 50 + Fraction(69 - 50, 79 - 60) * (c - 60)
    if c > 59:  # gap 59–60
        return Fraction(49) if gaps == "step" else 50 + (c - 60)
    return c / 59 * 49  # Sangat Kurang 0–59


def nilai_capaian_iki(
    capaian: Number,
    *,
    max_achievable: bool = False,
    gaps: GapRule = "continuous",
    rounding: Rounding | str = Rounding.HALF_UP,
    exact: bool = False,
) -> Decimal:
    """Nilai capaian IKI (0–120) of a capaian in percent, published to 2 decimals.

    The bands of PermenPANRB 8/2021 (``c`` the capaian):

    ==================  =====================================================================
    c > 110             120
    101 ≤ c ≤ 110       110 + (120 − 110) / (110 − 101) × (c − 101)   (Sangat Baik) [U formula]
    c = 100             109 (Baik); 120 with ``max_achievable=True`` (100 % is the maximum)
    80 ≤ c ≤ 99         70 + (89 − 70) / (99 − 80) × (c − 80)   (Cukup)
    60 ≤ c ≤ 79         50 + (69 − 50) / (79 − 60) × (c − 60)   (Kurang)
    0 ≤ c ≤ 59          c / 59 × 49   (Sangat Kurang)
    ==================  =====================================================================

    The bands are written on integer percentages and leave gaps (59–60, 79–80, 99–100, 100–101). ``gaps``:

    - ``"continuous"`` (default): a formula is continued into the gap so the function stays continuous
      wherever the text allows — the Cukup / Kurang line (which is c − 10 on both bands) covers 59 < c < 100
      (99.5 → 89.5, 79.5 → 69.5, 59.5 → 49.5), and 100 < c < 101 is the straight line from 109 to 110
      (100.5 → 109.5). The only jump left is the one the text makes at exactly 100 (90 → 109).
    - ``"step"``: a capaian in a gap keeps the value of the gap's lower edge, as if truncated to the integer
      percent: 99.5 → 89, 79.5 → 69, 59.5 → 49, 100.5 → 109.

    Both are non-decreasing in ``c``. (Continuing the Sangat Baik formula below 101 is not offered: it gives
    less than 109 just above 100, so a higher capaian would score lower.) ``capaian`` must be ≥ 0, and ≤ 100
    when ``max_achievable``.

    >>> nilai_capaian_iki(98), nilai_capaian_iki(100), nilai_capaian_iki(100, max_achievable=True)
    (Decimal('88.00'), Decimal('109.00'), Decimal('120.00'))
    >>> nilai_capaian_iki(105), nilai_capaian_iki(45)
    (Decimal('114.44'), Decimal('37.37'))
    >>> nilai_capaian_iki("99.5"), nilai_capaian_iki("99.5", gaps="step")
    (Decimal('89.50'), Decimal('89.00'))
    """
    if gaps not in GAP_RULES:
        choices = ", ".join(repr(g) for g in GAP_RULES)
        raise PolicyError([Problem(f"must be one of {choices}, got {gaps!r}", field="gaps")])
    check = _Check()
    c = check.number(capaian, "capaian", at_least=0)
    top = check.flag(max_achievable, "max_achievable")
    if top and c > 100:
        got = to_decimal(capaian)
        check.fail("capaian", f"must be at most 100 when 100 % is the maximum achievable, got {got}")
    check.done()
    return _publish(_nilai(c, top, gaps), rounding, exact)


# --- nilai kinerja and predikat ---------------------------------------------------------------------------


def nilai_kinerja(
    nilai_skp: Number,
    nilai_perilaku: Number,
    *,
    peer_input: bool,
    weights: tuple[Number, Number] | None = None,
    rounding: Rounding | str = Rounding.HALF_UP,
    exact: bool = False,
) -> Decimal:
    """Nilai kinerja (PP 30/2019 Pasal 41), published to 2 decimals.

    70 % nilai SKP + 30 % nilai perilaku when perilaku is assessed without the opinions of same-level peers
    and direct subordinates (``peer_input=False``), 60 % + 40 % when it considers them (``peer_input=True``);
    the choice has no default because the regulation ties it to how perilaku was assessed. Both inputs
    0–120; the result lies between them. ``weights`` ``(skp, perilaku)`` replaces the pair the regulation
    ties to ``peer_input`` (to reproduce an application that weighs otherwise): two numbers ≥ 0 summing to
    exactly 1, else a :class:`~asn_kinerja.errors.PolicyError` naming ``weights``.

    >>> nilai_kinerja(100, 90, peer_input=False), nilai_kinerja(100, 90, peer_input=True)
    (Decimal('97.00'), Decimal('96.00'))
    >>> nilai_kinerja(100, 90, peer_input=False, weights=("0.8", "0.2"))
    Decimal('98.00')
    """
    check = _Check()
    skp = check.number(nilai_skp, "nilai_skp", at_least=0, at_most=NILAI_MAKSIMUM)
    perilaku = check.number(nilai_perilaku, "nilai_perilaku", at_least=0, at_most=NILAI_MAKSIMUM)
    peers = check.flag(peer_input, "peer_input")
    check.done()
    w_skp, w_perilaku = weight_pair(weights, BOBOT_DENGAN_REKAN if peers else BOBOT_TANPA_REKAN)
    return _publish(w_skp * skp + w_perilaku * perilaku, rounding, exact)


def predikat(nilai: Number, *, ide_baru: bool = False) -> str:
    """The predikat of a nilai kinerja x (0–120), one of :data:`PREDIKAT`, decided on the exact value:

    Sangat Baik: 110 ≤ x ≤ 120 and the employee created a new idea or way of working that benefits the
    organisation (``ide_baru=True``); Baik: 90 ≤ x ≤ 120; Cukup: 70 ≤ x < 90; Kurang: 50 ≤ x < 70;
    Sangat Kurang: x < 50. A value above 120 or below 0 is a :class:`~asn_kinerja.errors.DataError`.

    >>> predikat(115), predikat(115, ide_baru=True), predikat("89.99"), predikat(50)
    ('Baik', 'Sangat Baik', 'Cukup', 'Kurang')
    """
    check = _Check()
    x = check.number(nilai, "nilai", at_least=0, at_most=NILAI_MAKSIMUM)
    idea = check.flag(ide_baru, "ide_baru")
    check.done()
    if x >= 110 and idea:
        return PREDIKAT[0]
    if x >= 90:
        return PREDIKAT[1]
    if x >= 70:
        return PREDIKAT[2]
    if x >= 50:
        return PREDIKAT[3]
    return PREDIKAT[4]
