"""PP 30/2019: SKP with IKI (PermenPANRB 8/2021) and perilaku on the policy's scale.

Its rules are :mod:`asn_kinerja.rules.pp30_2019` (re-exported here as ``rules``), its policies load as
:class:`Pp30Policy` (the ``pp30`` section present, typed so), its evaluator is
:func:`evaluate_pp30` and its result a :class:`~asn_kinerja.NumericEvaluation`.

>>> from asn_kinerja import load_policy
>>> type(load_policy("pp-30-2019")).__name__
'Pp30Policy'
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs
import numpy as np

from asn_kinerja._numbers import Rounding, round_to
from asn_kinerja.engine.exact import decimal_of, weighted_mean_exact
from asn_kinerja.engine.numeric import IkiResult, NumericEvaluation, NumericResult, percent
from asn_kinerja.engine.result import Step
from asn_kinerja.errors import Problem
from asn_kinerja.model import Direction, JenisJabatan, JenisRhk, PredikatPp30, RaterGroup
from asn_kinerja.policy.model import Policy
from asn_kinerja.policy.numeric import Pp30Rules, rounding_of
from asn_kinerja.regimes import Regime
from asn_kinerja.regimes._numeric import (
    Context,
    NumericPolicy,
    check_common,
    check_scale,
    finish,
    plain,
    register_numeric,
)
from asn_kinerja.regimes._sections import section
from asn_kinerja.rules import pp30_2019 as rules

if TYPE_CHECKING:
    from asn_kinerja.dataset import Dataset

__all__ = ["ID", "REGIME", "Pp30Policy", "evaluate_pp30", "rules"]

ID = "pp-30-2019"


@attrs.frozen(kw_only=True, repr=False)
class Pp30Policy(NumericPolicy):
    """A policy of the PP 30/2019 regime (what :func:`asn_kinerja.load_policy` gives for it)."""

    @property
    def rules(self) -> Pp30Rules:
        """The regime's section, present."""
        return section(self.pp30, self.id, ID, "pp30")


def _evaluate(policy: Pp30Policy, dataset: Dataset) -> NumericEvaluation:
    return evaluate_pp30(policy, policy.rules, dataset)


REGIME: Regime[Pp30Policy, NumericEvaluation] = register_numeric(ID, "PP 30/2019", "pp30", Pp30Policy, _evaluate)


_PEERS = (RaterGroup.REKAN, RaterGroup.BAWAHAN)


def evaluate_pp30(policy: Policy, pp30: Pp30Rules, dataset: Dataset) -> NumericEvaluation:
    """Evaluate every employee of ``dataset`` under a PP 30/2019 ``policy`` with its ``pp30`` section
    (the regime's evaluator: see :func:`evaluate_numeric`)."""
    cx = Context(policy, dataset)
    check_common(cx)
    check_scale(cx, pp30.perilaku.scale.min, pp30.perilaku.scale.max, "pp30.perilaku.scale")
    return finish(cx, [_pp30_employee(cx, pp30, row) for row in range(len(dataset.employees))])


def _iki(cx: Context, pp30: Pp30Rules, i: int, mode: Rounding) -> IkiResult | None:
    ds = cx.ds
    ind = ds.indicators
    jenis = JenisRhk.from_code(int(ds.rhk.jenis[ind.rhk[i]]))
    counted = jenis is JenisRhk.UTAMA or pp30.skp.tambahan == "include"
    if np.isnan(ind.realisasi[i]):
        if counted:
            cx.indicator_problem(i, "realisasi", "a value is required to compute nilai capaian IKI")
        return None
    low, high = decimal_of(ind.target_low[i]), decimal_of(ind.target_high[i])
    target: Decimal | tuple[Decimal, Decimal] = low if low == high else (low, high)
    realisasi = decimal_of(ind.realisasi[i])
    lower = bool(ind.direction[i] == Direction.LOWER_IS_BETTER.code)
    places = pp30.capaian.places
    capaian = rules.capaian_iki(
        realisasi, target, lower_is_better=lower, places=2 if places is None else places, rounding=mode
    )
    basis = (
        capaian
        if places is not None
        else rules.capaian_iki(realisasi, target, lower_is_better=lower, rounding=mode, exact=True)
    )
    return IkiResult(
        indicator_id=str(ind.id[i]),
        rhk_id=str(ds.rhk.id[ind.rhk[i]]),
        jenis=jenis,
        text=str(ind.text[i]),
        direction=Direction.LOWER_IS_BETTER if lower else Direction.HIGHER_IS_BETTER,
        capaian=capaian,
        nilai=rules.nilai_capaian_iki(basis, gaps=pp30.capaian.gaps, rounding=mode),
        weight=plain(ind.weight[i]),
        counted=counted,
    )


def _aspect_scores(
    by: Mapping[tuple[int, int], list[Decimal]], groups: list[RaterGroup], criteria: list[str]
) -> dict[str, Fraction]:
    """Each criterion's score, exactly: the mean of the means of the counted groups that rated it [U]."""
    out: dict[str, Fraction] = {}
    for c, name in enumerate(criteria):
        means = [Fraction(sum(got, Decimal(0))) / len(got) for g in groups if (got := by.get((g.code, c)))]
        if means:
            out[name] = sum(means, Fraction(0)) / len(means)
    return out


