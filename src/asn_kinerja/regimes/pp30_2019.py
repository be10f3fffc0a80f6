"""PP 30/2019: SKP with IKI (PermenPANRB 8/2021) and perilaku on the policy's scale.

Read from the same dataset format as the current regime: each indicator's capaian gives its nilai capaian IKI;
nilai SKP is their mean over the RHK utama (and the tambahan, where the policy includes them), weighted or plain;
nilai perilaku the mean over the policy's criteria of the atasan's mean and, when their opinions are considered,
the peers' and subordinates' means; nilai kinerja their weighted sum, and the ``ide_baru`` column of
evaluations.csv for Sangat Baik.

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
from asn_kinerja.model import Direction, JenisRhk, PredikatPp30, RaterGroup
from asn_kinerja.policy.model import Policy
from asn_kinerja.policy.numeric import Pp30Rules, rounding_of
from asn_kinerja.regimes import Regime
from asn_kinerja.regimes._numeric import Context, NumericPolicy, evaluate_each, plain, register_numeric
from asn_kinerja.regimes._sections import section
from asn_kinerja.rules import pp30_2019 as rules

if TYPE_CHECKING:
    from asn_kinerja.dataset import Dataset

__all__ = ["ID", "REGIME", "Pp30Policy", "evaluate_pp30", "rules"]

ID = "pp-30-2019"


@attrs.frozen(kw_only=True, repr=False)
class Pp30Policy(NumericPolicy):
    """A policy of the PP 30/2019 regime (what :func:`asn_kinerja.load_policy` gives for it): its ``pp30``
    section holds the capaian bands, what counts in nilai SKP and how, the perilaku criteria, scale and peer
    input, the weights with and without peers, and the rounding."""

    @property
    def rules(self) -> Pp30Rules:
        """The regime's section, present."""
        return section(self.pp30, self.id, ID, "pp30")


_PEERS = (RaterGroup.REKAN, RaterGroup.BAWAHAN)


def evaluate_pp30(policy: Pp30Policy, dataset: Dataset) -> NumericEvaluation:
    """The regime's evaluator: every employee of ``dataset`` under a PP 30/2019 ``policy`` (see
    :func:`~asn_kinerja.engine.numeric.evaluate_numeric`)."""
    pp30 = policy.rules
    scale = pp30.perilaku.scale
    return evaluate_each(
        policy, dataset, (scale.min, scale.max), "pp30.perilaku.scale", lambda cx, row: _employee(cx, pp30, row)
    )


REGIME: Regime[Pp30Policy, NumericEvaluation] = register_numeric(ID, "PP 30/2019", "pp30", Pp30Policy, evaluate_pp30)


@attrs.frozen
class _GroupRatings:
    """An employee's ratings on the policy's criteria by the groups PP 30/2019 considers: the scores by (group
    code, criterion), whether peers or subordinates rated, and how many ratings by other groups were left out."""

    by: dict[tuple[int, int], list[Decimal]]
    peers_rated: bool
    others: int


def _employee(cx: Context, pp30: Pp30Rules, row: int) -> NumericResult | None:
    """One employee's result: nilai SKP from the IKI, nilai perilaku from the groups' ratings, nilai kinerja and
    its predikat (None, with the problems, where they cannot be computed)."""
    mode = rounding_of(pp30.rounding)
    before = len(cx.problems)
    iki = [found for i in cx.ind_rows[row] if (found := _iki(cx, pp30, i, mode)) is not None]
    counted = [x for x in iki if x.counted]
    if not counted and len(cx.problems) == before:
        scope = "an RHK" if pp30.skp.tambahan == "include" else "an RHK utama"
        cx.employee_problem(row, "indicators", "rhk_id", f"no indicator of {scope} to compute nilai SKP from")
    criteria = list(pp30.perilaku.criteria)
    rated = _group_ratings(cx, criteria, row)
    peer = {"data": rated.peers_rated, "with_peers": True, "without_peers": False}[pp30.perilaku.peer_input]
    groups = [RaterGroup.ATASAN, *(_PEERS if peer else ())]
    assessed = _aspect_scores(rated.by, groups, criteria)
    if not assessed and len(cx.problems) == before:
        names = ", ".join(g.value for g in groups)
        message = f"no rating by {names} on {', '.join(criteria)} to compute nilai perilaku"
        cx.employee_problem(row, "ratings", "criterion", message)
    if len(cx.problems) != before:
        return None
    skp_weights = [x.weight if pp30.skp.weighting == "weight" else Decimal(1) for x in counted]
    nilai_skp = round_to(weighted_mean_exact([Fraction(x.nilai) for x in counted], skp_weights), 2, mode)
    nilai_perilaku = round_to(sum(assessed.values(), Fraction(0)) / len(assessed), 2, mode)
    bobot = (pp30.weights.with_peers if peer else pp30.weights.without_peers).pair
    akhir = rules.nilai_kinerja(nilai_skp, nilai_perilaku, peer_input=peer, weights=bobot, rounding=mode)
    emp = cx.ds.employees
    ide_baru = bool(emp.ide_baru[row]) if emp.ide_baru is not None else False
    result = cx.result(
        row,
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
        predikat=PredikatPp30.parse(rules.predikat(akhir, ide_baru=ide_baru)),
        steps=(),
    )
    return attrs.evolve(result, steps=_steps(cx.policy, pp30, result, groups, rated))


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


