"""Survei Kepuasan Masyarakat (SKM): the citizen satisfaction index of PermenPANRB 14/2017.

Respondents answer nine unsur (elements) on a 1–4 scale (1 tidak baik … 4 sangat baik). The *nilai rata-rata*
(NRR) of an unsur is the sum of its answers divided by the respondents who answered it; the index is
``IKM = Σ NRR × weight`` (weights 1/9 each by default, 1–4), converted to 25–100 by ``× 25``; the mutu
pelayanan (A–D) is read on the converted value rounded half-up to 2 decimals.

The index is kept exact (a :class:`~fractions.Fraction`): 1/9 has no finite decimal expansion, so a Decimal
would already be an approximation. Only the converted value is rounded, once, from the exact index.

Worked example (29 respondents, unsur totals summing to 955):

>>> totals = [105, 101, 100, 116, 102, 105, 106, 105, 115]
>>> result = ikm([Fraction(t, 29) for t in totals], respondents=29)
>>> result.indeks
Fraction(955, 261)
>>> result.konversi, result.mutu, result.kinerja
(Decimal('91.48'), 'A', 'Sangat Baik')

Reports that print the weight as 0.11 (nine of which sum to 0.99, not 1) get 90.56; ``printed_weight``
reproduces them, the default does not:

>>> ikm([Fraction(t, 29) for t in totals], printed_weight=Decimal("0.11")).konversi
Decimal('90.56')
"""

from __future__ import annotations

import numbers
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal, overload

import attrs
import numpy as np
import numpy.typing as npt

from asn_kinerja._moved import moved_names
from asn_kinerja._numbers import CONTEXT, Number, round_to, to_decimal
from asn_kinerja.errors import DataError, Problem

__all__ = [
    "MUTU",
    "REFERENCE",
    "UNSUR",
    "IkmResult",
    "Survey",
    "ikm",
    "ikm_from_responses",
    "mutu_pelayanan",
    "sample_size",
]

REFERENCE = "PermenPANRB 14/2017 tentang Pedoman Penyusunan Survei Kepuasan Masyarakat"

#: The nine unsur of PermenPANRB 14/2017, in the regulation's order: identifier -> label.
UNSUR: Mapping[str, str] = types.MappingProxyType(
    {
        "persyaratan": "Persyaratan",
        "sistem_mekanisme_prosedur": "Sistem, Mekanisme, dan Prosedur",
        "waktu_penyelesaian": "Waktu Penyelesaian",
        "biaya_tarif": "Biaya/Tarif",
        "produk_spesifikasi_jenis_pelayanan": "Produk Spesifikasi Jenis Pelayanan",
        "kompetensi_pelaksana": "Kompetensi Pelaksana",
        "perilaku_pelaksana": "Perilaku Pelaksana",
        "penanganan_pengaduan": "Penanganan Pengaduan, Saran dan Masukan",
        "sarana_prasarana": "Sarana dan Prasarana",
    }
)

_IDS: tuple[str, ...] = tuple(UNSUR)

#: Mutu pelayanan bands on the converted index rounded to 2 decimals: (lowest, highest, mutu, kinerja unit).
MUTU: tuple[tuple[Decimal, Decimal, str, str], ...] = (
    (Decimal("88.31"), Decimal("100.00"), "A", "Sangat Baik"),
    (Decimal("76.61"), Decimal("88.30"), "B", "Baik"),
    (Decimal("65.00"), Decimal("76.60"), "C", "Kurang Baik"),
    (Decimal("25.00"), Decimal("64.99"), "D", "Tidak Baik"),
)

_NINTH = Fraction(1, 9)
_MIN_ANSWER, _MAX_ANSWER = 1, 4

Answer = int | None
"""A validated answer: 1–4, or ``None`` for no answer."""


# ----------------------------------------------------------------------------------------------- results


