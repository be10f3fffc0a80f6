"""The exception family of asn_kinerja.

Every error the library raises on bad input is an :class:`AsnKinerjaError`. A :class:`PolicyError` is about a
policy (a YAML file or a built-in id), a :class:`DataError` about a dataset or a value passed to a rule. Both carry
*all* the problems found in one input as :class:`Problem` records, so a user can fix them in one pass.

>>> err = DataError([Problem("target must be greater than zero", source="indicators.csv", line=4,
...                          record="IKI-7", field="target")])
>>> print(err)
1 problem in the data:
  indicators.csv:4: record IKI-7: target: target must be greater than zero
>>> err.problems[0].field
'target'

A message quotes at most :data:`EXCERPT` characters of any value (:func:`excerpt`), a problem's text is cut at
:data:`MAX_MESSAGE` characters, and an error lists its first :data:`MAX_SHOWN` problems followed by the count of
the rest (all of them stay in ``problems``):

>>> excerpt("x" * 100)
"'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (100 characters)"
>>> err = DataError([Problem(f"bad {i:03}") for i in range(150)])
>>> len(err.problems), str(err).splitlines()[-1]
(150, '  … and 50 more problems')
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

__all__ = [
    "EXCERPT",
    "MAX_MESSAGE",
    "MAX_SHOWN",
    "AsnKinerjaError",
    "DataError",
    "PolicyError",
    "Problem",
    "excerpt",
    "shorten",
]

#: The most characters of a value that a message quotes.
EXCERPT = 60
#: The most characters of a problem's message (and of its source, record and field: :data:`EXCERPT` × 4).
MAX_MESSAGE = 1000
#: The most problems an error lists in its text; the rest are counted.
MAX_SHOWN = 100


def excerpt(value: object, limit: int = EXCERPT) -> str:
    """``repr`` of a value for a message, cut to ``limit`` characters of the value, with its length when cut.

    >>> excerpt("1,5"), excerpt(12)
    ("'1,5'", '12')
    """
    if isinstance(value, str):
        if len(value) <= limit:
            return repr(value)
        return f"{value[:limit]!r}"[:-1] + f"…' ({len(value)} characters)"
    return shorten(repr(value), limit)


def shorten(text: str, limit: int = EXCERPT) -> str:
    """``text`` as it is, or its first ``limit`` characters and its length, unquoted.

    >>> shorten("9" * 70)
    '999999999999999999999999999999999999999999999999999999999999… (70 characters)'
    """
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


def _clip(text: str | None, limit: int) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit} more characters)"


def _clip_message(text: str) -> str:
    clipped = _clip(text, MAX_MESSAGE)
    assert clipped is not None
    return clipped


def _clip_name(text: str | None) -> str | None:
    return _clip(text, 4 * EXCERPT)


@attrs.frozen
class Problem:
    """One problem in an input: where it is and what is wrong.

    ``source`` is a file name (or ``"<string>"``, a built-in policy id ...), ``line`` a 1-based line (for CSV files
    the physical line of the row, the header being line 1), ``record`` the record's id (an employee id, an
    indicator id), ``field`` the key path or column name.
    """

    message: str = attrs.field(converter=_clip_message)
    source: str | None = attrs.field(default=None, converter=_clip_name)
    line: int | None = None
    record: str | None = attrs.field(default=None, converter=_clip_name)
    field: str | None = attrs.field(default=None, converter=_clip_name)

    def __str__(self) -> str:
        where = ""
        if self.source is not None:
            where = self.source if self.line is None else f"{self.source}:{self.line}"
        elif self.line is not None:
            where = f"line {self.line}"
        parts = [p for p in (where, f"record {self.record}" if self.record is not None else "", self.field) if p]
        return ": ".join([*parts, self.message])

    def sort_key(self) -> tuple[str, int, str, str, str]:
        """A key that orders problems by file, line, record, field and message."""
        return (self.source or "", self.line or 0, self.record or "", self.field or "", self.message)


class AsnKinerjaError(Exception):
    """Base of every error raised by asn_kinerja on bad input.

    It carries the :class:`Problem` records; ``str()`` lists them all, one a line, in a stable order.
    """

    kind = "input"

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        found = tuple(sorted(set(problems), key=Problem.sort_key))
        if not found:
            raise ValueError("an error needs at least one problem")
        self.problems: tuple[Problem, ...] = found
        super().__init__(self._render())

    def __reduce__(self) -> tuple[type[AsnKinerjaError], tuple[tuple[Problem, ...]]]:
        """Pickled with its problems (a worker process of a cluster raises it to the client unchanged)."""
        return (type(self), (self.problems,))

    def _render(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the {self.kind}:"
        lines = [head, *(f"  {p}" for p in self.problems[:MAX_SHOWN])]
        if n > MAX_SHOWN:
            rest = n - MAX_SHOWN
            lines.append(f"  … and {rest} more problem{'s' if rest != 1 else ''}")
        return "\n".join(lines)


class PolicyError(AsnKinerjaError):
    """A policy is invalid: unknown or duplicate keys, wrong types, weights that do not sum to 1, ..."""

    kind = "policy"


class DataError(AsnKinerjaError):
    """Data is invalid: a dataset file, a record, or a value passed to a rule function."""

    kind = "data"