def _pp30_employee(cx: Context, pp30: Pp30Rules, row: int) -> NumericResult | None:
    ds = cx.ds
    p = cx.policy
    emp_id = cx.emp_id(row)
    mode = rounding_of(pp30.rounding)
    before = len(cx.problems)

    iki = [found for i in cx.ind_rows[row] if (found := _iki(cx, pp30, i, mode)) is not None]
    counted = [x for x in iki if x.counted]
    if not counted and len(cx.problems) == before:
        scope = "an RHK" if pp30.skp.tambahan == "include" else "an RHK utama"
        cx.problems.append(
            Problem(
                f"no indicator of {scope} to compute nilai SKP from", source="indicators", record=emp_id, field="rhk_id"
            )
        )

    criteria = list(pp30.perilaku.criteria)
    rt = ds.ratings
    by: dict[tuple[int, int], list[Decimal]] = {}
    peers_rated = False
    others = 0
    for i in cx.rating_rows[row]:
        name = str(rt.criterion[i])
        group = RaterGroup.from_code(int(rt.group[i]))
        if name not in criteria:
            cx.rating_problem(i, "criterion", f"unknown criterion {name!r} (the policy rates {', '.join(criteria)})")
        elif group is RaterGroup.ATASAN or group in _PEERS:
            by.setdefault((group.code, criteria.index(name)), []).append(decimal_of(rt.score[i]))
            peers_rated = peers_rated or group in _PEERS
        else:
            others += 1
    peer = {"data": peers_rated, "with_peers": True, "without_peers": False}[pp30.perilaku.peer_input]
    groups = [RaterGroup.ATASAN, *(_PEERS if peer else ())]
    assessed = _aspect_scores(by, groups, criteria)
    if not assessed and len(cx.problems) == before:
        cx.problems.append(
            Problem(
                f"no rating by {', '.join(g.value for g in groups)} on {', '.join(criteria)} to compute nilai perilaku",
                source="ratings",
                record=emp_id,
                field="criterion",
            )
        )
    if len(cx.problems) != before:
        return None

    skp_weights = [x.weight if pp30.skp.weighting == "weight" else Decimal(1) for x in counted]
    nilai_skp = round_to(weighted_mean_exact([Fraction(x.nilai) for x in counted], skp_weights), 2, mode)
    nilai_perilaku = round_to(sum(assessed.values(), Fraction(0)) / len(assessed), 2, mode)
    bobot = (pp30.weights.with_peers if peer else pp30.weights.without_peers).pair
    akhir = rules.nilai_kinerja(nilai_skp, nilai_perilaku, peer_input=peer, weights=bobot, rounding=mode)
    emp = ds.employees
    ide_baru = bool(emp.ide_baru[row]) if emp.ide_baru is not None else False
    predikat = PredikatPp30.parse(rules.predikat(akhir, ide_baru=ide_baru))

    steps: list[Step] = []
    places = pp30.capaian.places
    for x in iki:
        how = f"capaian {x.capaian} %" + (" (lower is better)" if x.direction is Direction.LOWER_IS_BETTER else "")
        how += " → nilai from the bands" + (" on the exact capaian" if places is None else "")
        how += f" (gaps {pp30.capaian.gaps})"
        if not x.counted:
            how += "; RHK tambahan, not counted in nilai SKP (pp30.skp.tambahan: exclude)"
        steps.append(Step(f"nilai capaian IKI {x.indicator_id}", str(x.nilai), how, p.reference_for("pp30.capaian")))
    scope = "RHK utama and tambahan" if pp30.skp.tambahan == "include" else "RHK utama"
    mean = "weighted by the indicator weight" if pp30.skp.weighting == "weight" else "a plain mean"
    steps.append(
        Step(
            "nilai SKP",
            str(nilai_skp),
            f"mean of the nilai of {len(counted)} indicator(s) of {scope}, {mean}",
            p.reference_for("pp30.skp"),
        )
    )
    shown = ", ".join(f"{a} {round_to(v, 2, mode)}" for a, v in assessed.items())
    names = " and ".join(g.value for g in groups)
    detail = f"mean of {len(assessed)} aspect(s), each the mean of the {names} means: {shown}"
    if others:
        detail += f"; {others} rating(s) by other groups not used"
    if peers_rated and not peer:
        detail += "; peers' and subordinates' ratings not considered (pp30.perilaku.peer_input: without_peers)"
    steps.append(Step("nilai perilaku kerja", str(nilai_perilaku), detail, p.reference_for("pp30.perilaku")))
    considered = "considers" if peer else "without"
    steps.append(
        Step(
            "nilai kinerja",
            str(akhir),
            f"{percent(bobot[0])} % × nilai SKP {nilai_skp} + {percent(bobot[1])} % × nilai perilaku {nilai_perilaku} "
            f"(perilaku {considered} peers' and subordinates' opinions)",
            p.reference_for("pp30.weights"),
        )
    )
    steps.append(
        Step(
            "predikat",
            predikat.label,
            f"nilai kinerja {akhir}, ide baru {'yes' if ide_baru else 'no'}: Sangat Baik needs ≥ 110 and an ide baru; "
            "≥ 90 Baik, ≥ 70 Cukup, ≥ 50 Kurang, else Sangat Kurang",
            p.reference_for("pp30"),
        )
    )
    return NumericResult(
        employee_id=emp_id,
        name=str(emp.name[row]),
        unit_id=str(ds.units.id[emp.unit[row]]),
        jenis_jabatan=JenisJabatan.from_code(int(emp.jenis_jabatan[row])),
        regime=p.regime,
        kegiatan=(),
        iki=tuple(iki),
        tugas_tambahan=0,
        nilai_skp=nilai_skp,
        perilaku={a: round_to(v, 2, mode) for a, v in assessed.items()},
        nilai_perilaku=nilai_perilaku,
        peer_input=peer,
        bobot=bobot,
        nilai_akhir=akhir,
        ide_baru=ide_baru,
        predikat=predikat,
        steps=tuple(steps),
    )