@attrs.frozen
class IkmResult:
    """The index of one survey.

    ``indeks`` is the exact index (a :class:`~fractions.Fraction`, 1–4 with weights summing to 1);
    ``indeks_decimal`` a 50-digit Decimal view of it. ``konversi`` is ``indeks × 25`` rounded half-up to 2
    decimals, ``mutu``/``kinerja`` its band in :data:`MUTU`. ``nrr`` maps every unsur to its exact NRR,
    ``weights`` to the weight used; ``nrr_places`` is set when the NRR were rounded before weighting (a report
    variant, see :attr:`nrr_used`). ``respondents`` counts respondents (``None`` when unknown), ``answered``
    the respondents who answered each unsur. With a ``population``, ``sample_required`` is the Krejcie &
    Morgan sample size and :attr:`sample_sufficient` tells whether the survey reached it.
    """

    indeks: Fraction
    konversi: Decimal
    mutu: str
    kinerja: str
    nrr: Mapping[str, Fraction]
    weights: Mapping[str, Fraction]
    respondents: int | None = None
    answered: Mapping[str, int] | None = None
    nrr_places: int | None = None
    population: int | None = None
    sample_required: int | None = None

    @property
    def indeks_decimal(self) -> Decimal:
        """The index as a Decimal (exact when it terminates, else to 50 significant digits)."""
        return CONTEXT.divide(Decimal(self.indeks.numerator), Decimal(self.indeks.denominator))

    @property
    def nrr_used(self) -> Mapping[str, Fraction]:
        """The NRR that entered the sum: :attr:`nrr`, rounded half-up to ``nrr_places`` when that is set."""
        if self.nrr_places is None:
            return self.nrr
        return {u: Fraction(round_to(v, self.nrr_places)) for u, v in self.nrr.items()}

    @property
    def sample_sufficient(self) -> bool | None:
        """Whether ``respondents`` reaches ``sample_required`` (``None`` without a population)."""
        if self.sample_required is None or self.respondents is None:
            return None
        return self.respondents >= self.sample_required


# ----------------------------------------------------------------------------------------------- helpers


def _exact(value: object, field: str, record: str | None = None) -> Fraction:
    """An exact rational from a Fraction or anything :func:`to_decimal` accepts."""
    if isinstance(value, Fraction):
        return value
    return Fraction(to_decimal(value, field=field, record=record))


def _by_unsur(values: object, what: str, problems: list[Problem]) -> dict[str, object] | None:
    """Spread a sequence of nine values or a mapping unsur -> value over the unsur identifiers."""
    if isinstance(values, Mapping):
        keys = [str(k) for k in values]
        unknown = [k for k in keys if k not in UNSUR]
        missing = [u for u in _IDS if u not in values]
        for k in unknown:
            problems.append(Problem(f"unknown unsur in {what}", field=k))
        for u in missing:
            problems.append(Problem(f"missing from {what}", field=u))
        if unknown or missing:
            return None
        return {u: values[u] for u in _IDS}
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        problems.append(
            Problem(f"must be a sequence of 9 values or a mapping unsur -> value, got {values!r}", field=what)
        )
        return None
    items = list(values)
    if len(items) != len(_IDS):
        problems.append(Problem(f"needs {len(_IDS)} values, one per unsur, got {len(items)}", field=what))
        return None
    return dict(zip(_IDS, items, strict=True))