def _group_ratings(cx: Context, criteria: list[str], row: int) -> _GroupRatings:
    """The ratings of the employee at ``row`` on ``criteria`` by the atasan, peers and subordinates; a problem for
    an unknown criterion."""
    rt = cx.ds.ratings
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
    return _GroupRatings(by, peers_rated, others)


def _steps(
    p: Policy, pp30: Pp30Rules, r: NumericResult, groups: list[RaterGroup], rated: _GroupRatings
) -> tuple[Step, ...]:
    """The explanation of a result: each IKI, nilai SKP, nilai perilaku, nilai kinerja, predikat."""
    steps: list[Step] = []
    places = pp30.capaian.places
    for x in r.iki:
        how = f"capaian {x.capaian} %" + (" (lower is better)" if x.direction is Direction.LOWER_IS_BETTER else "")
        how += " → nilai from the bands" + (" on the exact capaian" if places is None else "")
        how += f" (gaps {pp30.capaian.gaps})"
        if not x.counted:
            how += "; RHK tambahan, not counted in nilai SKP (pp30.skp.tambahan: exclude)"
        ref = p.reference_for("pp30.capaian")
        steps.append(Step(f"nilai capaian IKI {x.indicator_id}", str(x.nilai), how, ref, id=f"iki.{x.indicator_id}"))
    scope = "RHK utama and tambahan" if pp30.skp.tambahan == "include" else "RHK utama"
    mean = "weighted by the indicator weight" if pp30.skp.weighting == "weight" else "a plain mean"
    counted = sum(1 for x in r.iki if x.counted)
    skp = f"mean of the nilai of {counted} indicator(s) of {scope}, {mean}"
    steps.append(Step("nilai SKP", str(r.nilai_skp), skp, p.reference_for("pp30.skp"), id="nilai_skp"))
    shown = ", ".join(f"{a} {v}" for a, v in r.perilaku.items())
    names = " and ".join(g.value for g in groups)
    detail = f"mean of {len(r.perilaku)} aspect(s), each the mean of the {names} means: {shown}"
    if rated.others:
        detail += f"; {rated.others} rating(s) by other groups not used"
    if rated.peers_rated and not r.peer_input:
        detail += "; peers' and subordinates' ratings not considered (pp30.perilaku.peer_input: without_peers)"
    ref = p.reference_for("pp30.perilaku")
    steps.append(Step("nilai perilaku kerja", str(r.nilai_perilaku), detail, ref, id="nilai_perilaku"))
    considered = "considers" if r.peer_input else "without"
    steps.append(
        Step(
            "nilai kinerja",
            str(r.nilai_akhir),
            f"{percent(r.bobot[0])} % × nilai SKP {r.nilai_skp} + {percent(r.bobot[1])} % × nilai perilaku "
            f"{r.nilai_perilaku} (perilaku {considered} peers' and subordinates' opinions)",
            p.reference_for("pp30.weights"),
            id="nilai_kinerja",
        )
    )
    steps.append(
        Step(
            "predikat",
            r.predikat.label,
            f"nilai kinerja {r.nilai_akhir}, ide baru {'yes' if r.ide_baru else 'no'}: Sangat Baik needs ≥ 110 and "
            "an ide baru; ≥ 90 Baik, ≥ 70 Cukup, ≥ 50 Kurang, else Sangat Kurang",
            p.reference_for("pp30"),
            id="predikat",
        )
    )
    return tuple(steps)
