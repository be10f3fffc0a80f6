"""PP 46/2011 and Perka BKN 1/2013: the numeric SKP and nilai prestasi kerja of 2014–2019.

Each activity (kegiatan) of the SKP is scored on the aspects kuantitas, kualitas, waktu and, when it has a
budget, biaya; the activity's nilai capaian is the mean of its aspects; nilai SKP is the mean over
activities (plus bonuses for tugas tambahan and kreativitas); nilai prestasi kerja is 60 % nilai SKP + 40 %
nilai perilaku.
Reference: the project's regulations summary, section 4.

The published worked example (kuantitas 1/1, kualitas 100 → 90, waktu 12 → 12 months, biaya Rp 170.395.000 →
Rp 170.395.000):

>>> nilai_capaian_kegiatan(kuantitas=(1, 1), kualitas=(100, 90), waktu=(12, 12),
...                        biaya=(170_395_000, 170_395_000))
Decimal('85.50')
>>> sebutan(Decimal("85.50"))
'Baik'

Published and exact figures
---------------------------
Arithmetic is exact (rationals); a figure is rounded once, where the SKP form prints it: **half-up to
2 decimals** for every aspect (:func:`aspek_kuantitas`, :func:`aspek_kualitas`, :func:`aspek_waktu`,
:func:`aspek_biaya`), :func:`nilai_capaian_kegiatan`, :func:`nilai_skp`, :func:`nilai_perilaku` and
:func:`nilai_prestasi_kerja`. ``exact=True`` returns the unrounded value instead (exact when it has a
terminating decimal expansion, else to the 50 significant digits of :data:`~asn_kinerja._numbers.CONTEXT`).
:func:`nilai_capaian_kegiatan` combines the *exact* aspects, as a spreadsheet does, not their printed values.
Branches and bands (the 24 % efficiency branch, :func:`sebutan`) are decided on exact values.

Options (keyword-only; the defaults are the regulation)
-------------------------------------------------------
- ``rounding``: :class:`~asn_kinerja._numbers.Rounding` ``HALF_UP`` (default), ``TRUNCATE`` or ``CEILING``
  (or their values ``"half_up"``, ``"truncate"``, ``"ceiling"``).
- ``efficiency`` (waktu, biaya): one of :data:`EFFICIENCY_RULES`, see :func:`aspek_waktu`.
- ``divisor`` (nilai capaian kegiatan): one of :data:`DIVISORS`, see :func:`nilai_capaian_kegiatan`.
- ``cap`` (kuantitas, kualitas): ``None`` (default) or a positive number such as 100.
- ``reading`` (sebutan): one of :data:`SEBUTAN_READINGS`, see :func:`sebutan`.

An option value outside its list raises :class:`~asn_kinerja.errors.PolicyError`; invalid data (a target
that is not greater than zero, a negative realisasi, NaN, infinity, a bool, a score outside 0–100) raises
:class:`~asn_kinerja.errors.DataError` naming the field, with every problem of the call listed at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Final, Literal, get_args

from asn_kinerja._numbers import CONTEXT, Number, Rounding, round_to, to_decimal
from asn_kinerja.errors import DataError, PolicyError, Problem
from asn_kinerja.rules._checks import Checks as _Check
from asn_kinerja.rules._checks import rounding_option as _rounding
from asn_kinerja.rules._checks import weight_pair

__all__ = [
    "BOBOT_PERILAKU",
    "BOBOT_SKP",
    "DIVISORS",
    "EFFICIENCY_RULES",
    "EFFICIENCY_THRESHOLD",
    "KREATIVITAS_NILAI",
    "PERILAKU_ASPEK",
    "SEBUTAN",
    "SEBUTAN_BANDS",
    "SEBUTAN_READINGS",
    "TUGAS_TAMBAHAN_NILAI",
    "Divisor",
    "Efficiency",
    "Pair",
    "SebutanReading",
    "aspek_biaya",
    "aspek_kualitas",
    "aspek_kuantitas",
    "aspek_waktu",
    "nilai_capaian_kegiatan",
    "nilai_perilaku",
    "nilai_prestasi_kerja",
    "nilai_skp",
    "sebutan",
]

Efficiency = Literal["regulation", "none", "linear"]
"""How waktu and biaya are scored when the efficiency EW is above 24 % (see :func:`aspek_waktu`)."""
#: The efficiency rules, the regulation's first.
EFFICIENCY_RULES: Final[tuple[Efficiency, ...]] = get_args(Efficiency)

Divisor = Literal["aspects", "nonzero", 3, 4]
"""What the sum of the aspects is divided by (see :func:`nilai_capaian_kegiatan`)."""
#: The divisor rules, the regulation's first.
DIVISORS: Final[tuple[Divisor, ...]] = get_args(Divisor)

SebutanReading = Literal["threshold", "round_half_up", "truncate", "ceiling"]
"""How a value with decimals is placed in the integer sebutan bands (see :func:`sebutan`)."""
#: The sebutan readings, the common one first.
SEBUTAN_READINGS: Final[tuple[SebutanReading, ...]] = get_args(SebutanReading)

Pair = tuple[Number, Number]
"""A ``(target, realisasi)`` pair of one aspect."""

#: The sebutan labels, best first.
SEBUTAN: Final[tuple[str, ...]] = ("Sangat Baik", "Baik", "Cukup", "Kurang", "Buruk")

#: ``(lowest integer value, label)`` of each band above Buruk, best first: 91–… Sangat Baik, 76–90 Baik,
#: 61–75 Cukup, 51–60 Kurang; ≤ 50 Buruk.
SEBUTAN_BANDS: Final[tuple[tuple[int, str], ...]] = (
    (91, "Sangat Baik"),
    (76, "Baik"),
    (61, "Cukup"),
    (51, "Kurang"),
)

#: Efficiency (%) up to which waktu and biaya use ``(1.76 T − R) / T × 100``.
EFFICIENCY_THRESHOLD: Final = 24

#: The perilaku kerja aspects (kepemimpinan only for structural positions).
PERILAKU_ASPEK: Final[tuple[str, ...]] = (
    "orientasi_pelayanan",
    "integritas",
    "komitmen",
    "disiplin",
    "kerja_sama",
    "kepemimpinan",
)

#: Weights of nilai SKP and nilai perilaku in nilai prestasi kerja.
BOBOT_SKP: Final = Decimal("0.6")
BOBOT_PERILAKU: Final = Decimal("0.4")

#: Bonus for tugas tambahan as ``(minimum number of tasks, points)``, highest first:
#: 1–3 tasks → 1, 4–6 → 2, ≥ 7 → 3 [U].
TUGAS_TAMBAHAN_NILAI: Final[tuple[tuple[int, int], ...]] = ((7, 3), (4, 2), (1, 1))

#: Bonus points for kreativitas by the reach of its benefit [U].
KREATIVITAS_NILAI: Final[Mapping[str, int]] = {"unit": 3, "organisasi": 6, "nasional": 12}

_HUNDRED = Fraction(100)
_F176 = Fraction(176, 100)


# --- validation -------------------------------------------------------------------------------------------


def _option(value: object, allowed: tuple[object, ...], field: str) -> None:
    if isinstance(value, bool) or value not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        raise PolicyError([Problem(f"must be one of {choices}, got {value!r}", field=field)])


def _cap(value: Number | None) -> Fraction | None:
    if value is None:
        return None
    try:
        cap = Fraction(to_decimal(value, field="cap"))
    except DataError as err:
        raise PolicyError(err.problems) from None
    if cap <= 0:
        raise PolicyError([Problem(f"must be greater than zero, got {value!r}", field="cap")])
    return cap


def _exact(value: Fraction) -> Decimal:
    return CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator))


def _publish(value: Fraction, rounding: Rounding | str, exact: bool) -> Decimal:
    mode = _rounding(rounding)
    return _exact(value) if exact else round_to(value, 2, mode)


# --- aspects ----------------------------------------------------------------------------------------------


def _ratio_score(target: Fraction, realisasi: Fraction, cap: Fraction | None) -> Fraction:
    score = realisasi / target * _HUNDRED
    return score if cap is None else min(score, cap)


def _efficiency_score(target: Fraction, realisasi: Fraction, rule: Efficiency) -> Fraction:
    if realisasi == 0:  # target tidak terlaksana
        return Fraction(0)
    ew = _HUNDRED - realisasi / target * _HUNDRED
    first = (_F176 * target - realisasi) / target * _HUNDRED
    if ew <= EFFICIENCY_THRESHOLD or rule == "none":
        return first
    if rule == "regulation":
        return 76 - (first - _HUNDRED)
    return 76 + 2 * (_HUNDRED - ew)  # "linear", literally as circulated


def _two(target: Number, realisasi: Number) -> tuple[Fraction, Fraction]:
    check = _Check()
    t = check.number(target, "target", positive=True)
    r = check.number(realisasi, "realisasi", at_least=0)
    check.done()
    return t, r


def aspek_kuantitas(
    target: Number,
    realisasi: Number,
    *,
    cap: Number | None = None,
    rounding: Rounding | str = Rounding.HALF_UP,
    exact: bool = False,
) -> Decimal:
    """Kuantitas (output) = realisasi / target × 100, published to 2 decimals.

    Range: 0 and up (above 100 when the target is exceeded), at most ``cap`` when one is given — the
    ``cap=100`` variant of some applications. ``target`` must be greater than zero, ``realisasi`` at least
    zero.

    >>> aspek_kuantitas(1, 1)
    Decimal('100.00')
    >>> aspek_kuantitas(3, 2), aspek_kuantitas(3, 2, rounding=Rounding.TRUNCATE)
    (Decimal('66.67'), Decimal('66.66'))
    >>> aspek_kuantitas(10, 12), aspek_kuantitas(10, 12, cap=100)
    (Decimal('120.00'), Decimal('100.00'))
    """
    limit = _cap(cap)
    t, r = _two(target, realisasi)
    return _publish(_ratio_score(t, r, limit), rounding, exact)


def aspek_kualitas(
    target: Number,
    realisasi: Number,
    *,
    cap: Number | None = None,
    rounding: Rounding | str = Rounding.HALF_UP,
    exact: bool = False,
) -> Decimal:
    """Kualitas = realisasi / target × 100 (the target is usually 100), published to 2 decimals.

    Same range and options as :func:`aspek_kuantitas`.

    >>> aspek_kualitas(100, 90)
    Decimal('90.00')
    >>> aspek_kualitas(100, 90, exact=True)
    Decimal('90')
    """
    limit = _cap(cap)
    t, r = _two(target, realisasi)
    return _publish(_ratio_score(t, r, limit), rounding, exact)


def aspek_waktu(
    target: Number,
    realisasi: Number,
    *,
    efficiency: Efficiency = "regulation",
    rounding: Rounding | str = Rounding.HALF_UP,
    exact: bool = False,
) -> Decimal:
    """Waktu from the target and realised time, published to 2 decimals.

    With efficiency EW = 100 − R/T × 100 (on exact values):

    - EW ≤ 24: ``(1.76 T − R) / T × 100`` — 76 on time, 100 at R = 0.76 T, below 76 when late;
    - EW > 24, ``efficiency="regulation"`` (default): ``76 − ((((1.76 T − R) / T) × 100) − 100)``, which is
      algebraically R/T × 100: finishing far too early is scored down (75 % of the time → 75, while
      76 % → 100);
    - ``efficiency="none"``: the first formula everywhere, so scores rise towards 176;
    - ``efficiency="linear"``: ``76 + 2 × (100 − EW)`` above 24 %, implemented literally as it circulates; it
      jumps from 100 at EW = 24 to just under 228 above it and falls to 76 as R → 0.
    - R = 0 (the activity was not carried out, "target tidak terlaksana") scores 0 under every rule.

    Range: regulation ≤ 100; none < 176; linear < 228. The text sets no floor: R > 1.76 T gives a negative
    value, which is returned as computed.

    >>> aspek_waktu(12, 12), aspek_waktu(5, 4), aspek_waktu(12, 9.12)
    (Decimal('76.00'), Decimal('96.00'), Decimal('100.00'))
    >>> aspek_waktu(12, 6), aspek_waktu(12, 6, efficiency="none"), aspek_waktu(12, 6, efficiency="linear")
    (Decimal('50.00'), Decimal('126.00'), Decimal('176.00'))
    >>> aspek_waktu(12, 0)
    Decimal('0.00')
    """
    _option(efficiency, EFFICIENCY_RULES, "efficiency")
    t, r = _two(target, realisasi)
    return _publish(_efficiency_score(t, r, efficiency), rounding, exact)


def aspek_biaya(
    target: Number,
    realisasi: Number,
    *,
    efficiency: Efficiency = "regulation",
    rounding: Rounding | str = Rounding.HALF_UP,
    exact: bool = False,
) -> Decimal:
    """Biaya from the budgeted and realised cost: the same two branches as :func:`aspek_waktu`.

    An activity without a budget has no biaya aspect (pass ``biaya=None`` to :func:`nilai_capaian_kegiatan`);
    a realised cost of 0 reads as "target tidak terlaksana" and scores 0.

    >>> aspek_biaya(170_395_000, 170_395_000)
    Decimal('76.00')
    >>> aspek_biaya("5000000", "3800000")
    Decimal('100.00')
    """
    _option(efficiency, EFFICIENCY_RULES, "efficiency")
    t, r = _two(target, realisasi)
    return _publish(_efficiency_score(t, r, efficiency), rounding, exact)


# --- per activity and per year ----------------------------------------------------------------------------


def nilai_capaian_kegiatan(
    *,
    kuantitas: Pair,
    kualitas: Pair,
    waktu: Pair,
    biaya: Pair | None = None,
    divisor: Divisor = "aspects",
    cap: Number | None = None,
    efficiency: Efficiency = "regulation",
    rounding: Rounding | str = Rounding.HALF_UP,
    exact: bool = False,
) -> Decimal:
    """Nilai capaian of one activity: the sum of its exact aspects (perhitungan) / divisor, to 2 decimals.

    Each aspect is a ``(target, realisasi)`` pair; ``biaya=None`` when the activity has no budget.
    ``divisor``:

    - ``"aspects"`` (default, the regulation): the number of aspects present, 3 or 4;
    - ``3`` or ``4``: always that number (variants of some applications);
    - ``"nonzero"``: aspects whose value is exactly 0 are not counted (0 if all are 0).

    ``cap`` applies to kuantitas and kualitas, ``efficiency`` to waktu and biaya (see the aspect functions).
    Errors name the field as ``waktu.target``, ``biaya.realisasi`` ...

    >>> nilai_capaian_kegiatan(kuantitas=(1, 1), kualitas=(100, 90), waktu=(12, 12))
    Decimal('88.67')
    >>> nilai_capaian_kegiatan(kuantitas=(1, 1), kualitas=(100, 90), waktu=(12, 12), divisor=4)
    Decimal('66.50')
    """
    _option(divisor, DIVISORS, "divisor")
    _option(efficiency, EFFICIENCY_RULES, "efficiency")
    limit = _cap(cap)
    check = _Check()
    kn = check.pair(kuantitas, "kuantitas")
    kl = check.pair(kualitas, "kualitas")
    wk = check.pair(waktu, "waktu")
    bi = None if biaya is None else check.pair(biaya, "biaya")
    check.done()
    aspects = [_ratio_score(*kn, limit), _ratio_score(*kl, limit), _efficiency_score(*wk, efficiency)]
    if bi is not None:
        aspects.append(_efficiency_score(*bi, efficiency))
    total = sum(aspects, Fraction(0))
    if divisor == "aspects":
        n = len(aspects)
    elif divisor == "nonzero":
        n = sum(1 for a in aspects if a != 0)
    else:
        n = int(divisor)
    return _publish(total / n if n else Fraction(0), rounding, exact)


def _kreativitas(value: Number, check: _Check) -> Fraction:
    if isinstance(value, str) and value.strip().casefold() in KREATIVITAS_NILAI:
        return Fraction(KREATIVITAS_NILAI[value.strip().casefold()])
    return check.number(value, "kreativitas", at_least=0)


def nilai_skp(
    kegiatan: Iterable[Number],
    *,
    tugas_tambahan: Number = 0,
    kreativitas: Number = 0,
    rounding: Rounding | str = Rounding.HALF_UP,
    exact: bool = False,
) -> Decimal:
    """Nilai SKP: the mean of the activities' nilai capaian plus bonuses, published to 2 decimals.

    ``kegiatan`` are the activities' nilai capaian: pass their published (rounded) values to reproduce a
    form filled by hand, the ``exact=True`` values to reproduce a spreadsheet. ``tugas_tambahan`` is the
    *number* of additional tasks, scored by :data:`TUGAS_TAMBAHAN_NILAI` (1–3 → +1, 4–6 → +2, ≥ 7 → +3);
    ``kreativitas`` the bonus points, a number ≥ 0 or a level of :data:`KREATIVITAS_NILAI` (``"unit"`` +3,
    ``"organisasi"`` +6, ``"nasional"`` +12). Both bonus rules are [U] in the domain summary. Range: no upper
    bound.

    >>> nilai_skp(["85.50", "90.25"])
    Decimal('87.88')
    >>> nilai_skp(["85.50", "90.25"], tugas_tambahan=2, kreativitas="unit")
    Decimal('91.88')
    """
    check = _Check()
    values = [check.number(v, f"kegiatan[{i}]") for i, v in enumerate(kegiatan)]
    if not values:
        check.fail("kegiatan", "needs at least one activity")
    tasks = check.number(tugas_tambahan, "tugas_tambahan", at_least=0)
    if tasks.denominator != 1:
        check.fail("tugas_tambahan", f"must be a whole number of tasks, got {tugas_tambahan!r}")
    bonus = _kreativitas(kreativitas, check)
    check.done()
    extra = next((points for minimum, points in TUGAS_TAMBAHAN_NILAI if tasks >= minimum), 0)
    return _publish(sum(values, Fraction(0)) / len(values) + extra + bonus, rounding, exact)


def nilai_perilaku(
    scores: Mapping[str, Number] | Iterable[Number],
    *,
    rounding: Rounding | str = Rounding.HALF_UP,
    exact: bool = False,
) -> Decimal:
    """Nilai perilaku kerja: the mean of the aspects assessed (each 0–100), published to 2 decimals.

    ``scores`` is a mapping from aspect names of :data:`PERILAKU_ASPEK` to scores (an unknown name is a
    :class:`~asn_kinerja.errors.DataError`), or the scores alone. Range 0–100.

    >>> nilai_perilaku({"orientasi_pelayanan": 80, "integritas": 85, "komitmen": 78, "disiplin": 90,
    ...                 "kerja_sama": 82})
    Decimal('83.00')
    >>> nilai_perilaku([80, 81, 81])
    Decimal('80.67')
    """
    check = _Check()
    values: list[Fraction]
    if isinstance(scores, Mapping):
        values = []
        for name, value in scores.items():
            if name not in PERILAKU_ASPEK:
                check.fail(str(name), f"is not a perilaku aspect; expected one of {', '.join(PERILAKU_ASPEK)}")
            values.append(check.number(value, str(name), at_least=0, at_most=100))
    else:
        values = [check.number(v, f"scores[{i}]", at_least=0, at_most=100) for i, v in enumerate(scores)]
    if not values:
        check.fail("scores", "needs at least one aspect")
    check.done()
    return _publish(sum(values, Fraction(0)) / len(values), rounding, exact)


def nilai_prestasi_kerja(
    nilai_skp: Number,
    nilai_perilaku: Number,
    *,
    weights: tuple[Number, Number] | None = None,
    rounding: Rounding | str = Rounding.HALF_UP,
    exact: bool = False,
) -> Decimal:
    """Nilai prestasi kerja = 60 % nilai SKP + 40 % nilai perilaku, published to 2 decimals.

    ``nilai_perilaku`` must be 0–100; ``nilai_skp`` any finite number. The result lies between the two inputs.
    ``weights`` ``(skp, perilaku)`` replaces the regulation's :data:`BOBOT_SKP`, :data:`BOBOT_PERILAKU` to
    reproduce an application that weighs otherwise: two numbers ≥ 0 summing to exactly 1, else a
    :class:`~asn_kinerja.errors.PolicyError` naming ``weights``.

    >>> nilai_prestasi_kerja("85.50", 80), nilai_prestasi_kerja("85.50", 80, weights=("0.5", "0.5"))
    (Decimal('83.30'), Decimal('82.75'))
    """
    w_skp, w_perilaku = weight_pair(weights, (BOBOT_SKP, BOBOT_PERILAKU))
    check = _Check()
    skp = check.number(nilai_skp, "nilai_skp")
    perilaku = check.number(nilai_perilaku, "nilai_perilaku", at_least=0, at_most=100)
    check.done()
    return _publish(w_skp * skp + w_perilaku * perilaku, rounding, exact)


def sebutan(nilai: Number, *, reading: SebutanReading = "threshold") -> str:
    """The sebutan of a nilai (an activity's, nilai SKP or nilai prestasi kerja): one of :data:`SEBUTAN`.

    The text writes the bands on integers (≥ 91 Sangat Baik, 76–90 Baik, 61–75 Cukup, 51–60 Kurang,
    ≤ 50 Buruk) and leaves values such as 90.5 undefined. ``reading`` places them, always on the exact
    value given:

    - ``"threshold"`` (default, the common reading): each band starts at its integer, ``x ≥ 91`` Sangat Baik,
      ``x ≥ 76`` Baik, ``x ≥ 61`` Cukup, ``x ≥ 51`` Kurang, else Buruk — 90.5 and 90.99 are Baik;
    - ``"round_half_up"``: round to an integer half-up first — 90.5 is Sangat Baik, 90.49 Baik;
    - ``"truncate"``: drop the decimals first; this always gives the same label as ``"threshold"`` and is kept
      so a policy can name what its application does;
    - ``"ceiling"``: each band ends at its integer (``x > 90`` Sangat Baik, ``x > 75`` Baik, ...) — 90.01 is
      Sangat Baik.

    >>> sebutan(91), sebutan(90.5), sebutan(90.5, reading="round_half_up"), sebutan(75.99)
    ('Sangat Baik', 'Baik', 'Sangat Baik', 'Cukup')
    >>> sebutan(50.01, reading="ceiling")
    'Kurang'
    """
    _option(reading, SEBUTAN_READINGS, "reading")
    check = _Check()
    x = check.number(nilai, "nilai")
    check.done()
    if reading == "round_half_up":
        x = Fraction(round_to(x, 0, Rounding.HALF_UP))
    elif reading == "truncate":
        x = Fraction(round_to(x, 0, Rounding.TRUNCATE))
    elif reading == "ceiling":
        x = Fraction(round_to(x, 0, Rounding.CEILING))
    return next((label for lowest, label in SEBUTAN_BANDS if x >= lowest), SEBUTAN[-1])