def _weights(
    weights: Sequence[Number | Fraction] | Mapping[str, Number | Fraction] | None,
    printed_weight: Number | Fraction | None,
    problems: list[Problem],
) -> dict[str, Fraction] | None:
    if printed_weight is not None:
        if weights is not None:
            problems.append(Problem("give weights or printed_weight, not both", field="printed_weight"))
            return None
        try:
            w = _exact(printed_weight, "printed_weight")
        except DataError as exc:
            problems.extend(exc.problems)
            return None
        if w <= 0:
            problems.append(Problem(f"must be greater than zero, got {printed_weight}", field="printed_weight"))
            return None
        return dict.fromkeys(_IDS, w)
    if weights is None:
        return dict.fromkeys(_IDS, _NINTH)
    spread = _by_unsur(weights, "weights", problems)
    if spread is None:
        return None
    result: dict[str, Fraction] = {}
    for u, raw in spread.items():
        try:
            w = _exact(raw, u, "weights")
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        if w < 0:
            problems.append(Problem(f"weight must not be negative, got {raw}", record="weights", field=u))
            continue
        result[u] = w
    if len(result) != len(_IDS):
        return None
    total = sum(result.values(), Fraction(0))
    if total != 1:
        shown = total if total.denominator != 1 else total.numerator
        problems.append(
            Problem(
                f"weights must sum to exactly 1, got {shown} (use fractions.Fraction(1, 9) for a ninth, or "
                "printed_weight= to reproduce a report that prints a rounded weight)",
                field="weights",
            )
        )
        return None
    return result


def _places(nrr_places: int | None, problems: list[Problem]) -> None:
    if nrr_places is not None and (isinstance(nrr_places, bool) or not isinstance(nrr_places, int) or nrr_places < 0):
        problems.append(Problem(f"must be None or an int >= 0, got {nrr_places!r}", field="nrr_places"))


def _population(population: object, problems: list[Problem]) -> int | None:
    if population is None:
        return None
    if isinstance(population, bool) or not isinstance(population, numbers.Integral) or int(population) < 1:
        problems.append(Problem(f"must be a positive int, got {population!r}", field="population"))
        return None
    return int(population)


def _result(
    nrr: dict[str, Fraction],
    weights: dict[str, Fraction],
    *,
    nrr_places: int | None,
    respondents: int | None,
    answered: dict[str, int] | None,
    population: int | None,
) -> IkmResult:
    used = nrr if nrr_places is None else {u: Fraction(round_to(v, nrr_places)) for u, v in nrr.items()}
    indeks = sum((used[u] * weights[u] for u in _IDS), Fraction(0))
    konversi = round_to(indeks * 25, 2)
    mutu, kinerja = _band(konversi)
    return IkmResult(
        indeks=indeks,
        konversi=konversi,
        mutu=mutu,
        kinerja=kinerja,
        nrr=types.MappingProxyType(dict(nrr)),
        weights=types.MappingProxyType(dict(weights)),
        respondents=respondents,
        answered=None if answered is None else types.MappingProxyType(dict(answered)),
        nrr_places=nrr_places,
        population=population,
        sample_required=None if population is None else sample_size(population),
    )


def _band(konversi: Decimal) -> tuple[str, str]:
    for low, _high, mutu, kinerja in MUTU:
        if konversi >= low:
            return mutu, kinerja
    return MUTU[-1][2], MUTU[-1][3]


# ----------------------------------------------------------------------------------------------- public API


def mutu_pelayanan(konversi: Number) -> tuple[str, str]:
    """The mutu pelayanan and kinerja unit of a converted index, per the table of PermenPANRB 14/2017.

    The value is first rounded half-up to 2 decimals (the table is defined on 2-decimal values), so 88.305 is
    A.

    >>> mutu_pelayanan("88.30"), mutu_pelayanan("88.31")
    (('B', 'Baik'), ('A', 'Sangat Baik'))
    >>> mutu_pelayanan("88.305")
    ('A', 'Sangat Baik')
    >>> mutu_pelayanan(64.99)
    ('D', 'Tidak Baik')
    """
    return _band(round_to(to_decimal(konversi, field="konversi"), 2))


