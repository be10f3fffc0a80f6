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
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

__all__ = ["AsnKinerjaError", "DataError", "PolicyError", "Problem"]


@attrs.frozen
class Problem:
    """One problem in an input: where it is and what is wrong.

    ``source`` is a file name (or ``"<string>"``, a built-in policy id ...), ``line`` a 1-based line (for CSV files
    the physical line of the row, the header being line 1), ``record`` the record's id (an employee id, an
    indicator id), ``field`` the key path or column name.
    """

    message: str
    source: str | None = None
    line: int | None = None
    record: str | None = None
    field: str | None = None

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
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


class PolicyError(AsnKinerjaError):
    """A policy is invalid: unknown or duplicate keys, wrong types, weights that do not sum to 1, ..."""

    kind = "policy"


class DataError(AsnKinerjaError):
    """Data is invalid: a dataset file, a record, or a value passed to a rule function."""

    kind = "data"
