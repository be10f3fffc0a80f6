"""PP 46/2011: SKP with kegiatan (kuantitas, kualitas, waktu, biaya) and perilaku 0–100.

Read from the same dataset format as the current regime (Perka BKN 1/2013): each RHK utama is one *kegiatan* of
the SKP; its indicators are the kegiatan's aspects (``aspect`` kuantitas, kualitas, waktu and, with a budget,
biaya; one value target and its realisasi each). Each RHK tambahan is one *tugas tambahan* (counted, not scored).
Perilaku kerja: the atasan's ratings on the six PP 46 aspects, 0–100 (the dataset manifest declares ``scale:
{min: 0, max: 100}``). Nilai SKP is the mean of the kegiatan (plus the tugas tambahan bonus where the policy
counts it), nilai prestasi kerja their weighted sum with nilai perilaku, and the sebutan its band.

Its rules are :mod:`asn_kinerja.rules.pp46_2011` (re-exported here as ``rules``), its policies load as
:class:`Pp46Policy` (the ``pp46`` section present, typed so), its evaluator is
:func:`evaluate_pp46` and its result a :class:`~asn_kinerja.NumericEvaluation`.

>>> from asn_kinerja import load_policy
>>> type(load_policy("pp-46-2011")).__name__
'Pp46Policy'
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import attrs
import numpy as np

from asn_kinerja._numbers import Rounding
from asn_kinerja.engine.exact import decimal_of
from asn_kinerja.engine.numeric import KegiatanResult, NumericEvaluation, NumericResult, percent
from asn_kinerja.engine.result import Step
from asn_kinerja.errors import Problem
from asn_kinerja.model import Aspect, JenisRhk, RaterGroup, SebutanPp46
from asn_kinerja.policy.model import Policy
from asn_kinerja.policy.numeric import Pp46Rules, rounding_of
from asn_kinerja.regimes import Regime
from asn_kinerja.regimes._numeric import Context, NumericPolicy, evaluate_each, plain, register_numeric
from asn_kinerja.regimes._sections import section
from asn_kinerja.rules import pp46_2011 as rules

if TYPE_CHECKING:
    from asn_kinerja.dataset import Dataset

__all__ = ["ID", "REGIME", "Pp46Policy", "evaluate_pp46", "rules"]

ID = "pp-46-2011"


@attrs.frozen(kw_only=True, repr=False)
class Pp46Policy(NumericPolicy):
    """A policy of the PP 46/2011 regime (what :func:`asn_kinerja.load_policy` gives for it): its ``pp46``
    section holds how a kegiatan is scored, whether tugas tambahan add a bonus, the perilaku aspects counted, the
    weights and the reading of the sebutan bands."""

    @property
    def rules(self) -> Pp46Rules:
        """The regime's section, present."""
        return section(self.pp46, self.id, ID, "pp46")


_ASPECTS_46 = (Aspect.KUANTITAS, Aspect.KUALITAS, Aspect.WAKTU, Aspect.BIAYA)


def evaluate_pp46(policy: Pp46Policy, dataset: Dataset) -> NumericEvaluation:
    """The regime's evaluator: every employee of ``dataset`` under a PP 46/2011 ``policy`` (see
    :func:`~asn_kinerja.engine.numeric.evaluate_numeric`)."""
    pp46 = policy.rules
    return evaluate_each(
        policy,
        dataset,
        (Decimal(0), Decimal(100)),
        "PP 46/2011 rates perilaku 0–100",
        lambda cx, row: _employee(cx, pp46, row),
    )


REGIME: Regime[Pp46Policy, NumericEvaluation] = register_numeric(ID, "PP 46/2011", "pp46", Pp46Policy, evaluate_pp46)


@attrs.frozen
class _AtasanRatings:
    """An employee's ratings by the atasan on the policy's aspects, and what was not counted."""

    scores: dict[str, Decimal]
    left_out: list[str]
    others: int