def ikm(
    nrr: Sequence[Number | Fraction] | Mapping[str, Number | Fraction],
    weights: Sequence[Number | Fraction] | Mapping[str, Number | Fraction] | None = None,
    *,
    printed_weight: Number | Fraction | None = None,
    nrr_places: int | None = None,
    respondents: int | None = None,
    population: int | None = None,
) -> IkmResult:
    """The index from the nine per-unsur averages (NRR), each 1–4.

    ``nrr`` is a sequence in :data:`UNSUR` order or a mapping unsur identifier -> NRR (int, str, Decimal,
    float through its decimal text, or an exact :class:`~fractions.Fraction`). ``weights`` (same shapes)
    default to exactly 1/9 each; custom weights must sum to exactly 1 (use Fractions for thirds and ninths),
    else :class:`~asn_kinerja.DataError`.

    Report variants (the defaults are the regulation): ``printed_weight`` applies one rounded weight such as
    ``Decimal("0.11")`` or ``Decimal("0.111")`` to every unsur *without* the sum check (nine × 0.11 = 0.99, so
    the index is no longer on the 1–4 scale); ``nrr_places`` rounds every NRR half-up to that many decimals
    before weighting (2 and 3 are the usual printed precisions). ``respondents`` and ``population`` only feed
    the sample size flag.

    >>> r = ikm([3, 3, 3, 3, 3, 3, 3, 3, "3.9"])
    >>> r.indeks, r.konversi, r.mutu
    (Fraction(31, 10), Decimal('77.50'), 'B')
    >>> ikm([3] * 9, weights=[Fraction(1, 3), Fraction(2, 3)] + [0] * 7).konversi
    Decimal('75.00')
    >>> ikm([3] * 9, weights=[0.111] * 9)
    Traceback (most recent call last):
    ...
    asn_kinerja.errors.DataError: 1 problem in the data:
      weights: weights must sum to exactly 1, got 999/1000 (use fractions.Fraction(1, 9) for a ninth, or \
printed_weight= to reproduce a report that prints a rounded weight)
    """
    problems: list[Problem] = []
    w = _weights(weights, printed_weight, problems)
    _places(nrr_places, problems)
    pop = _population(population, problems)
    if respondents is not None and (
        isinstance(respondents, bool) or not isinstance(respondents, int) or respondents < 1
    ):
        problems.append(Problem(f"must be a positive int, got {respondents!r}", field="respondents"))
    values: dict[str, Fraction] = {}
    spread = _by_unsur(nrr, "nrr", problems)
    if spread is not None:
        for u, raw in spread.items():
            try:
                v = _exact(raw, u, "nrr")
            except DataError as exc:
                problems.extend(exc.problems)
                continue
            if not _MIN_ANSWER <= v <= _MAX_ANSWER:
                problems.append(Problem(f"NRR must be between 1 and 4, got {raw}", record="nrr", field=u))
                continue
            values[u] = v
    if problems:
        raise DataError(problems)
    assert w is not None
    return _result(values, w, nrr_places=nrr_places, respondents=respondents, answered=None, population=pop)


def _answer(value: object) -> tuple[Answer, str | None]:
    """Validate one answer: (answer, None) or (None, message). ``None`` and NaN are a missing answer."""
    if value is None:
        return None, None
    if isinstance(value, (bool, np.bool_)):
        return None, f"answer must be an integer 1–4, got {value!r}"
    number: Fraction | None = None
    if isinstance(value, numbers.Integral):
        number = Fraction(int(value))
    elif isinstance(value, Decimal):
        if value.is_nan():
            return None, None
        number = Fraction(value) if value.is_finite() else None
    elif isinstance(value, Fraction):
        number = value
    elif isinstance(value, numbers.Real):
        f = float(value)
        if f != f:
            return None, None
        number = Fraction(f) if abs(f) != float("inf") else None
    if number is None or number.denominator != 1 or not _MIN_ANSWER <= number <= _MAX_ANSWER:
        return None, f"answer must be an integer 1–4, got {value!r}"
    return int(number), None


