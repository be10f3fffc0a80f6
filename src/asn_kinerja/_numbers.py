"""Exact decimal arithmetic shared by every rule.

Regulation arithmetic is decimal arithmetic done by hand: values are converted to :class:`~decimal.Decimal`
exactly (a float through its shortest decimal text, so ``9.12`` means 9.12), and rounded only where a rule
rounds, half-up unless a policy says otherwise.

>>> to_decimal(9.12)
Decimal('9.12')
>>> round_to(Decimal("2.085"), 2)
Decimal('2.09')
>>> round(2.085, 2)  # binary floating point and half-even rounding disagree with the regulation
2.08
>>> round_to(Decimal("-2.085"), 2)
Decimal('-2.09')
>>> round_to(Decimal("85.129"), 2, Rounding.TRUNCATE)
Decimal('85.12')
"""

from __future__ import annotations

import decimal
import enum
import math
import re
from decimal import Decimal
from fractions import Fraction

from asn_kinerja.errors import DataError, Problem, excerpt

__all__ = ["CONTEXT", "NUMBER", "Number", "Rounding", "parse_decimal", "round_to", "to_decimal", "to_fraction"]

Number = int | float | str | Decimal
"""What a rule function accepts as a number."""

#: Precision generous enough that no division in a rule loses a digit that a 2-decimal result depends on.
CONTEXT = decimal.Context(prec=50, rounding=decimal.ROUND_HALF_EVEN, traps=[decimal.InvalidOperation])


#: The one grammar of a number written as text, wherever the library reads one (CSV cells, policy values, case
#: files, command-line arguments): an optional sign, ASCII digits with at most one decimal point, an optional
#: exponent. Not Python's literal syntax: no ``1_200``, ``inf``, ``nan``, ``0x1F``, ``١٢`` (other scripts' digits).
NUMBER = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def parse_decimal(text: str) -> Decimal | None:
    """The Decimal written in ``text`` (surrounding spaces ignored) by the grammar :data:`NUMBER`, or ``None``.

    >>> parse_decimal(" -12.50 "), parse_decimal("1.5e3")
    (Decimal('-12.50'), Decimal('1.5E+3'))
    >>> [parse_decimal(t) for t in ("1_200", "inf", "nan", "0x1F", "1,5", "")]
    [None, None, None, None, None, None]
    """
    stripped = text.strip()
    if not NUMBER.fullmatch(stripped):
        return None
    try:
        return Decimal(stripped)
    except decimal.InvalidOperation:  # an exponent beyond what Decimal holds
        return None


class Rounding(enum.Enum):
    """How a published figure is rounded. The regulations round half-up; the others reproduce variants."""

    HALF_UP = "half_up"
    TRUNCATE = "truncate"
    CEILING = "ceiling"

    @property
    def decimal_mode(self) -> str:
        return {
            Rounding.HALF_UP: decimal.ROUND_HALF_UP,
            Rounding.TRUNCATE: decimal.ROUND_DOWN,
            Rounding.CEILING: decimal.ROUND_CEILING,
        }[self]


def to_decimal(value: object, *, field: str = "value", record: str | None = None) -> Decimal:
    """Convert ``value`` (int, float, str or Decimal) to an exact finite Decimal.

    A float goes through ``repr`` (its shortest round-tripping text). Booleans, NaN, infinities and text that is
    not a number raise :class:`~asn_kinerja.DataError` naming ``field``.

    >>> to_decimal("1.50")
    Decimal('1.50')
    >>> to_decimal(0.1) == Decimal("0.1")
    True
    >>> to_decimal(float("nan"))
    Traceback (most recent call last):
    ...
    asn_kinerja.errors.DataError: 1 problem in the data:
      value: must be a finite number, got nan
    """
    result: Decimal
    if isinstance(value, bool):
        raise DataError([Problem(f"must be a number, got {value!r}", record=record, field=field)])
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value)) if math.isfinite(value) else Decimal("NaN")
    elif isinstance(value, str):
        parsed = parse_decimal(value)
        if parsed is None:
            raise DataError([Problem(f"must be a number, got {excerpt(value)}", record=record, field=field)])
        result = parsed
    elif hasattr(value, "__float__") and type(value).__module__ == "numpy":
        return to_decimal(float(value), field=field, record=record)
    else:
        raise DataError([Problem(f"must be a number, got {type(value).__name__}", record=record, field=field)])
    if not result.is_finite():
        raise DataError([Problem(f"must be a finite number, got {value!r}", record=record, field=field)])
    return result


def to_fraction(value: Decimal) -> Fraction:
    """The exact rational value of a Decimal."""
    return Fraction(value)


def round_to(value: Decimal | Fraction, places: int = 2, rounding: Rounding = Rounding.HALF_UP) -> Decimal:
    """Round ``value`` to ``places`` decimals with ``rounding`` (half-up by default), exactly.

    >>> round_to(Fraction(955 * 25, 29 * 9), 2)
    Decimal('91.48')
    """
    if isinstance(value, Fraction):
        scaled = abs(value) * 10**places
        sign = -1 if value < 0 else 1
        if rounding is Rounding.HALF_UP:
            n = sign * math.floor(scaled + Fraction(1, 2))
        elif rounding is Rounding.TRUNCATE:
            n = sign * math.floor(scaled)
        else:
            n = math.ceil(value * 10**places)
        return Decimal(n).scaleb(-places, context=CONTEXT)
    exponent = Decimal(1).scaleb(-places)
    return value.quantize(exponent, rounding=rounding.decimal_mode, context=CONTEXT)
