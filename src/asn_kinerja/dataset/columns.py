"""Column tricks for validation without a Python loop per row (numpy only, no pandas).

- :class:`Categorical`: a column as integer codes into its distinct values (``-1`` = empty cell), the form in which
  pandas categoricals and Arrow dictionary arrays arrive, and into which any other column is put by
  :func:`factorize`;
- :func:`factorize`: distinct values of an object column by hashing every cell once (a C-level pass), sorting the
  64-bit hashes and checking each cell against its representative, so a hash collision can never merge two values;
- :func:`text_categories`: the stripped text of each distinct value, empty text meaning an empty cell;
- :class:`IdIndex`: a read-only map from id text to row, looked up a whole column at a time (sorted hashes and
  ``np.searchsorted``, again checked against the ids themselves);
- :func:`parse_decimals`: decimal text to float64 holding each decimal exactly, the plain forms (``-12.50``) parsed
  in bulk by numpy's string routines and anything else (exponents, ``nan``, commas, words) one distinct value at a
  time with the message the validator reports.

Every loop left runs over the *distinct* values of a column, or over the bad cells to report.

>>> cat = factorize(np.array(["b", None, " a", "b", float("nan")], dtype=object))
>>> cat.codes.tolist(), cat.categories.tolist()
([0, -1, 1, 0, -1], ['b', ' a'])
>>> text_categories(cat).dense().tolist()
['b', None, 'a', 'b', None]
>>> index = IdIndex.from_ids(np.array(["E1", "E2"], dtype=object))
>>> index.lookup(np.array(["E2", "X", "E1"], dtype=object)).tolist()
[1, -1, 0]
>>> values, messages = parse_decimals(np.array(["1.50", "-3", "1e400", "1,5"], dtype=object))
>>> values[:2].tolist()
[1.5, -3.0]
>>> for message in messages[2:]:
...     print(message)
'1e400' is out of the range of numbers kept exactly (magnitude 1e-15 up to 1e15)
must be a number, got '1,5' (use a point as the decimal separator)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
from numpy.dtypes import StringDType

from asn_kinerja._numbers import parse_decimal
from asn_kinerja.dataset import buffers
from asn_kinerja.errors import excerpt

__all__ = [
    "MAX_DIGITS",
    "MAX_MAGNITUDE",
    "Categorical",
    "IdIndex",
    "decimal_places",
    "distinct_hashes",
    "factorize",
    "hashes",
    "parse_decimals",
    "parse_number",
    "text_categories",
]

MAX_DIGITS = 15
MAX_MAGNITUDE = 1e15
_MAX = Decimal(10) ** 15
_OUT_OF_RANGE = "is out of the range of numbers kept exactly (magnitude 1e-15 up to 1e15)"
Objects = npt.NDArray[np.object_]
Array = npt.NDArray[Any]
_NONE = np.array(None, dtype=object)
#: Each row's position in a table of distinct values (``-1``: none, the last entry): signed integers, as narrow as
#: the table allows (:func:`code_type`).
Codes = npt.NDArray[np.signedinteger[Any]]
_STR = StringDType()


def code_type(size: int) -> type[np.signedinteger[Any]]:
    """The narrowest signed integer type holding the codes of ``size`` distinct values and ``-1``: a column of few
    distinct values (a rater group, a criterion, a score) takes a byte a row instead of four, a quarter of the fresh
    memory to write its codes into.

    >>> code_type(5).__name__, code_type(128).__name__, code_type(40_000).__name__
    ('int8', 'int16', 'int32')
    """
    for kind in (np.int8, np.int16, np.int32):
        if size <= np.iinfo(kind).max:
            return kind
    return np.int64


@attrs.frozen(eq=False)
class Categorical:
    """A column as ``codes`` (``-1`` for an empty cell) into ``categories``, its distinct values (``distinct``:
    known to be distinct, as :func:`factorize` makes them; a categorical from elsewhere is checked). ``plain``,
    where known (the CSV reader decides it from Arrow's buffers), marks per category a ``str`` that is not empty and
    has nothing to strip, so :func:`text_categories` strips only the others.

    ``arrow``: the categories as an Arrow string array, where they come from one (Parquet, Arrow tables, CSV); the
    ``categories`` are then made Python strings only when first asked for, and a column of ids referenced by a
    table is looked up in Arrow (:meth:`IdIndex.lookup_categories`) without a Python string per distinct id.
    ``identity``: the codes are known to be ``0, 1, …, n - 1`` (each row its own category, in order, as a table's
    own ids are), so the categories are the column itself (:meth:`dense` makes no copy).

    >>> import pyarrow as pa
    >>> cat = Categorical(np.array([1, -1, 0]), arrow=pa.array(["x", "y"]))
    >>> cat.size, cat.value(0), cat.made, cat.dense().tolist()
    (2, 'y', False, ['y', None, 'x'])
    """

    codes: npt.NDArray[np.integer[Any]]
    _categories: npt.NDArray[np.generic] | None = None
    distinct: bool = False
    plain: npt.NDArray[np.bool_] | None = None
    arrow: Any = attrs.field(default=None, kw_only=True)
    identity: bool = attrs.field(default=False, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self._categories is None and self.arrow is None:
            raise TypeError("a Categorical needs its categories (or an Arrow array of them)")

    @property
    def categories(self) -> npt.NDArray[np.generic]:
        """The distinct values (for Arrow text: Python strings, made once, on the first call)."""
        if self._categories is None:
            values = _objects(self.arrow)
            object.__setattr__(self, "_categories", values)
            return values
        return self._categories

    @property
    def size(self) -> int:
        """The number of categories (without making them Python objects)."""
        return len(self._categories) if self._categories is not None else len(self.arrow)

    @property
    def made(self) -> bool:
        """Whether the categories exist as Python objects (else only in :attr:`arrow`)."""
        return self._categories is not None

    def __len__(self) -> int:
        return len(self.codes)

    def mark_identity(self) -> None:
        """Record that the codes are ``0, 1, …, n - 1`` (the caller has checked it): :attr:`identity`."""
        object.__setattr__(self, "identity", True)

    def value(self, row: int | np.integer[Any]) -> object:
        """The value of one row (``None`` for an empty cell), without making every category a Python object."""
        code = int(self.codes[row])
        return None if code < 0 else self.category(code)

    def category(self, code: int) -> object:
        """One category (without making the others Python objects)."""
        return self._categories[code] if self._categories is not None else self.arrow[code].as_py()

    def dense(self) -> Objects:
        """The cells as an object array (``None`` for an empty cell); the category objects are shared (with
        ``identity``, the categories are returned themselves)."""
        if self.identity and self.categories.dtype == object:
            same: Objects = self.categories.astype(object, copy=False)
            return same
        ext = np.empty(self.size + 1, dtype=object)
        ext[:-1] = self.categories
        out: Objects = ext[self.codes]
        return out

    def take(self, rows: npt.NDArray[np.intp]) -> Categorical:
        return Categorical(self.codes[rows], self._categories, self.distinct, self.plain, arrow=self.arrow)


_TEXT: object = str


def _objects(strings: Any) -> Objects:
    """An Arrow array as an object array of its Python values."""
    values = np.empty(len(strings), dtype=object)
    values[:] = strings.to_pylist()
    return values


def _texts(values: Array) -> npt.NDArray[np.bool_]:
    """Which cells are ``str`` (exactly), in one C-level pass."""
    out: npt.NDArray[np.bool_] = np.fromiter(map(type, values), dtype=object, count=len(values)) == _TEXT
    return out


def hashes(values: Array) -> npt.NDArray[np.int64]:
    """Python's ``hash`` of every cell, in one C-level pass."""
    return np.fromiter(map(hash, values), dtype=np.int64, count=len(values))


def distinct_hashes(h: npt.NDArray[np.int64]) -> bool:
    """Whether the hashes are distinct (then so are the values hashed; equal hashes decide nothing).

    >>> distinct_hashes(hashes(np.array(["a", "b"], dtype=object))), distinct_hashes(np.array([1, 2, 1]))
    (True, False)
    """
    ordered = np.sort(h)
    return not bool(np.any(ordered[1:] == ordered[:-1]))


def _empty_objects(values: Array) -> npt.NDArray[np.bool_]:
    """``None`` and NaN cells (the pandas convention for a missing value)."""
    with np.errstate(invalid="ignore"):
        none: npt.NDArray[np.bool_] = np.asarray(np.equal(values, _NONE), dtype=np.bool_)
        decimal = np.fromiter(map(type, values), dtype=object, count=len(values)) == Decimal
        try:
            nan: npt.NDArray[np.bool_] = np.asarray(np.not_equal(values, values), dtype=np.bool_)
        except InvalidOperation:  # a signalling Decimal NaN refuses comparison
            nan = np.fromiter((not isinstance(x, Decimal) and x != x for x in values), bool, len(values))
    empty: npt.NDArray[np.bool_] = none | (nan & ~decimal)  # a Decimal NaN is a bad number, as the text "NaN"
    return empty


def factorize(values: npt.NDArray[np.generic] | Categorical) -> Categorical:
    """Codes and distinct values of a column, categories in order of first appearance (``None``/NaN: ``-1``)."""
    if isinstance(values, Categorical):
        return values
    n = len(values)
    if values.dtype.kind in "biuf":
        valid = ~np.isnan(values) if values.dtype.kind == "f" else np.ones(n, dtype=bool)
        cats, first, inverse = np.unique(values[valid], return_index=True, return_inverse=True)
        return _reorder(n, valid, cats, first, inverse)
    obj = values if values.dtype == object else values.astype(object)
    valid = ~_empty_objects(obj)
    every = bool(valid.all())
    rest = obj if every else obj[valid]
    try:
        h = hashes(rest)
    except TypeError:  # an unhashable cell: compare as text
        rest = np.array([str(x) for x in rest], dtype=object)
        h = hashes(rest)
    if len(h) > 1 and distinct_hashes(h):  # distinct hashes: distinct values (ids, say)
        codes = np.full(n, -1, dtype=np.int64)
        codes[valid] = np.arange(len(rest))
        return Categorical(codes, rest, True)
    _, first, inverse = np.unique(h, return_index=True, return_inverse=True)
    cats = rest[first]
    same = np.asarray(np.equal(rest, cats[inverse]), dtype=bool)
    kinds = np.fromiter(map(type, cats), dtype=object, count=len(cats))
    same &= np.fromiter(map(type, rest), dtype=object, count=len(rest)) == kinds[inverse]
    if not same.all():  # a hash collision (or values equal across types): exact, by a dict
        seen: dict[tuple[type, object], int] = {}
        inverse = np.fromiter((seen.setdefault((type(x), x), len(seen)) for x in rest), dtype=np.int64, count=len(rest))
        cats = np.empty(len(seen), dtype=object)
        cats[:] = [x for _, x in seen]
        first = np.zeros(len(seen), dtype=np.int64)
        first[inverse[::-1]] = np.arange(len(rest) - 1, -1, -1)
    return _reorder(n, valid, cats, first, inverse)


def _reorder(
    n: int,
    valid: npt.NDArray[np.bool_],
    cats: npt.NDArray[np.generic],
    first: npt.NDArray[np.intp],
    inverse: npt.NDArray[np.intp],
) -> Categorical:
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    codes = np.full(n, -1, dtype=np.int64)
    codes[valid] = rank[inverse.ravel()]
    return Categorical(codes, cats[order], True)


def text_categories(cat: Categorical) -> Categorical:
    """The same column as stripped text: ``str(cell).strip()`` of each distinct value, empty text = empty cell;
    values that become equal once stripped share one category."""
    if not cat.size:
        return Categorical(cat.codes, np.empty(0, dtype=object), True)
    if cat.distinct and cat.plain is not None:
        known = _known_plain(cat)
        if known is not None:
            return known
    cats = cat.categories
    if not cat.distinct and cats.dtype == object:  # a categorical from elsewhere: its categories made distinct
        again = factorize(cats)
        cat = Categorical(_remap(cat.codes, again.codes), again.categories, True)
        cats = cat.categories
    objects = cats.astype(object) if cats.dtype != object else cats
    as_text = objects.astype(_STR)
    text = np.strings.strip(as_text)
    blank = np.strings.str_len(text) == 0
    if cat.distinct and cats.dtype == object and not blank.any():
        same = np.strings.str_len(text) == np.strings.str_len(as_text)
        if bool(same.all()) and bool(_texts(cats).all()):
            return cat  # distinct text with nothing to strip: as it is
    stripped: Objects = text.astype(object)
    stripped[blank] = None
    again = factorize(stripped)
    return Categorical(_remap(cat.codes, again.codes), again.categories, True)


def _known_plain(cat: Categorical) -> Categorical | None:
    """:func:`text_categories` of distinct text whose ``plain`` mask is known: only the other categories are
    stripped; ``None`` (decide in full) where one of them keeps text once stripped (it could equal another)."""
    assert cat.plain is not None
    if bool(cat.plain.all()):
        return cat
    rest = np.flatnonzero(~cat.plain)
    others = arrow_take(cat.arrow, rest).to_pylist() if not cat.made else cat.categories[rest]
    if any(not isinstance(x, str) or x.strip() for x in others):
        return None
    keep = cat.plain  # every other category is blank: an empty cell
    mapping = np.where(keep, np.cumsum(keep) - 1, -1)
    plain = np.ones(int(keep.sum()), dtype=bool)
    if not cat.made:  # still only in Arrow: the kept ones taken there
        return Categorical(
            _remap(cat.codes, mapping), None, True, plain, arrow=arrow_take(cat.arrow, np.flatnonzero(keep))
        )
    return Categorical(_remap(cat.codes, mapping), cat.categories[keep], True, plain)


def arrow_take(array: Any, rows: npt.NDArray[np.integer[Any]]) -> Any:
    """``array.take(rows)``, the rows handed to Arrow as a buffer (Arrow converting a numpy array imports pandas).

    >>> import pyarrow as pa
    >>> arrow_take(pa.array(["a", "b", "c"]), np.array([2, 0])).to_pylist()
    ['c', 'a']
    """
    import pyarrow as pa

    at = np.ascontiguousarray(rows, dtype=np.int64)
    return array.take(pa.Array.from_buffers(pa.int64(), len(at), [None, pa.py_buffer(at)]))


def counting(x: npt.NDArray[np.integer[Any]]) -> bool:
    """Whether ``x`` is ``0, 1, 2, …``: its ends first, then in blocks of :data:`BLOCK` (no temporary of its
    length).

    >>> counting(np.array([0, 1, 2])), counting(np.array([0, 2, 2])), counting(np.array([], dtype=int))
    (True, False, True)
    """
    n = len(x)
    if not n:
        return True
    if int(x[0]) != 0 or int(x[-1]) != n - 1:
        return False
    step = np.arange(min(n, BLOCK), dtype=np.int64)
    for start in range(0, n, BLOCK):
        part = x[start : start + BLOCK]
        if not np.array_equal(part, step[: len(part)] + start):
            return False
    return True


def _remap(codes: npt.NDArray[np.integer[Any]], mapping: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.integer[Any]]:
    """``codes`` through ``mapping`` (-1 stays -1); the same array where the mapping changes nothing."""
    if counting(mapping):
        return codes
    out: npt.NDArray[np.integer[Any]] = np.append(mapping, -1)[codes]
    return out


class IdIndex:
    """Ids (distinct texts) and their rows, looked up a column at a time. The sorted hashes are made on the first
    lookup; a lookup of the very array of ids the index was made from is answered without hashing. Where the ids
    are also at hand in Arrow (``arrow``, in the order of ``keys``), a column of ids given in Arrow is looked up
    there (:meth:`lookup_categories`).

    >>> import pyarrow as pa
    >>> index = IdIndex.from_categories(Categorical(np.array([0, 1]), arrow=pa.array(["E1", "E2"])))
    >>> index.lookup_categories(Categorical(np.array([0]), arrow=pa.array(["E2", "X", "E1"]))).tolist()
    [1, -1, 0]
    """

    def __init__(self, keys: Array | None, rows: npt.NDArray[np.int64], arrow: Any = None) -> None:
        if keys is None and arrow is None:
            raise TypeError("an IdIndex needs its keys (or an Arrow array of them)")
        self._keys = keys
        self._column: Categorical | None = None
        self.rows = rows
        self.arrow = arrow
        self._sorted: tuple[npt.NDArray[np.int64], Array, npt.NDArray[np.int64]] | None = None
        self._fallback: dict[str, int] | None = None

    @property
    def keys(self) -> Array:
        """The ids as Python objects (where they are in Arrow only, made on the first call, shared with the column
        the index was made from)."""
        if self._keys is None:
            self._keys = self._column.categories if self._column is not None else _objects(self.arrow)
        return self._keys

    @classmethod
    def from_ids(cls, keys: Array, rows: npt.NDArray[np.integer[Any]] | None = None) -> IdIndex:
        """An index of distinct ``keys`` (``rows[i]`` is the row of ``keys[i]``, by default ``i``)."""
        at = np.arange(len(keys), dtype=np.int64) if rows is None else rows.astype(np.int64)
        return cls(keys, at)

    @classmethod
    def from_categories(cls, cat: Categorical, rows: npt.NDArray[np.integer[Any]] | None = None) -> IdIndex:
        """An index of the distinct ids of a column (``rows[i]``: the row of category ``i``), keeping their Arrow
        array where the column has one: the ids are then made Python strings only if a lookup needs them (a
        column given as Python objects, or an id asked for by :meth:`get`)."""
        if cat.made or cat.arrow is None:
            index = cls.from_ids(cat.categories, rows)
            index.arrow = cat.arrow
            return index
        at = np.arange(cat.size, dtype=np.int64) if rows is None else rows.astype(np.int64)
        index = cls(None, at, cat.arrow)
        index._column = cat
        return index

    def lookup_categories(self, cat: Categorical) -> npt.NDArray[np.int64]:
        """The row of each category of a column of ids (``-1`` where unknown): in Arrow where both the ids and
        the column's categories are there and not both already Python strings (no string made, none hashed),
        else as :meth:`lookup` finds them."""
        if cat.arrow is None or self.arrow is None or (cat.made and self._keys is not None):
            return self.lookup(cat.categories)
        if not len(self):
            return np.full(cat.size, -1, dtype=np.int64)
        if cat.arrow is self.arrow:
            return self.rows.copy()
        values = cat.arrow if cat.arrow.type == self.arrow.type else cat.arrow.cast(self.arrow.type)
        k = min(len(values), len(self.arrow))
        if values.slice(0, k).equals(self.arrow.slice(0, k)):  # the ids referenced in their order (RHK, say)
            if k == len(values):
                return self.rows[:k].copy()
            return np.concatenate([self.rows[:k], self._arrow_rows(values.slice(k))])
        return self._arrow_rows(values)

    def _arrow_rows(self, values: Any) -> npt.NDArray[np.int64]:
        """The row of each id of an Arrow array of the index's type (-1 where unknown), by Arrow's hash lookup of
        the smaller side in the larger (both hold distinct ids)."""
        import pyarrow.compute as pc

        if 4 * len(values) < len(self.arrow):  # few ids referenced (superiors, say): the ids looked up among them
            positions = pc.index_in(self.arrow, value_set=values)
            known, at = buffers.validity(positions), buffers.int32s(positions)
            out = np.full(len(values), -1, dtype=np.int64)
            out[at[known]] = self.rows[known]
            return out
        positions = pc.index_in(values, value_set=self.arrow)
        known, at = buffers.validity(positions), buffers.int32s(positions)  # fill_null would import pandas
        rows: npt.NDArray[np.int64] = np.where(known, self.rows[np.where(known, at, 0)], -1)
        return rows

    def __len__(self) -> int:
        return len(self.rows)

    def _table(self) -> tuple[npt.NDArray[np.int64], Array, npt.NDArray[np.int64]]:
        if self._sorted is None:
            h = hashes(self.keys)
            order = np.argsort(h, kind="stable")
            h = h[order]
            if len(h) > 1 and bool(np.any(h[1:] == h[:-1])):  # two ids with one hash: a dict, exact
                self._fallback = {str(k): int(r) for k, r in zip(self.keys, self.rows, strict=True)}
            self._sorted = (h, self.keys[order], self.rows[order])
        return self._sorted

    def lookup(self, values: Array) -> npt.NDArray[np.int64]:
        """The row of each value (text), ``-1`` where the id is unknown."""
        if values is self._keys:
            return self.rows.copy()
        if not len(values) or not len(self):
            return np.full(len(values), -1, dtype=np.int64)
        if self._leading(values):  # the ids of a table referenced in their order (RHK of indicators, say)
            return self.rows[: len(values)].copy()
        h_sorted, keys, rows = self._table()
        if self._fallback is not None:
            table = self._fallback
            return np.fromiter((table.get(v, -1) for v in values), dtype=np.int64, count=len(values))
        h = hashes(values)
        pos = np.minimum(np.searchsorted(h_sorted, h), len(keys) - 1)
        hit = (h_sorted[pos] == h) & np.asarray(np.equal(keys[pos], values), dtype=bool)
        return np.where(hit, rows[pos], -1)

    def _leading(self, values: Array) -> bool:
        """Whether ``values`` are the first ``len(values)`` keys, in order (checked at both ends first)."""
        n = len(values)
        if n > len(self.keys) or values.dtype != object or self.keys.dtype != object:
            return False
        head = self.keys[:n]
        ends = [0, n - 1]
        if not all(type(values[i]) is str and values[i] == head[i] for i in ends):
            return False
        return bool(np.all(np.equal(values, head)) and _texts(values).all())

    def get(self, key: str) -> int | None:
        found = int(self.lookup(np.array([key], dtype=object))[0])
        return None if found < 0 else found


def parse_number(cell: object) -> float | str:
    """A float holding the cell's decimal exactly, or a message saying what is wrong (one cell, exactly as the
    bulk path of :func:`parse_decimals` decides). Text follows the one number grammar
    (:data:`asn_kinerja._numbers.NUMBER`); a number given as an object (a float, an int, a Decimal, a numpy
    scalar) is held to the same limits as its shortest decimal text.

    >>> parse_number("1_200"), parse_number(Decimal("sNaN")), parse_number(1e-300), parse_number(1e16)
    ("must be a number, got '1_200'", 'must be a number, got NaN', "'1e-300' is out of the range of numbers kept \
exactly (magnitude 1e-15 up to 1e15)", "'1e+16' is out of the range of numbers kept exactly (magnitude 1e-15 up to \
1e15)")
    """
    if isinstance(cell, bool | np.bool_):
        return f"must be a number, got {cell!r}"
    dec: Decimal | None
    if isinstance(cell, Decimal):
        dec, text = cell, str(cell)
    elif isinstance(cell, float | np.floating):
        value = float(cell)
        if not math.isfinite(value):
            return f"must be a finite number, got {value!r}"
        text = repr(value)
        dec = Decimal(text)
    elif isinstance(cell, int | np.integer):
        dec = Decimal(int(cell))
        text = str(dec)
    else:
        text = str(cell).strip()
        dec = parse_decimal(text)
        word = text.lower().lstrip("+-")
        if dec is None and word in ("nan", "snan"):
            return "must be a number, got NaN"
        if dec is None and word in ("inf", "infinity"):
            return f"must be a finite number, got {excerpt(text)}"
        if dec is None:
            hint = " (use a point as the decimal separator)" if "," in text else ""
            return f"must be a number, got {excerpt(text)}{hint}"
    if dec.is_nan():
        return "must be a number, got NaN"
    if not dec.is_finite():
        return f"must be a finite number, got {excerpt(text)}"
    shape = dec.as_tuple()
    assert isinstance(shape.exponent, int)
    trailing = len(shape.digits) - len("".join(map(str, shape.digits)).rstrip("0"))
    digits = max(len(shape.digits) - trailing, 1)
    if digits > MAX_DIGITS:
        return f"has {digits} significant digits, more than the {MAX_DIGITS} kept exactly"
    if dec != 0 and (dec.adjusted() > MAX_DIGITS or abs(dec) > _MAX or shape.exponent + trailing < -MAX_DIGITS):
        return f"{excerpt(text)} {_OUT_OF_RANGE}"
    return float(dec)


def held_exactly(values: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    """Which floats hold a decimal that :func:`parse_number` accepts (at most 15 significant digits and 15
    decimal places, magnitude up to 1e15; zero too): the check of a numeric column, without a loop per row, in
    blocks of :data:`BLOCK` values (the temporaries stay small and are reused, instead of fresh pages of memory
    for each step over a column of millions).

    >>> held_exactly(np.array([0.1, 0.1 + 0.2, 1e15, 1e16, 1e-300, 0.0, np.inf])).tolist()
    [True, False, True, False, False, True, False]
    """
    if len(values) <= BLOCK:
        return _held_exactly(values)
    ok = np.empty(len(values), dtype=bool)
    for start in range(0, len(values), BLOCK):
        ok[start : start + BLOCK] = _held_exactly(values[start : start + BLOCK])
    return ok


#: Values per block of a bulk check over a long column.
BLOCK = 1 << 16


def decimal_places(values: npt.NDArray[np.float64]) -> int:
    """The most decimal places any value needs (its first ``p`` in 0–15 with ``rint(x * 10**p) / 10**p == x``
    and the scaled value below 1e15), or -1 where a value needs more (NaN too); in blocks of :data:`BLOCK` values,
    so that a column of millions makes no temporary of its length.

    >>> decimal_places(np.array([1.0, 2.5, 4.25])), decimal_places(np.array([3.0]))
    (2, 0)
    >>> decimal_places(np.array([0.1 + 0.2])), decimal_places(np.array([np.nan]))
    (-1, -1)
    """
    most = 0
    for start in range(0, len(values), BLOCK):
        found = _places(values[start : start + BLOCK])
        if found < 0:
            return -1
        most = max(most, found)
    return most


def _places(x: npt.NDArray[np.float64]) -> int:
    with np.errstate(invalid="ignore"):
        rest = x[np.rint(x) != x]
    places = 0
    while len(rest) and places < MAX_DIGITS:
        places += 1
        scale = 10.0**places
        m = np.rint(rest * scale)
        rest = rest[(m / scale != rest) | (np.abs(m) >= MAX_MAGNITUDE)]
    return -1 if len(rest) else places


def _held_exactly(values: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    with np.errstate(invalid="ignore"):
        ok: npt.NDArray[np.bool_] = np.abs(values) <= MAX_MAGNITUDE  # NaN and infinities: False
        whole = np.rint(values) == values  # most numbers: whole, one pass without indexing
    rest = np.flatnonzero(ok & ~whole)
    ok &= whole
    for places in range(1, MAX_DIGITS + 1):
        if not len(rest):
            break
        x = values[rest]
        scale = 10.0**places
        m = np.rint(x * scale)
        hit = (np.abs(m) <= MAX_MAGNITUDE) & (m / scale == x)
        ok[rest[hit]] = True
        rest = rest[~hit]
    return ok


def parse_decimals(cells: Array) -> tuple[npt.NDArray[np.float64], list[str | None]]:
    """Numbers of distinct non-empty cells: the value (NaN where bad) and, per cell, ``None`` or the message.

    Plain decimal text (sign, digits, one point) is parsed in bulk; every other cell by :func:`parse_number`.
    """
    n = len(cells)
    values = np.full(n, np.nan)
    messages: list[str | None] = [None] * n
    is_text = _texts(cells)
    plain = np.zeros(n, dtype=bool)
    if is_text.any():
        rows = np.flatnonzero(is_text)
        text = np.strings.strip(cells[rows].astype(_STR))
        signed = np.strings.startswith(text, "-") | np.strings.startswith(text, "+")
        body = text.copy()  # NumPy 2.3 fails to slice an empty StringDType string: only the signed ones are sliced
        body[signed] = np.strings.slice(text[signed], 1)
        before, _, after = np.strings.partition(body, np.array(".", dtype=_STR))
        len_b, len_a = np.strings.str_len(before), np.strings.str_len(after)
        ok = ((len_b == 0) | np.strings.isdecimal(before)) & ((len_a == 0) | np.strings.isdecimal(after))
        ok &= (len_b + len_a) > 0
        ok &= np.strings.str_len(np.strings.encode(body, "utf-8")) == np.strings.str_len(body)  # ASCII digits
        digits = np.strings.str_len(np.strings.rstrip(np.strings.lstrip(np.strings.add(before, after), "0"), "0"))
        sel = rows[ok]
        parsed = text[ok].astype(np.float64)
        too_many = digits[ok] > MAX_DIGITS
        places = np.strings.str_len(np.strings.rstrip(after, "0"))[ok]
        out_of_range = ~too_many & ((np.abs(parsed) > MAX_MAGNITUDE) | ((digits[ok] > 0) & (places > MAX_DIGITS)))
        good = ~too_many & ~out_of_range
        values[sel[good]] = parsed[good]
        plain[sel[good]] = True
        for k in np.flatnonzero(too_many):
            messages[sel[k]] = f"has {digits[ok][k]} significant digits, more than the {MAX_DIGITS} kept exactly"
            plain[sel[k]] = True
        for k in np.flatnonzero(out_of_range):
            messages[sel[k]] = f"{excerpt(str(text[ok][k]))} {_OUT_OF_RANGE}"
            plain[sel[k]] = True
    for i in np.flatnonzero(~plain):  # unusual cells: exponents, nan, inf, commas, words, non-text objects
        got = parse_number(cells[i])
        if isinstance(got, str):
            messages[i] = got
        else:
            values[i] = got
    return values, messages


def map_categories(
    cat: Categorical, convert: Callable[[object], object], dtype: npt.DTypeLike, empty: object
) -> npt.NDArray[np.generic]:
    """``convert`` applied to each distinct value (a loop over categories only), spread over the rows."""
    table = np.empty(len(cat.categories) + 1, dtype=dtype)
    table[:-1] = [convert(c) for c in cat.categories]
    table[-1] = empty
    out: npt.NDArray[np.generic] = table[cat.codes]
    return out