def ikm_from_responses(
    responses: Sequence[Sequence[object]] | npt.NDArray[Any],
    *,
    missing: Literal["error", "skip"] = "error",
    weights: Sequence[Number | Fraction] | Mapping[str, Number | Fraction] | None = None,
    printed_weight: Number | Fraction | None = None,
    nrr_places: int | None = None,
    population: int | None = None,
) -> IkmResult:
    """The index from a respondents × unsur table of answers.

    ``responses`` is a sequence of rows (one a respondent, nine answers in :data:`UNSUR` order), a 2-D numpy
    array (integers, or floats with NaN for a missing answer), or a :class:`Survey` from
    :func:`~asn_kinerja.dataset.survey.read_survey_csv`. An answer is an integer 1–4; ``None`` or NaN is a missing
    answer. With ``missing="error"`` (the default) a missing answer is a problem; with ``missing="skip"`` the NRR
    of an unsur is the sum of its answers divided by the respondents who answered it, as the regulation words it.
    Answers outside 1–4 (0, 5, 2.5) and rows of the wrong length are problems; all problems are collected in
    one :class:`~asn_kinerja.DataError`, each naming the row (1-based, or the respondent id and file line of a
    :class:`Survey`) and the unsur.

    ``respondents`` counts the rows with at least one answer. ``population`` sets the sample-size flag;
    ``weights``, ``printed_weight`` and ``nrr_places`` are as in :func:`ikm`.

    >>> rows = [[4, 3, 3, 4, 3, 3, 4, 4, 4], [3, 3, 3, 4, 3, 3, 3, 3, 4], [4, 4, 3, 4, 3, 4, 3, 4, 4]]
    >>> r = ikm_from_responses(rows, population=100)
    >>> r.nrr["persyaratan"], r.konversi, r.mutu, r.respondents
    (Fraction(11, 3), Decimal('87.04'), 'B', 3)
    >>> r.sample_required, r.sample_sufficient
    (80, False)
    >>> ikm_from_responses([[4, 3, None, 4, 3, 3, 4, 4, 5]])
    Traceback (most recent call last):
    ...
    asn_kinerja.errors.DataError: 2 problems in the data:
      record row 1: sarana_prasarana: answer must be an integer 1–4, got 5
      record row 1: waktu_penyelesaian: missing answer (use missing="skip" to average over those who answered)
    >>> skipped = ikm_from_responses([[4, 3, None, 4, 3, 3, 4, 4, 4], [3] * 9], missing="skip")
    >>> skipped.nrr["waktu_penyelesaian"], skipped.answered["waktu_penyelesaian"]
    (Fraction(3, 1), 1)
    """
    problems: list[Problem] = []
    if missing not in ("error", "skip"):
        problems.append(Problem(f'must be "error" or "skip", got {missing!r}', field="missing"))
    w = _weights(weights, printed_weight, problems)
    _places(nrr_places, problems)
    pop = _population(population, problems)

    rows, where = _located_rows(responses)
    sums, counts, respondents = _tally(rows, where, missing, problems)
    if not problems:
        if respondents == 0:
            problems.append(Problem("no respondent answered", field="responses"))
        else:
            problems.extend(Problem("no respondent answered this unsur", field=u) for u in _IDS if counts[u] == 0)
    if problems:
        raise DataError(problems)
    assert w is not None
    nrr = {u: Fraction(sums[u], counts[u]) for u in _IDS}
    return _result(nrr, w, nrr_places=nrr_places, respondents=respondents, answered=counts, population=pop)


_Where = Callable[[int], dict[str, Any]]
"""Where row ``i`` of the answers is, as keyword arguments of a :class:`~asn_kinerja.Problem`."""


def _row_number(i: int) -> dict[str, Any]:
    return {"record": f"row {i + 1}"}


def _located_rows(
    responses: Sequence[Sequence[object]] | npt.NDArray[Any],
) -> tuple[Sequence[Sequence[object]], _Where]:
    """The rows of answers, and where each is: the file line and respondent of a :class:`Survey`, else its number."""
    if isinstance(responses, Survey):
        survey = responses
        return survey.rows, lambda i: {"source": survey.source, "line": survey.lines[i], "record": survey.ids[i]}
    if isinstance(responses, np.ndarray):
        if responses.ndim != 2:
            raise DataError([Problem(f"must be a 2-D array, got {responses.ndim} dimensions", field="responses")])
        rows: Sequence[Sequence[object]] = responses.tolist()
        return rows, _row_number
    return responses, _row_number


