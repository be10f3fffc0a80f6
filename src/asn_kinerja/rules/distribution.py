"""The distribution of employee predikat inside a unit, by organisation predikat (SE MenPANRB 3/2023).

Once the leader above has set a unit's organisation predikat (Istimewa … Sangat Kurang), SE MenPANRB
3/2023 guides how the predikat of the unit's staff should be distributed. With n the staff evaluated in
the unit and share(x) = count(x) / n:

===============  ======================================================================================
Istimewa         Sangat Baik is the largest group ("sebagian besar"), share(SB) ≤ 70 %; the rest any mix
Baik             Baik is the largest group, share(Baik) ≤ 70 %; at least one Butuh Perbaikan or
                 Kurang/Misconduct; the rest may be Sangat Baik or Sangat Kurang
Butuh Perbaikan  share(BP) ≥ 60 %; share(SB) ≤ 10 %
Kurang           share(Kurang/Misconduct) ≥ 60 %; share(BP) ≥ 10 %; share(SB) ≤ 10 %
Sangat Kurang    share(SK) ≥ 60 %; share(Kurang/Misconduct) + share(BP) ≥ 10 %; no Sangat Baik
===============  ======================================================================================

The distribution is guidance for the leader: :func:`check_distribution` validates and reports, it never
relabels anyone. Every comparison is exact (fractions, never floats); percentages are rounded only for
display.

>>> report = check_distribution("istimewa", {"sangat_baik": 5, "baik": 2})
>>> report.ok
False
>>> v = report.violations[0]
>>> print(v.rule, "|", v.text, "|", v.required_text, "|", v.actual_text)
istimewa.sb_max_70 | Sangat Baik paling banyak 70 % | ≤ 70 % | 5/7 = 71.43 %
>>> check_distribution("istimewa", {"sangat_baik": 5, "baik": 2},
...                    options=DistributionOptions(rounding="half_up")).ok
True

The guidance leaves three points open; :class:`DistributionOptions` makes each explicit (a policy sets them).
"""

from __future__ import annotations

import functools
import numbers
from collections.abc import Callable, Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Literal, TypeVar

import attrs

from asn_kinerja._numbers import Rounding, round_to
from asn_kinerja.errors import DataError, PolicyError, Problem
from asn_kinerja.model import LabelledEnum, Predikat, PredikatOrganisasi

__all__ = [
    "DISTRIBUTION_REFERENCE",
    "DistributionOptions",
    "DistributionReport",
    "Violation",
    "check_distribution",
    "distribution_report",
    "share_limits",
]

#: The source of the guidance, as a report cites it (a description after the number, not the official title).
DISTRIBUTION_REFERENCE = "SE MenPANRB 3/2023: distribution of employee predikat by organisation predikat"

LargestGroup = Literal["plurality", "majority"]
LimitRounding = Literal["exact", "floor", "ceil", "half_up"]
Relation = Literal["<=", ">=", ">"]
_E = TypeVar("_E", bound=LabelledEnum)

_LARGEST_GROUP: tuple[LargestGroup, ...] = ("plurality", "majority")
_LIMIT_ROUNDING: tuple[LimitRounding, ...] = ("exact", "floor", "ceil", "half_up")
_HEAD_COUNT_ROUNDING: Mapping[str, Rounding] = {
    "floor": Rounding.TRUNCATE,  # counts are non-negative: truncation is the floor
    "ceil": Rounding.CEILING,
    "half_up": Rounding.HALF_UP,
}
_SYMBOL: Mapping[Relation, str] = {"<=": "≤", ">=": "≥", ">": ">"}

_NO_STAFF_NOTE = "no staff evaluated in the unit: the distribution guidance does not apply"