def _employee(cx: Context, pp46: Pp46Rules, row: int) -> NumericResult | None:
    """One employee's result: nilai SKP from the kegiatan, nilai perilaku from the atasan's ratings, nilai
    prestasi kerja and its sebutan (None, with the problems, where they cannot be computed)."""
    mode = rounding_of(pp46.rounding)
    before = len(cx.problems)
    kegiatan, tugas = _kegiatan_of(cx, pp46, row, mode)
    if not kegiatan and len(cx.problems) == before:
        cx.employee_problem(row, "rhk", "rhk_id", "no RHK utama (kegiatan) to compute nilai SKP from")
    rated = _atasan_ratings(cx, pp46, row)
    if not rated.scores and len(cx.problems) == before:
        aspects = ", ".join(pp46.perilaku.criteria)
        cx.employee_problem(
            row, "ratings", "criterion", f"no rating by the atasan on the aspects {aspects} to compute nilai perilaku"
        )
    if len(cx.problems) != before:
        return None
    perilaku = {a: rated.scores[a] for a in pp46.perilaku.criteria if a in rated.scores}
    emp_id = cx.emp_id(row)
    bonus = tugas if pp46.skp.tugas_tambahan == "bonus" else 0
    nilai_skp = cx.rule(
        emp_id, "rhk", rules.nilai_skp, [k.nilai for k in kegiatan], tugas_tambahan=bonus, rounding=mode
    )
    nilai_perilaku = cx.rule(emp_id, "ratings", rules.nilai_perilaku, perilaku, rounding=mode)
    if nilai_skp is None or nilai_perilaku is None:
        return None
    bobot = pp46.weights.pair
    akhir = rules.nilai_prestasi_kerja(nilai_skp, nilai_perilaku, weights=bobot, rounding=mode)
    result = cx.result(
        row,
        kegiatan=tuple(kegiatan),
        iki=(),
        tugas_tambahan=tugas,
        nilai_skp=nilai_skp,
        perilaku=perilaku,
        nilai_perilaku=nilai_perilaku,
        peer_input=None,
        bobot=bobot,
        nilai_akhir=akhir,
        ide_baru=None,
        predikat=SebutanPp46.parse(rules.sebutan(akhir, reading=pp46.sebutan.reading)),
        steps=(),
    )
    return attrs.evolve(result, steps=_steps(cx.policy, pp46, result, rated))


def _kegiatan_of(cx: Context, pp46: Pp46Rules, row: int, mode: Rounding) -> tuple[list[KegiatanResult], int]:
    """The kegiatan (RHK utama) of the employee at ``row`` that could be scored, and the number of tugas
    tambahan (RHK tambahan)."""
    kegiatan: list[KegiatanResult] = []
    tugas = 0
    for r in cx.rhk_rows[row]:
        if cx.ds.rhk.jenis[r] == JenisRhk.TAMBAHAN.code:
            tugas += 1
            continue
        found = _kegiatan(cx, pp46, r, mode)
        if found is not None:
            kegiatan.append(found)
    return kegiatan, tugas


def _kegiatan(cx: Context, pp46: Pp46Rules, r: int, mode: Rounding) -> KegiatanResult | None:
    ds = cx.ds
    ind = ds.indicators
    rhk_id = str(ds.rhk.id[r])
    pairs: dict[Aspect, tuple[Decimal, Decimal]] = {}
    before = len(cx.problems)
    for i in cx.ind_by_rhk[r]:
        aspect = Aspect.from_code(int(ind.aspect[i]))
        if aspect not in _ASPECTS_46:
            message = "a PP 46/2011 kegiatan's indicator needs an aspect: kuantitas, kualitas, waktu or biaya"
            cx.indicator_problem(i, "aspect", message)
            continue
        if aspect in pairs:
            cx.indicator_problem(i, "aspect", f"a second {aspect.value} indicator of kegiatan {rhk_id}")
        if ind.target_low[i] != ind.target_high[i]:
            cx.indicator_problem(i, "target_low", "a PP 46/2011 target is one value, not a range")
        if np.isnan(ind.realisasi[i]):
            cx.indicator_problem(i, "realisasi", "a value is required to evaluate the kegiatan")
            continue
        pairs[aspect] = (decimal_of(ind.target_low[i]), decimal_of(ind.realisasi[i]))
    missing = [a.value for a in _ASPECTS_46[:3] if a not in pairs]
    if missing and len(cx.problems) == before:
        cx.problems.append(
            Problem(
                f"kegiatan {rhk_id} needs an indicator for each of kuantitas, kualitas and waktu; missing "
                + ", ".join(missing),
                source="rhk",
                record=rhk_id,
                field="indicators",
            )
        )
    if len(cx.problems) != before:
        return None
    k = pp46.kegiatan
    kn, kl, wk = pairs[Aspect.KUANTITAS], pairs[Aspect.KUALITAS], pairs[Aspect.WAKTU]
    bi = pairs.get(Aspect.BIAYA)
    nilai = cx.rule(
        rhk_id,
        "indicators",
        rules.nilai_capaian_kegiatan,
        kuantitas=kn,
        kualitas=kl,
        waktu=wk,
        biaya=bi,
        divisor=k.divisor,
        cap=k.cap,
        efficiency=k.efficiency,
        rounding=mode,
    )
    if nilai is None:
        return None
    return KegiatanResult(
        rhk_id=rhk_id,
        text=str(ds.rhk.text[r]),
        kuantitas=rules.aspek_kuantitas(*kn, cap=k.cap, rounding=mode),
        kualitas=rules.aspek_kualitas(*kl, cap=k.cap, rounding=mode),
        waktu=rules.aspek_waktu(*wk, efficiency=k.efficiency, rounding=mode),
        biaya=None if bi is None else rules.aspek_biaya(*bi, efficiency=k.efficiency, rounding=mode),
        nilai=nilai,
        sebutan=SebutanPp46.parse(rules.sebutan(nilai, reading=pp46.sebutan.reading)),
    )