def _tally(
    rows: Sequence[Sequence[object]], where: _Where, missing: str, problems: list[Problem]
) -> tuple[dict[str, int], dict[str, int], int]:
    """The sum and the number of the answers to each unsur, and the respondents (rows with at least one answer);
    every bad row and answer added to ``problems``."""
    sums = dict.fromkeys(_IDS, 0)
    counts = dict.fromkeys(_IDS, 0)
    respondents = 0
    for i, row in enumerate(rows):
        if isinstance(row, (str, bytes)) or not isinstance(row, Iterable):
            problems.append(Problem(f"a row must be a sequence of {len(_IDS)} answers", **where(i)))
            continue
        cells = list(row)
        if len(cells) != len(_IDS):
            problems.append(Problem(f"needs {len(_IDS)} answers, one per unsur, got {len(cells)}", **where(i)))
            continue
        any_answer = False
        for u, cell in zip(_IDS, cells, strict=True):
            answer, message = _answer(cell)
            if message is not None:
                problems.append(Problem(message, field=u, **where(i)))
            elif answer is None:
                if missing == "error":
                    message = 'missing answer (use missing="skip" to average over those who answered)'
                    problems.append(Problem(message, field=u, **where(i)))
            else:
                sums[u] += answer
                counts[u] += 1
                any_answer = True
        respondents += any_answer
    return sums, counts, respondents


def sample_size(
    population: int,
    *,
    chi2: Number = Decimal("3.841"),
    p: Number = Decimal("0.5"),
    d: Number = Decimal("0.05"),
) -> int:
    """The minimum sample for a population of ``population`` service users (Krejcie & Morgan, 1970).

    ``s = χ²·N·P(1−P) / (d²(N−1) + χ²·P(1−P))``, computed exactly and rounded half-up to a whole respondent.

    >>> sample_size(100), sample_size(1_000), sample_size(1_000_000)
    (80, 278, 384)
    >>> sample_size(0)
    Traceback (most recent call last):
    ...
    asn_kinerja.errors.DataError: 1 problem in the data:
      population: must be a positive int, got 0
    """
    problems: list[Problem] = []
    n = _population(population, problems)
    if problems:
        raise DataError(problems)
    assert n is not None
    x, pp, dd = (_exact(v, name) for v, name in ((chi2, "chi2"), (p, "p"), (d, "d")))
    variance = pp * (1 - pp)
    s = x * n * variance / (dd * dd * (n - 1) + x * variance)
    return int(round_to(s, 0))


# ----------------------------------------------------------------------------------------------- survey answers


@attrs.frozen
class Survey(Sequence[tuple[Answer, ...]]):
    """Validated survey answers read from a file: a sequence of rows of nine answers (``None`` = no answer).

    ``ids`` holds each respondent's id, ``lines`` the file line of each row, ``source`` the file name; they
    let :func:`ikm_from_responses` name the file line and respondent in a problem.
    """

    rows: tuple[tuple[Answer, ...], ...]
    ids: tuple[str, ...]
    lines: tuple[int, ...]
    source: str | None = None

    @overload
    def __getitem__(self, index: int) -> tuple[Answer, ...]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[Answer, ...]]: ...

    def __getitem__(self, index: int | slice) -> tuple[Answer, ...] | Sequence[tuple[Answer, ...]]:
        return self.rows[index]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[Answer, ...]]:
        return iter(self.rows)


#: Names that moved out of this module (it only computes), for one release: name -> its module now.
__getattr__ = moved_names(
    __name__, {"read_survey_csv": "asn_kinerja.dataset.survey", "format_table": "asn_kinerja.report.ikm"}
)
