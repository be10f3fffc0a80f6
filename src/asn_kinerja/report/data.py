"""What the report shows of each employee, gathered column-wise from an evaluation's *published* columns — the
same ones its JSON, CSV and frame outputs are made of — so that the report publishes nothing they withhold.

A behaviour score computed from anonymous ratings is ``None`` here with ``scores_withheld`` set (the evaluation's
``perilaku_scaled`` is ``MISSING`` there, see :attr:`asn_kinerja.Evaluation.scores_withheld`); the engine's
private per-group cells and citizen indices are never read.

>>> import asn_kinerja
>>> data = asn_kinerja.load_dataset("examples/bungo/data")
>>> result = asn_kinerja.evaluate(asn_kinerja.load_policy("examples/policies/three-sixty.yaml"), data)
>>> rows = published_employees(result)
>>> len(rows), rows[0].unit_id <= rows[-1].unit_id
(61, True)
>>> withheld = [r for r in rows if r.scores_withheld]
>>> len(withheld) > 0, {r.perilaku_score for r in withheld}
(True, {None})
>>> r = next(r for r in rows if r.employee_id == "197406052004051034")
>>> r.predikat.label, r.capaian, r.perilaku_score
('Baik', '122.61', None)
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from asn_kinerja.engine.frame import _decimals
from asn_kinerja.engine.result import Evaluation
from asn_kinerja.model import JenisJabatan, Predikat, Rating

__all__ = ["BASIS_CODES", "PublishedEmployee", "published_employees"]

#: The one-letter basis of a rating: given by the evaluator, suggested from evidence, the organisation predikat.
BASIS_CODES = ("G", "S", "O")


@attrs.frozen
class PublishedEmployee:
    """One employee's published result, as the report shows it (figures as their published 2-decimal text)."""

    employee_id: str
    name: str
    unit_id: str
    jenis_jabatan: JenisJabatan
    jenjang: str | None
    rating_hasil_kerja: Rating
    hasil_kerja_basis: str
    rating_perilaku_kerja: Rating
    perilaku_kerja_basis: str
    predikat: Predikat
    adjusted: bool
    capaian: str | None
    perilaku_score: str | None
    scores_withheld: bool
    angka_kredit: str | None
    development: tuple[str, ...]


def _texts(values: Sequence[object]) -> list[str | None]:
    return [None if v is None else str(v) for v in values]


def published_employees(evaluation: Evaluation) -> list[PublishedEmployee]:
    """Every employee in output order (unit id, then employee id), from the evaluation's published columns."""
    ev = evaluation
    ds = ev.dataset
    emp = ds.employees
    order = ev.order()
    columns = ev.arrays()
    capaian = _texts(list(_decimals(ev.capaian_scaled)))
    score = _texts(list(_decimals(ev.perilaku_scaled)))
    kredit = _texts(list(ev.angka_kredit))
    jabatan = list(JenisJabatan)
    ratings = list(Rating)
    predikat = list(Predikat)
    out = []
    for row in order.tolist():
        jenjang = emp.jenjang[row]
        out.append(
            PublishedEmployee(
                employee_id=str(columns["employee_id"][row]),
                name=str(columns["name"][row]),
                unit_id=str(columns["unit_id"][row]),
                jenis_jabatan=jabatan[int(columns["jenis_jabatan"][row])],
                jenjang=None if jenjang is None or jenjang != jenjang else str(jenjang),
                rating_hasil_kerja=ratings[int(columns["rating_hasil_kerja"][row])],
                hasil_kerja_basis=BASIS_CODES[int(columns["hasil_kerja_basis"][row])],
                rating_perilaku_kerja=ratings[int(columns["rating_perilaku_kerja"][row])],
                perilaku_kerja_basis=BASIS_CODES[int(columns["perilaku_kerja_basis"][row])],
                predikat=predikat[int(columns["predikat"][row])],
                adjusted=bool(columns["adjusted"][row]),
                capaian=capaian[row],
                perilaku_score=score[row],
                scores_withheld=bool(columns["scores_withheld"][row]),
                angka_kredit=kredit[row],
                development=ev.themes_of(ev.development_needs[row]),
            )
        )
    return out
