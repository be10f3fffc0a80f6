"""The steps of one employee's explanation under PermenPANRB 6/2022, one function per family of steps.

Each :class:`~asn_kinerja.engine.result.Step` carries a stable ``id`` for programs (``hasil_kerja.rating``,
``perilaku_kerja.group.rekan``, ``predikat`` …) and a display ``label`` for people ("rating hasil kerja",
"kelompok rekan", "predikat"); the ids are listed in :data:`STEP_IDS`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from asn_kinerja.model import PredikatOrganisasi
from asn_kinerja.yamlschema.converter import Reference

if TYPE_CHECKING:
    from asn_kinerja.engine.result import EmployeeResult, Evaluation, Step

__all__ = ["STEP_IDS", "WITHHELD_TEXT", "permenpanrb_steps"]

#: The value of a step whose figure is not published (``privacy.publish_scores``).
WITHHELD_TEXT = "withheld"

#: The ids of the PermenPANRB 6/2022 steps, in the order they appear (``perilaku_kerja.group.<group>`` once per
#: rater group shown).
STEP_IDS = (
    "hasil_kerja.capaian",
    "hasil_kerja.rating",
    "perilaku_kerja.score",
    "perilaku_kerja.group.<group>",
    "perilaku_kerja.self",
    "perilaku_kerja.citizen",
    "perilaku_kerja.rating",
    "predikat",
    "adjustment",
    "angka_kredit",
    "development",
)


def _step(step_id: str, label: str, value: str, detail: str, reference: Reference) -> Step:
    from asn_kinerja.engine.result import Step

    return Step(label, value, detail, reference, id=step_id)


def permenpanrb_steps(ev: Evaluation, row: int) -> tuple[Step, ...]:
    """The steps from the inputs to the predikat of the employee at ``row``."""
    res = ev.result(row)
    return (
        *hasil_kerja_steps(ev, row, res),
        *perilaku_score_steps(ev, row, res),
        *perilaku_rating_steps(ev, row, res),
        *outcome_steps(ev, row, res),
    )


def hasil_kerja_steps(ev: Evaluation, row: int, res: EmployeeResult) -> list[Step]:
    """The capaian (as evidence or as the suggestion's basis) and the hasil kerja rating: given, taken from the
    organisation predikat (a unit leader), or suggested."""
    p = ev.policy
    sug = ev.rules.hasil_kerja.suggestion
    rating = res.rating_hasil_kerja.label
    cap = "—" if res.capaian is None else f"{res.capaian} %"
    if ev.hasil_kerja_from_organisation[row]:
        unit = ev.dataset.units
        u = int(ev.dataset.employees.unit[row])
        org = PredikatOrganisasi.from_code(int(unit.predikat_organisasi[u])).label
        how = f"the unit leader takes the organisation predikat of {unit.id[u]} ({org}) by the policy's mapping"
        return [_step("hasil_kerja.rating", "rating hasil kerja", rating, how, p.reference_for("hasil_kerja.leader"))]
    if ev.hasil_kerja_given[row]:
        n_ind = int(np.count_nonzero(ev.dataset.indicators.employee == row))
        return [
            _step(
                "hasil_kerja.capaian",
                "capaian hasil kerja",
                cap,
                f"weighted capaian of {n_ind} indicator(s), shown as evidence",
                p.reference_for("hasil_kerja.suggestion"),
            ),
            _step(
                "hasil_kerja.rating",
                "rating hasil kerja",
                rating,
                "given by the Pejabat Penilai Kinerja",
                p.reference_for("hasil_kerja"),
            ),
        ]
    scope = "all RHK" if sug.include_tambahan else "RHK utama"
    return [
        _step(
            "hasil_kerja.capaian",
            "capaian hasil kerja",
            cap,
            f"weighted capaian of the indicators of {scope}",
            p.reference_for("hasil_kerja.suggestion"),
        ),
        _step(
            "hasil_kerja.rating",
            "rating hasil kerja",
            rating,
            f"suggested: capaian ≥ {sug.thresholds.di_atas} % Di Atas, ≥ {sug.thresholds.sesuai} % "
            "Sesuai, else Di Bawah (a suggestion, not the evaluator's rating)",
            p.reference_for("hasil_kerja.suggestion.thresholds"),
        ),
    ]


def perilaku_score_steps(ev: Evaluation, row: int, res: EmployeeResult) -> list[Step]:
    """The behaviour score, then each rater group (shown, withheld or below its minimum), the self-rating and the
    unit's citizen index."""
    p = ev.policy
    pk = ev.rules.perilaku_kerja
    score = WITHHELD_TEXT if res.scores_withheld else "—" if res.perilaku_score is None else str(res.perilaku_score)
    withheld = (
        "; not published: computed from anonymous ratings (privacy.publish_scores: when_not_anonymous)"
        if res.scores_withheld
        else ""
    )
    tendency = "mean" if pk.three_sixty is None else pk.three_sixty.central_tendency.replace("_", " ")
    weights = ", ".join(f"{g.value} {w}" for g, w in pk.weights.items() if w > 0)
    by_strategy = {"three_sixty": "perilaku_kerja.three_sixty", "citizen_weighted": "perilaku_kerja.citizen"}
    steps = [
        _step(
            "perilaku_kerja.score",
            "skor perilaku kerja",
            score,
            f"{pk.strategy}: over {len(pk.criteria)} BerAKHLAK value(s), the weighted {tendency} of the rater "
            f"groups shown (weights {weights}, re-weighted over the groups present), scale "
            f"{pk.scale.min}–{pk.scale.max}{withheld}",
            p.reference_for(by_strategy.get(pk.strategy, "perilaku_kerja.strategy")),
        )
    ]
    steps += group_steps(ev, row)
    if res.self_score is not None:
        gap = "" if res.self_gap is None else f"; self − others: {res.self_gap:+}"
        if ev._gap_withheld[row]:
            gap = "; self − others: not published (the others include anonymous raters)"
        counted = "counted" if pk.include_self else "reported, not counted"
        how = f"self-rating, {counted}{gap}"
        steps.append(
            _step("perilaku_kerja.self", "penilaian diri", str(res.self_score), how, p.reference_for("perilaku_kerja"))
        )
    citizen = ev.citizen_summary(row)
    if citizen is not None:
        value = (
            "—" if not citizen["used"] else WITHHELD_TEXT if citizen["konversi"] is None else str(citizen["konversi"])
        )
        steps.append(
            _step(
                "perilaku_kerja.citizen",
                "indeks kepuasan masyarakat",
                value,
                citizen["detail"],
                p.reference_for("perilaku_kerja.citizen"),
            )
        )
    return steps


def group_steps(ev: Evaluation, row: int) -> list[Step]:
    """One step per rater group: its score and spread, withheld (an anonymous group), or not counted (below its
    minimum)."""
    p = ev.policy
    steps = []
    for name, info in ev.group_summary(row).items():
        step_id, label = f"perilaku_kerja.group.{name}", f"kelompok {name}"
        if info["shown"] and info["score"] is None:
            how = (
                f"{info['raters']} rater(s); an anonymous group: its score and spread are not published "
                "(privacy.publish_scores: when_not_anonymous)"
            )
            steps.append(_step(step_id, label, WITHHELD_TEXT, how, p.reference_for("perilaku_kerja")))
        elif info["shown"]:
            how = (
                f"{info['raters']} rater(s); spread {info['spread']}"
                if name != "atasan"
                else "the Pejabat Penilai Kinerja"
            )
            steps.append(_step(step_id, label, str(info["score"]), how, p.reference_for("perilaku_kerja")))
        else:
            how = f"fewer raters than the minimum of {info['minimum']}: not counted and not shown"
            steps.append(_step(step_id, label, "—", how, p.reference_for("perilaku_kerja.three_sixty")))
    return steps


def perilaku_rating_steps(ev: Evaluation, row: int, res: EmployeeResult) -> list[Step]:
    """The perilaku kerja rating: given by the evaluator or suggested from the score."""
    p = ev.policy
    pk = ev.rules.perilaku_kerja
    label = res.rating_perilaku_kerja.label
    th = pk.suggestion.thresholds
    if ev.perilaku_kerja_given[row]:
        how, ref = "given by the Pejabat Penilai Kinerja", p.reference_for("perilaku_kerja")
    else:
        how = (
            f"suggested: score ≥ {th.di_atas} Di Atas, ≥ {th.sesuai} Sesuai, "
            "else Di Bawah (a suggestion, not the evaluator's rating)"
        )
        ref = p.reference_for("perilaku_kerja.suggestion.thresholds")
    return [_step("perilaku_kerja.rating", "rating perilaku kerja", label, how, ref)]


def outcome_steps(ev: Evaluation, row: int, res: EmployeeResult) -> list[Step]:
    """The predikat from the matrix, an adjustment (keberatan), angka kredit and development needs."""
    p = ev.policy
    official = (
        "the official matrix" if ev.rules.matrix.is_official() else "the policy's own matrix (not the official one)"
    )
    steps = [
        _step(
            "predikat",
            "predikat",
            res.predikat_matrix.label,
            f"{official}: hasil kerja {res.rating_hasil_kerja.label} × perilaku kerja "
            f"{res.rating_perilaku_kerja.label}",
            p.reference_for("matrix"),
        )
    ]
    if res.adjustment is not None:
        a = res.adjustment
        how = f"adjusted by {a.by} on {a.on.isoformat()} from {a.from_predikat.label}: {a.reason}"
        ref = Reference(title="PP 30/2019", article="Pasal 59 (keberatan)")
        steps.append(_step("adjustment", "penyesuaian", a.to_predikat.label, how, ref))
    if res.angka_kredit is not None:
        how = (
            f"{ev.dataset.employees.jenjang[row]}, {res.predikat.label}, {ev.dataset.period.months} month(s): "
            "months / 12 × percentage × annual coefficient, half-up to 2 decimals"
        )
        steps.append(_step("angka_kredit", "angka kredit", str(res.angka_kredit), how, p.reference_for("angka_kredit")))
    dev = p.development
    if dev is not None:
        how = f"values scored below {dev.below}" + (
            "" if dev.self_gap is None else f", or self-rated {dev.self_gap} above others"
        )
        themes = ", ".join(res.development) or "—"
        steps.append(_step("development", "kebutuhan pengembangan", themes, how, p.reference_for("development")))
    return steps