def _one_of(allowed: tuple[str, ...]) -> Callable[[object, attrs.Attribute[Any], object], None]:
    def check(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value not in allowed:
            expected = ", ".join(repr(a) for a in allowed)
            raise PolicyError([Problem(f"must be one of {expected}, got {value!r}", field=attribute.name)])

    return check


def _is_bool(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise PolicyError([Problem(f"must be true or false, got {value!r}", field=attribute.name)])


@attrs.frozen
class DistributionOptions:
    """How :func:`check_distribution` reads the points SE MenPANRB 3/2023 leaves open.

    ``largest_group`` — what "Sangat Baik / Baik is the largest group" (*sebagian besar*) requires:

    - ``"plurality"`` (default): strictly more staff than every other single predikat; a tie for first
      place is *not* a largest group (with a tie no group is *the* largest, and the leader should see it).
      This is the reading of the project's domain table ("the largest group") and the weaker of the two,
      so the check flags only clear departures from the guidance.
    - ``"majority"``: more than half of the unit (> 50 %, exactly: 2 · count > n), the stricter literal
      reading of *sebagian besar*. "More than half" is exact for any n, so ``rounding`` does not apply.

    ``rounding`` — how the percentage limits (70 %, 60 %, 10 %) apply to small units:

    - ``"exact"`` (default): compare the exact share with the limit (5 of 7 = 71.43 % > 70 %). The guidance
      states percentages and no rounding, and regulation arithmetic compares at thresholds exactly. It is
      also the strictest reading: an upper limit allows ⌊limit · n⌋ people, a lower one needs ⌈limit · n⌉.
    - ``"floor"``, ``"ceil"``, ``"half_up"``: convert the limit to a head count first, rounded that way,
      then compare counts (70 % of 7 = 4.9 → 4, 5, 5 people). A district practice, stated in its policy.

    ``count_leader`` (default ``True``) — whether the unit leader, whose hasil kerja rating is the unit's
    result, is counted in the unit. :func:`check_distribution` counts whatever it is given: the caller (the
    evaluation) reads this option to decide what to pass. The option is carried into the report.

    Bad values raise :class:`~asn_kinerja.PolicyError` naming the option.

    >>> DistributionOptions()
    DistributionOptions(largest_group='plurality', rounding='exact', count_leader=True)
    >>> DistributionOptions(rounding="round")
    Traceback (most recent call last):
    ...
    asn_kinerja.errors.PolicyError: 1 problem in the policy:
      rounding: must be one of 'exact', 'floor', 'ceil', 'half_up', got 'round'
    """

    largest_group: LargestGroup = attrs.field(default="plurality", validator=_one_of(_LARGEST_GROUP))
    rounding: LimitRounding = attrs.field(default="exact", validator=_one_of(_LIMIT_ROUNDING))
    count_leader: bool = attrs.field(default=True, validator=_is_bool)

    def to_dict(self) -> dict[str, Any]:
        """The options as a JSON-ready mapping (the keys a policy uses).

        >>> DistributionOptions(largest_group="majority").to_dict()
        {'largest_group': 'majority', 'rounding': 'exact', 'count_leader': True}
        """
        return attrs.asdict(self)


@functools.lru_cache(maxsize=4096)
def _percent(share: Fraction) -> str:
    """A share as a percentage rounded half-up to 2 decimals: 5/7 → ``'71.43'``."""
    return str(round_to(share * 100, 2))


@functools.lru_cache(maxsize=4096)
def _plain(value: Fraction) -> str:
    """A limit or head count without trailing zeros: 7/10 · 100 → ``'70'``, 49/10 → ``'4.9'``."""
    return f"{round_to(value, 2).normalize():f}"


@attrs.frozen
class Violation:
    """One clause of the guidance that a unit's distribution does not meet.

    ``rule`` is a short id (``"<organisation predikat>.<clause>"``), ``text`` the clause in the words of the
    guidance. ``relation`` (``"<="``, ``">="`` or ``">"``) links ``actual`` to ``required``: both are exact
    shares (:class:`~fractions.Fraction`) when the clause is compared as a share, both head counts (``int``)
    when it is compared as a count. ``required_text`` and ``actual_text`` render them for a reader.

    >>> v = check_distribution("baik", {"baik": 7, "sangat_baik": 3}).violations[0]
    >>> v.rule, v.required, v.actual
    ('baik.bp_or_k_min_1', 1, 0)
    >>> print(v.text)
    paling sedikit 1 pegawai Butuh Perbaikan atau Kurang/Misconduct
    >>> print(check_distribution("istimewa", {"sangat_baik": 3, "baik": 3}).violations[0])
    istimewa.sb_largest: Sangat Baik merupakan sebagian besar pegawai (required > 3 (Baik), actual 3 of 6)
    """

    rule: str
    text: str
    relation: Relation
    required: Fraction | int
    actual: Fraction | int
    required_text: str
    actual_text: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.text} (required {self.required_text}, actual {self.actual_text})"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping: shares as percentage strings rounded half-up to 2 decimals, counts as ints.

        >>> check_distribution("istimewa", {"sangat_baik": 8, "baik": 2}).violations[0].to_dict()
        ... # doctest: +NORMALIZE_WHITESPACE
        {'rule': 'istimewa.sb_max_70', 'text': 'Sangat Baik paling banyak 70 %', 'measure': 'share',
         'relation': '<=', 'required': '70.00', 'actual': '80.00', 'required_text': '≤ 70 %',
         'actual_text': '8/10 = 80.00 %'}
        """

        def value(x: Fraction | int) -> str | int:
            return _percent(x) if isinstance(x, Fraction) else x

        return {
            "rule": self.rule,
            "text": self.text,
            "measure": "share" if isinstance(self.required, Fraction) else "count",
            "relation": self.relation,
            "required": value(self.required),
            "actual": value(self.actual),
            "required_text": self.required_text,
            "actual_text": self.actual_text,
        }


def _freeze_counts(counts: Mapping[Predikat, int]) -> Mapping[Predikat, int]:
    return MappingProxyType({p: counts.get(p, 0) for p in Predikat})


@attrs.frozen
class DistributionReport:
    """The result of :func:`check_distribution`: the unit's distribution and the clauses it does not meet.

    ``counts`` holds every :class:`~asn_kinerja.model.Predikat` (best first, missing ones 0); ``n`` is
    their sum and ``shares`` the exact shares (all 0 when ``n`` is 0). ``ok`` is true when there are no
    ``violations``. ``note`` explains a report that checked nothing (a unit with no staff evaluated).

    >>> r = check_distribution("butuh_perbaikan", {"butuh_perbaikan": 6, "baik": 3, "sangat_baik": 1})
    >>> r.ok, r.n, r.shares[Predikat.BUTUH_PERBAIKAN]
    (True, 10, Fraction(3, 5))
    >>> print(r)
    Butuh Perbaikan unit, n = 10: meets SE MenPANRB 3/2023
    """

    predikat_organisasi: PredikatOrganisasi
    counts: Mapping[Predikat, int] = attrs.field(converter=_freeze_counts)
    violations: tuple[Violation, ...] = ()
    options: DistributionOptions = DistributionOptions()
    note: str | None = None

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def n(self) -> int:
        return sum(self.counts.values())

    @property
    def shares(self) -> Mapping[Predikat, Fraction]:
        n = self.n
        return MappingProxyType({p: Fraction(c, n) if n else Fraction(0) for p, c in self.counts.items()})

    def __str__(self) -> str:
        head = f"{self.predikat_organisasi.label} unit, n = {self.n}: "
        if self.note is not None:
            return head + self.note
        if self.ok:
            return head + "meets SE MenPANRB 3/2023"
        lines = [f"  {v}" for v in self.violations]
        return "\n".join([f"{head}{len(lines)} violation(s) of SE MenPANRB 3/2023", *lines])

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping: identifiers as keys, shares as percentages rounded half-up to 2 decimals.

        >>> d = check_distribution("istimewa", {"sangat_baik": 5, "baik": 2}).to_dict()
        >>> d["ok"], d["n"], d["shares"]["sangat_baik"], d["shares"]["baik"], d["shares"]["sangat_kurang"]
        (False, 7, '71.43', '28.57', '0.00')
        >>> [v["rule"] for v in d["violations"]]
        ['istimewa.sb_max_70']
        """
        return {
            "predikat_organisasi": self.predikat_organisasi.value,
            "reference": DISTRIBUTION_REFERENCE,
            "ok": self.ok,
            "n": self.n,
            "counts": {p.value: c for p, c in self.counts.items()},
            "shares": {p.value: _percent(s) for p, s in self.shares.items()},
            "violations": [v.to_dict() for v in self.violations],
            "options": self.options.to_dict(),
            "note": self.note,
        }


@attrs.frozen
class _Clause:
    """One clause of the table; ``kind`` says how it is compared: largest group, share or head count."""

    rule: str
    text: str
    kind: Literal["largest", "share", "count"]
    predikat: tuple[Predikat, ...]
    relation: Relation = ">"
    limit: Fraction = Fraction(0)


_SB, _B, _BP, _K, _SK = Predikat


def _largest(org: str, p: Predikat, short: str) -> _Clause:
    return _Clause(f"{org}.{short}_largest", f"{p.label} merupakan sebagian besar pegawai", "largest", (p,))


def _share(org: str, short: str, predikat: tuple[Predikat, ...], relation: Relation, percent: int) -> _Clause:
    bound = "paling banyak" if relation == "<=" else "paling sedikit"
    who = " dan ".join(p.label for p in predikat)
    word = "max" if relation == "<=" else "min"
    text = f"{who} {bound} {percent} %"
    return _Clause(f"{org}.{short}_{word}_{percent}", text, "share", predikat, relation, Fraction(percent, 100))


_AT_LEAST_ONE = f"paling sedikit 1 pegawai {_BP.label} atau {_K.label}"

_RULES: Mapping[PredikatOrganisasi, tuple[_Clause, ...]] = {
    PredikatOrganisasi.ISTIMEWA: (
        _largest("istimewa", _SB, "sb"),
        _share("istimewa", "sb", (_SB,), "<=", 70),
    ),
    PredikatOrganisasi.BAIK: (
        _largest("baik", _B, "baik"),
        _share("baik", "baik", (_B,), "<=", 70),
        _Clause("baik.bp_or_k_min_1", _AT_LEAST_ONE, "count", (_BP, _K), ">=", Fraction(1)),
    ),
    PredikatOrganisasi.BUTUH_PERBAIKAN: (
        _share("butuh_perbaikan", "bp", (_BP,), ">=", 60),
        _share("butuh_perbaikan", "sb", (_SB,), "<=", 10),
    ),
    PredikatOrganisasi.KURANG: (
        _share("kurang", "k", (_K,), ">=", 60),
        _share("kurang", "bp", (_BP,), ">=", 10),
        _share("kurang", "sb", (_SB,), "<=", 10),
    ),
    PredikatOrganisasi.SANGAT_KURANG: (
        _share("sangat_kurang", "sk", (_SK,), ">=", 60),
        _share("sangat_kurang", "k_bp", (_K, _BP), ">=", 10),
        _Clause("sangat_kurang.no_sb", f"tidak ada pegawai {_SB.label}", "count", (_SB,), "<=", Fraction(0)),
    ),
}


def share_limits(
    predikat_organisasi: PredikatOrganisasi | str,
) -> tuple[tuple[tuple[Predikat, ...], Relation, Fraction, str], ...]:
    """The share limits of the guidance for an organisation predikat: ``(predikat counted, relation, share,
    text)`` for each percentage clause (the largest-group and head-count clauses are not shares).

    >>> [(tuple(p.value for p in who), rel, str(share)) for who, rel, share, _ in share_limits("istimewa")]
    [(('sangat_baik',), '<=', '7/10')]
    """
    org = PredikatOrganisasi.parse(predikat_organisasi)
    return tuple((c.predikat, c.relation, c.limit, c.text) for c in _RULES[org] if c.kind == "share")


def _holds(actual: Fraction | int, relation: Relation, required: Fraction | int) -> bool:
    if relation == "<=":
        return actual <= required
    if relation == ">=":
        return actual >= required
    return actual > required


def _evaluate(
    clause: _Clause, counts: Mapping[Predikat, int], n: int, options: DistributionOptions
) -> Violation | None:
    count = sum(counts[p] for p in clause.predikat)
    required, actual, texts = _measure(clause, counts, n, options, count)
    if _holds(actual, clause.relation, required):
        return None
    required_text, actual_text = texts()
    return Violation(clause.rule, clause.text, clause.relation, required, actual, required_text, actual_text)


def _measure(
    clause: _Clause, counts: Mapping[Predikat, int], n: int, options: DistributionOptions, count: int
) -> tuple[Fraction | int, Fraction | int, Callable[[], tuple[str, str]]]:
    """A clause's required and actual values (``count`` of the ``n`` employees are in its predikat), and how a
    reader sees them (the texts made only for a clause not met)."""
    symbol = _SYMBOL[clause.relation]
    of_n = f"{count} of {n}"

    def share_text() -> str:
        return f"{count}/{n} = {_percent(Fraction(count, n))} %"

    if clause.kind == "largest" and options.largest_group == "majority":
        return Fraction(1, 2), Fraction(count, n), lambda: ("> 50 % (majority)", share_text())
    if clause.kind == "largest":
        rival = max((p for p in Predikat if p not in clause.predikat), key=counts.__getitem__)
        rival_count = counts[rival]
        return rival_count, count, lambda: (f"> {rival_count} ({rival.label})", of_n)
    limit = clause.limit
    if clause.kind == "share" and options.rounding == "exact":
        return limit, Fraction(count, n), lambda: (f"{symbol} {_plain(limit * 100)} %", share_text())
    if clause.kind == "share":
        heads = int(round_to(limit * n, 0, _HEAD_COUNT_ROUNDING[options.rounding]))

        def rounded() -> str:
            return f"{symbol} {heads} of {n} ({_plain(limit * 100)} % of {n} = {_plain(limit * n)}, {options.rounding})"

        return heads, count, lambda: (rounded(), of_n)
    return int(limit), count, lambda: (f"{symbol} {int(limit)}", of_n)


def _parse(cls: type[_E], value: object, field: str, problems: list[Problem]) -> _E | None:
    """``cls.parse(value)``, refusing a member of another scale (employee and organisation predikat)."""
    if isinstance(value, LabelledEnum) and not isinstance(value, cls):
        problems.append(Problem(f"must be a {cls.__name__}, got {value!r}", field=field))
        return None
    try:
        return cls.parse(value if isinstance(value, cls) else str(value))
    except ValueError as exc:
        problems.append(Problem(str(exc), field=field))
        return None


def _parse_counts(counts: object, problems: list[Problem]) -> dict[Predikat, int]:
    if not isinstance(counts, Mapping):
        problems.append(
            Problem(f"must be a mapping of predikat to counts, got {type(counts).__name__}", field="counts")
        )
        return {}
    parsed: dict[Predikat, int] = {}
    for key, value in counts.items():
        name = key.value if isinstance(key, LabelledEnum) else str(key)
        field = f"counts.{name}"
        predikat = _parse(Predikat, key, field, problems)
        if predikat is None:
            continue
        if predikat in parsed:
            problems.append(Problem(f"{predikat.value!r} is given twice", field=field))
        elif isinstance(value, bool) or not isinstance(value, numbers.Integral):
            problems.append(Problem(f"must be a whole number of staff, got {value!r}", field=field))
        elif value < 0:
            problems.append(Problem(f"must not be negative, got {value!r}", field=field))
        else:
            parsed[predikat] = int(value)
    return parsed


def check_distribution(
    predikat_organisasi: PredikatOrganisasi | str,
    counts: Mapping[Predikat, int] | Mapping[str, int] | Mapping[Predikat | str, int],
    *,
    options: DistributionOptions | None = None,
) -> DistributionReport:
    """Check a unit's distribution of employee predikat against SE MenPANRB 3/2023.

    ``predikat_organisasi`` is a :class:`~asn_kinerja.model.PredikatOrganisasi` or its identifier or label
    (``"istimewa"``, ``"Butuh Perbaikan"`` …). ``counts`` maps each employee
    :class:`~asn_kinerja.model.Predikat` (or its identifier or label) to the number of staff with it;
    missing predikat count 0. An unknown predikat, a key given twice, or a count that is negative or not a
    whole number raises :class:`~asn_kinerja.DataError` naming the key (all problems at once).

    Every clause of the unit's row is checked; the report lists those not met, in the table's order. A unit
    with no staff evaluated (n = 0) gets an ``ok`` report with no violations and a ``note`` saying the
    guidance does not apply: an empty unit cannot depart from a distribution, and the note keeps it visible.

    >>> r = check_distribution("Sangat Kurang", {"sangat_kurang": 9, "sangat_baik": 1})
    >>> [v.rule for v in r.violations]
    ['sangat_kurang.k_bp_min_10', 'sangat_kurang.no_sb']
    >>> check_distribution("kurang", {}).note
    'no staff evaluated in the unit: the distribution guidance does not apply'
    >>> check_distribution("baik", {"baik": -1, "cukup": 2})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    asn_kinerja.errors.DataError: 2 problems in the data:
      counts.baik: must not be negative, got -1
      counts.cukup: 'cukup' is not one of 'sangat_baik', 'baik', ...
    """
    options = DistributionOptions() if options is None else options
    problems: list[Problem] = []
    org = _parse(PredikatOrganisasi, predikat_organisasi, "predikat_organisasi", problems)
    parsed = _parse_counts(counts, problems)
    if problems or org is None:
        raise DataError(problems)
    return distribution_report(org, parsed, options)


def distribution_report(
    predikat_organisasi: PredikatOrganisasi, counts: Mapping[Predikat, int], options: DistributionOptions
) -> DistributionReport:
    """:func:`check_distribution` of counts already checked (every key a :class:`~asn_kinerja.model.Predikat`, every
    count a whole number, none negative): what the engine calls once per distinct unit distribution.

    >>> distribution_report(PredikatOrganisasi.BAIK, {Predikat.BAIK: 2}, DistributionOptions()).ok
    False
    """
    full = {p: counts.get(p, 0) for p in Predikat}
    n = sum(full.values())
    if n == 0:
        return DistributionReport(predikat_organisasi, full, options=options, note=_NO_STAFF_NOTE)
    found = (_evaluate(clause, full, n, options) for clause in _RULES[predikat_organisasi])
    violations = tuple(v for v in found if v is not None)
    return DistributionReport(predikat_organisasi, full, violations=violations, options=options)