def _atasan_ratings(cx: Context, pp46: Pp46Rules, row: int) -> _AtasanRatings:
    """The atasan's ratings of the employee at ``row`` on the policy's aspects; a problem for an unknown criterion
    and for a second atasan rating on an aspect."""
    rt = cx.ds.ratings
    scores: dict[str, Decimal] = {}
    left_out: list[str] = []
    others = 0
    for i in cx.rating_rows[row]:
        name = str(rt.criterion[i])
        if name not in rules.PERILAKU_ASPEK:
            cx.rating_problem(
                i, "criterion", f"unknown criterion {name!r} (PP 46/2011 rates {', '.join(rules.PERILAKU_ASPEK)})"
            )
        elif rt.group[i] != RaterGroup.ATASAN.code:
            others += 1
        elif name not in pp46.perilaku.criteria:
            left_out.append(name)
        elif name in scores:
            cx.rating_problem(
                i, "criterion", f"a second atasan rating on {name}: PP 46/2011 perilaku is rated by one Pejabat Penilai"
            )
        else:
            scores[name] = plain(rt.score[i])
    return _AtasanRatings(scores, left_out, others)


def _steps(p: Policy, pp46: Pp46Rules, r: NumericResult, rated: _AtasanRatings) -> tuple[Step, ...]:
    """The explanation of a result: each kegiatan, nilai SKP, nilai perilaku, nilai prestasi kerja, sebutan."""
    steps: list[Step] = []
    for k in r.kegiatan:
        shown = " + ".join(f"{name} {value}" for name, value in k.aspects.items())
        divisor = pp46.kegiatan.divisor
        by = f"{len(k.aspects)} aspects" if divisor == "aspects" else f"divisor {divisor}"
        extra = [f"efficiency rule {pp46.kegiatan.efficiency}"]
        if pp46.kegiatan.cap is not None:
            extra.append(f"kuantitas/kualitas capped at {pp46.kegiatan.cap}")
        steps.append(
            Step(
                f"nilai capaian kegiatan {k.rhk_id}",
                f"{k.nilai} ({k.sebutan.label})",
                f"({shown}) / {by}; {', '.join(extra)}",
                p.reference_for("pp46.kegiatan"),
                id=f"kegiatan.{k.rhk_id}",
            )
        )
    tugas = r.tugas_tambahan
    if pp46.skp.tugas_tambahan == "bonus":
        extra_text = f"{tugas} tugas tambahan (bonus by count: 1–3 +1, 4–6 +2, ≥ 7 +3)"
    else:
        extra_text = f"{tugas} tugas tambahan not counted (pp46.skp.tugas_tambahan: ignore)"
    skp = f"mean of {len(r.kegiatan)} kegiatan; {extra_text}"
    steps.append(Step("nilai SKP", str(r.nilai_skp), skp, p.reference_for("pp46.skp"), id="nilai_skp"))
    notes = [
        f"mean of {len(r.perilaku)} aspect(s) rated by the atasan: "
        + ", ".join(f"{a} {v}" for a, v in r.perilaku.items())
    ]
    if rated.left_out:
        notes.append(f"not counted by the policy: {', '.join(rated.left_out)}")
    if rated.others:
        notes.append(f"{rated.others} rating(s) by other rater groups not used")
    steps.append(
        Step(
            "nilai perilaku kerja",
            str(r.nilai_perilaku),
            "; ".join(notes),
            p.reference_for("pp46.perilaku"),
            id="nilai_perilaku",
        )
    )
    steps.append(
        Step(
            "nilai prestasi kerja",
            str(r.nilai_akhir),
            f"{percent(r.bobot[0])} % × nilai SKP {r.nilai_skp} + {percent(r.bobot[1])} % × nilai perilaku "
            f"{r.nilai_perilaku}",
            p.reference_for("pp46.weights"),
            id="nilai_prestasi_kerja",
        )
    )
    steps.append(
        Step(
            "sebutan",
            r.predikat.label,
            f"nilai prestasi kerja {r.nilai_akhir}: ≥ 91 Sangat Baik, 76–90 Baik, 61–75 Cukup, 51–60 Kurang, "
            f"≤ 50 Buruk (reading {pp46.sebutan.reading})",
            p.reference_for("pp46.sebutan"),
            id="sebutan",
        )
    )
    return tuple(steps)
