"""An evaluation as columns: numpy arrays (:func:`evaluation_arrays`) or a pandas DataFrame
(:func:`evaluation_frame`), one row per employee in the dataset's row order, made without a loop over people.

Published figures: ``capaian``, ``perilaku_score`` and ``angka_kredit`` are float64 holding the *published*
2-decimal values (rounded half-up from the exact values; NaN where there is none, or where the behaviour score is
withheld under the policy's ``privacy.publish_scores``, which ``scores_withheld`` says) — ``float`` of a 2-decimal
number prints back as that number, so nothing is lost — and, on request, the same figures as exact
:class:`~decimal.Decimal` objects. Ratings and predikat are codes in the arrays (``-1`` none) and the official
labels as ordered pandas categoricals in the frame.

>>> import asn_kinerja
>>> from asn_kinerja.testing import generate_population
>>> result = asn_kinerja.evaluate(asn_kinerja.load_policy("permenpanrb-6-2022"), generate_population(50, seed=3))
>>> columns = evaluation_arrays(result)
>>> columns["predikat"].dtype, len(columns["predikat"])
(dtype('int8'), 50)
>>> frame = evaluation_frame(result)  # doctest: +SKIP
>>> frame["predikat"].cat.categories.tolist()  # doctest: +SKIP
['Sangat Baik', 'Baik', 'Butuh Perbaikan', 'Kurang/Misconduct', 'Sangat Kurang']
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from asn_kinerja._numbers import CONTEXT
from asn_kinerja.dataset.frames import require
from asn_kinerja.engine.settle import MISSING
from asn_kinerja.model import JenisJabatan, LabelledEnum, Predikat, Rating

if TYPE_CHECKING:
    from asn_kinerja.engine.result import Evaluation

__all__ = ["BASES", "evaluation_arrays", "evaluation_frame"]

#: The basis of a rating, by code in the arrays.
BASES = ("given", "suggested", "organisation")


def _published(scaled: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    out: npt.NDArray[np.float64] = np.where(scaled == MISSING, np.nan, scaled.astype(np.float64) / 100.0)
    return out


def _angka_kredit(values: npt.NDArray[np.object_]) -> npt.NDArray[np.float64]:
    present = ~np.asarray(np.equal(values, np.array(None, dtype=object)), dtype=bool)
    out = np.full(len(values), np.nan)
    if present.any():
        out[present] = values[present].astype(np.float64)
    return out


def evaluation_arrays(evaluation: Evaluation) -> dict[str, npt.NDArray[Any]]:
    """Per employee (dataset row order): ``employee_id``, ``name``, ``unit_id`` (object); ``jenis_jabatan``,
    ``rating_hasil_kerja``, ``rating_perilaku_kerja``, ``predikat_matrix``, ``predikat`` (int8 codes of
    :class:`~asn_kinerja.model.JenisJabatan`, :class:`~asn_kinerja.model.Rating`,
    :class:`~asn_kinerja.model.Predikat`; -1 none); ``hasil_kerja_basis``, ``perilaku_kerja_basis`` (int8 codes
    of :data:`BASES`); ``adjusted`` (bool); ``capaian``, ``perilaku_score``, ``angka_kredit`` (float64, the
    published 2-decimal values, NaN where none); ``scores_withheld`` (bool: the behaviour score is computed from
    anonymous ratings and not published)."""
    ev = evaluation
    ds = ev.dataset
    emp = ds.employees
    hk_basis = np.where(ev.hasil_kerja_given, 0, np.where(ev.hasil_kerja_from_organisation, 2, 1)).astype(np.int8)
    return {
        "employee_id": emp.id,
        "name": emp.name,
        "unit_id": ds.units.id[emp.unit],
        "jenis_jabatan": emp.jenis_jabatan,
        "rating_hasil_kerja": ev.rating_hasil_kerja,
        "hasil_kerja_basis": hk_basis,
        "rating_perilaku_kerja": ev.rating_perilaku_kerja,
        "perilaku_kerja_basis": np.where(ev.perilaku_kerja_given, 0, 1).astype(np.int8),
        "predikat_matrix": ev.predikat_matrix,
        "predikat": ev.predikat,
        "adjusted": ev.adjustment >= 0,
        "capaian": _published(ev.capaian_scaled),
        "perilaku_score": _published(ev.perilaku_scaled),
        "angka_kredit": _angka_kredit(ev.angka_kredit),
        "scores_withheld": ev.scores_withheld,
    }


def _worst_first(codes: npt.NDArray[np.integer[Any]], enum: type[LabelledEnum]) -> npt.NDArray[np.int64]:
    """Codes of a ranked enum (best first, 0 = Sangat Baik or Di Atas) re-numbered worst first; -1 (none) stays
    -1."""
    last = len(enum) - 1
    result: npt.NDArray[np.int64] = np.where(codes >= 0, last - codes, -1).astype(np.int64)
    return result


def _labels(enum: type[LabelledEnum], *, reverse: bool = False) -> list[str]:
    members = sorted(enum, key=lambda m: m.code)
    return [m.label for m in (reversed(members) if reverse else members)]


def _decimals(scaled: npt.NDArray[np.int64]) -> npt.NDArray[np.object_]:
    """Exact published values as ``Decimal`` (``None`` where none): one Decimal per distinct value."""
    values, inverse = np.unique(scaled, return_inverse=True)
    table = np.empty(len(values), dtype=object)
    table[:] = [None if v == MISSING else Decimal(int(v)).scaleb(-2, context=CONTEXT) for v in values.tolist()]
    out: npt.NDArray[np.object_] = table[inverse.ravel()]
    return out


def evaluation_frame(evaluation: Evaluation, *, decimals: bool = False) -> Any:
    """The evaluation as a pandas ``DataFrame`` (needs the ``pandas`` extra), one row per employee in the
    dataset's row order: ids and names; the official labels as ordered categoricals, ratings and predikat worst
    to best (so ``frame.predikat >= "Baik"`` selects Baik and Sangat Baik); the bases ``given``, ``suggested``,
    ``organisation``; ``adjusted``; the published figures as float64 and ``scores_withheld``. With
    ``decimals=True`` also ``capaian_exact``, ``perilaku_score_exact`` and ``angka_kredit_exact`` as
    :class:`~decimal.Decimal` objects."""
    pd = require("pandas")
    cols = evaluation_arrays(evaluation)

    def categorical(codes: npt.NDArray[np.integer[Any]], labels: list[str], ordered: bool = True) -> Any:
        return pd.Categorical.from_codes(codes.astype(np.int64), categories=labels, ordered=ordered)

    ratings = _labels(Rating, reverse=True)
    frame = pd.DataFrame(
        {
            "employee_id": cols["employee_id"],
            "name": cols["name"],
            "unit_id": cols["unit_id"],
            "jenis_jabatan": categorical(cols["jenis_jabatan"], [j.value for j in JenisJabatan], ordered=False),
            "rating_hasil_kerja": categorical(_worst_first(cols["rating_hasil_kerja"], Rating), ratings),
            "hasil_kerja_basis": categorical(cols["hasil_kerja_basis"], list(BASES), ordered=False),
            "rating_perilaku_kerja": categorical(_worst_first(cols["rating_perilaku_kerja"], Rating), ratings),
            "perilaku_kerja_basis": categorical(cols["perilaku_kerja_basis"], list(BASES), ordered=False),
            "predikat_matrix": categorical(
                _worst_first(cols["predikat_matrix"], Predikat), _labels(Predikat, reverse=True)
            ),
            "predikat": categorical(_worst_first(cols["predikat"], Predikat), _labels(Predikat, reverse=True)),
            "adjusted": cols["adjusted"],
            "capaian": cols["capaian"],
            "perilaku_score": cols["perilaku_score"],
            "angka_kredit": cols["angka_kredit"],
            "scores_withheld": cols["scores_withheld"],
        }
    )
    if decimals:
        frame["capaian_exact"] = _decimals(evaluation.capaian_scaled)
        frame["perilaku_score_exact"] = _decimals(evaluation.perilaku_scaled)
        frame["angka_kredit_exact"] = evaluation.angka_kredit
    return frame
