"""PermenPANRB 6/2022: ratings, the predikat matrix (and, with SE MenPANRB 3/2023, the distribution guidance).

The evaluator rates hasil kerja and perilaku kerja as Di Atas, Sesuai or Di Bawah Ekspektasi; the pair gives the
employee's predikat through a 3×3 matrix (Lampiran of PermenPANRB 6/2022):

>>> predikat("di_atas", "di_atas").label
'Sangat Baik'
>>> predikat(Rating.SESUAI_EKSPEKTASI, "di_bawah").label
'Kurang/Misconduct'
>>> predikat("di_bawah", "di_atas").label
'Butuh Perbaikan'

The distribution of employee predikat in a unit is checked against SE MenPANRB 3/2023 for the unit's
organisation predikat by :func:`check_distribution` (from :mod:`asn_kinerja.rules.distribution`):

>>> check_distribution("istimewa", {"sangat_baik": 5, "baik": 2}).violations[0].rule
'istimewa.sb_max_70'
"""

from __future__ import annotations

from collections.abc import Mapping

from asn_kinerja.errors import DataError, Problem
from asn_kinerja.model import Predikat, Rating
from asn_kinerja.rules.distribution import (
    DistributionOptions,
    DistributionReport,
    Violation,
    check_distribution,
)

__all__ = [
    "MATRIX",
    "MATRIX_REFERENCE",
    "DistributionOptions",
    "DistributionReport",
    "Violation",
    "check_distribution",
    "predikat",
]

MATRIX_REFERENCE = "PermenPANRB 6/2022, Lampiran: kurva/matriks predikat kinerja pegawai"

_A, _S, _B = Rating.DI_ATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI, Rating.DI_BAWAH_EKSPEKTASI

#: The official matrix: ``MATRIX[hasil_kerja][perilaku_kerja]``.
MATRIX: Mapping[Rating, Mapping[Rating, Predikat]] = {
    _A: {_B: Predikat.KURANG_MISCONDUCT, _S: Predikat.BAIK, _A: Predikat.SANGAT_BAIK},
    _S: {_B: Predikat.KURANG_MISCONDUCT, _S: Predikat.BAIK, _A: Predikat.BAIK},
    _B: {_B: Predikat.SANGAT_KURANG, _S: Predikat.BUTUH_PERBAIKAN, _A: Predikat.BUTUH_PERBAIKAN},
}


def _rating(value: Rating | str, field: str) -> Rating:
    try:
        return Rating.parse(value)
    except ValueError as exc:
        raise DataError([Problem(str(exc), field=field)]) from None


def predikat(hasil_kerja: Rating | str, perilaku_kerja: Rating | str) -> Predikat:
    """The employee predikat for a hasil kerja rating and a perilaku kerja rating (the official matrix).

    Each argument is a :class:`~asn_kinerja.model.Rating` or its identifier ``"di_atas"``, ``"sesuai"``,
    ``"di_bawah"`` (labels such as ``"Sesuai Ekspektasi"`` are accepted too). Anything else raises
    :class:`~asn_kinerja.DataError`.

    >>> predikat("di_bawah", "di_bawah")
    <Predikat.SANGAT_KURANG: 'sangat_kurang'>
    >>> predikat("sangat", "sesuai")
    Traceback (most recent call last):
    ...
    asn_kinerja.errors.DataError: 1 problem in the data:
      hasil_kerja: 'sangat' is not one of 'di_atas', 'sesuai', 'di_bawah'
    """
    return MATRIX[_rating(hasil_kerja, "hasil_kerja")][_rating(perilaku_kerja, "perilaku_kerja")]
