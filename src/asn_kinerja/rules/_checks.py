"""Input checks shared by the rule functions: every problem of one call collected, then raised together.

>>> check = Checks()
>>> check.number("0", "target", positive=True)
Fraction(0, 1)
>>> check.done()
Traceback (most recent call last):
...
asn_kinerja.errors.DataError: 1 problem in the data:
  target: must be greater than zero, got 0
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from asn_kinerja._numbers import Number, Rounding, to_decimal
from asn_kinerja.errors import DataError, PolicyError, Problem

__all__ = ["Checks", "rounding_option", "weight_pair"]


class Checks:
    """Collects every problem of one call's input, so the user can fix them in one pass."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, field: str, message: str) -> None:
        self.problems.append(Problem(message, field=field))

    def number(
        self,
        value: object,
        field: str,
        *,
        positive: bool = False,
        at_least: int | None = None,
        at_most: int | None = None,
    ) -> Fraction:
        try:
            d = to_decimal(value, field=field)
        except DataError as err:
            self.problems.extend(err.problems)
            return Fraction(1)
        x = Fraction(d)
        if positive and x <= 0:
            self.fail(field, f"must be greater than zero, got {d}")
        if at_least is not None and x < at_least:
            self.fail(field, f"must be at least {at_least}, got {d}")
        if at_most is not None and x > at_most:
            self.fail(field, f"must be at most {at_most}, got {d}")
        return x

    def pair(self, value: object, field: str) -> tuple[Fraction, Fraction]:
        if isinstance(value, str | bytes) or not isinstance(value, Sequence) or len(value) != 2:
            self.fail(field, f"must be a (target, realisasi) pair, got {value!r}")
            return Fraction(1), Fraction(1)
        return (
            self.number(value[0], f"{field}.target", positive=True),
            self.number(value[1], f"{field}.realisasi", at_least=0),
        )

    def flag(self, value: object, field: str) -> bool:
        if not isinstance(value, bool):
            self.fail(field, f"must be True or False, got {value!r}")
            return False
        return value

    def done(self) -> None:
        if self.problems:
            raise DataError(self.problems)


def rounding_option(value: Rounding | str) -> Rounding:
    """The rounding mode named by ``value``; a name that is not one raises :class:`~asn_kinerja.PolicyError`."""
    if isinstance(value, Rounding):
        return value
    try:
        return Rounding(value)
    except ValueError:
        choices = ", ".join(repr(r.value) for r in Rounding)
        raise PolicyError([Problem(f"must be one of {choices}, got {value!r}", field="rounding")]) from None


def weight_pair(value: tuple[Number, Number] | None, default: tuple[Number, Number]) -> tuple[Fraction, Fraction]:
    """The ``(skp, perilaku)`` weights: ``default`` when ``value`` is ``None``; otherwise two numbers ≥ 0 summing
    to exactly 1, else :class:`~asn_kinerja.PolicyError` naming ``weights``.

    >>> from decimal import Decimal
    >>> weight_pair(None, (Decimal("0.6"), Decimal("0.4")))
    (Fraction(3, 5), Fraction(2, 5))
    >>> weight_pair(("0.8", "0.2"), (Decimal("0.6"), Decimal("0.4")))
    (Fraction(4, 5), Fraction(1, 5))
    """
    if value is None:
        return Fraction(to_decimal(default[0])), Fraction(to_decimal(default[1]))
    if isinstance(value, str | bytes) or not isinstance(value, Sequence) or len(value) != 2:
        raise PolicyError([Problem(f"must be a (skp, perilaku) pair, got {value!r}", field="weights")])
    try:
        pair = (Fraction(to_decimal(value[0], field="weights")), Fraction(to_decimal(value[1], field="weights")))
    except DataError as err:
        raise PolicyError(err.problems) from None
    if min(pair) < 0 or sum(pair) != 1:
        raise PolicyError([Problem(f"must be two weights ≥ 0 summing to 1, got {value!r}", field="weights")])
    return pair
