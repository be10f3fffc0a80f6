"""Privacy: an adversarial suite that tries to recover one anonymous rater's rating — a peer's, a subordinate's, a
service user's, a rating in the pool of groups below their minimum, a citizen survey respondent's — from every
published output, and fails under the default policy.

The attacker sees everything the library publishes: every public attribute and every public method without
arguments of the evaluation, of each employee's result and of comparisons and sweeps built on it (to_dict, to_json,
to_csv, to_table, to_frame, arrays, _repr_html_, explain, units, …; :func:`published` walks them all), and may
obtain the outputs of two runs that differ in one rater only: with and without that rater (the *differencing*
attack: with four peers, ``4 × m4 − 3 × m3`` is the fourth peer's rating), or with that rater's rating changed.

What the library promises (docs/privacy.md), and what these tests check:

- under ``privacy.publish_scores: when_not_anonymous`` (the default), a change of one anonymous rating that flips no
  level (a rating, a predikat, a development need, a survey's mutu) changes **no byte** of any published output —
  so a pair of runs with and without the rater reads the same whatever the rater gave;
- where a level does flip, the outputs are still a function of the levels alone: one bit per level, never the
  rating;
- with ``publish_scores: always`` the same attacks recover the rating exactly (the suite has teeth).
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import math
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest

import asn_kinerja
from asn_kinerja import Comparison, Evaluation, compare, evaluate, from_records, load_policy, sweep
from asn_kinerja.model import (
    BERAKHLAK,
    Employee,
    Indicator,
    JenisJabatan,
    Period,
    PredikatOrganisasi,
    RaterGroup,
    RatingRecord,
    Realisasi,
    RencanaHasilKerja,
    Target,
    Unit,
)

pytest.importorskip("pandas")  # to_frame is one of the outputs attacked

PERIOD = Period("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31))
#: Every anonymous rater group with a weight and a minimum of three; the atasan weighs 0.4.
THREE_SIXTY = """\
id: privacy-360
title: 360 degrees with every anonymous group
extends: permenpanrb-6-2022
perilaku_kerja:
  strategy: three_sixty
  weights: {atasan: 0.4, rekan: 0.2, bawahan: 0.2, pengguna_layanan: 0.2}
  three_sixty:
    min_raters: {rekan: 3, bawahan: 3, pengguna_layanan: 3}
    below_minimum: BELOW
    central_tendency: mean
"""
CITIZEN = """\
id: privacy-citizen
title: The unit's citizen satisfaction index weighs 20 %
extends: permenpanrb-6-2022
perilaku_kerja:
  strategy: citizen_weighted
  citizen: {weight: 0.2, applies_to: [overall], min_respondents: 5}
"""
WEIGHTS = {"atasan": 0.4, "rekan": 0.2, "bawahan": 0.2, "pengguna_layanan": 0.2}


# --- the data: one employee E rated by the supervisor, four peers, four subordinates and four service users --------


def agency(
    *,
    peers: Sequence[str] = ("4", "4", "4"),
    subs: Sequence[str] = ("4", "4", "4"),
    users: Sequence[str] = ("4", "4", "4"),
    survey: Sequence[Sequence[int]] = (),
) -> asn_kinerja.Dataset:
    """E (a functional official, so that angka kredit is published) reports to BOS; P0…P3 are BOS's staff and E's
    peers, S0…S3 report to E, C0…C3 are service users; everyone but E and F has evaluator-given ratings. F, rated by
    BOS alone at 3.95, ties with E but for the behaviour score, which orders them in the rank agreement of a
    comparison. The staff are the same whatever ratings are given: two datasets differ in their ratings (and
    survey) only."""
    people = [Employee("BOS", "Atasan", "U", JenisJabatan.JA)]
    people += [Employee("E", "Pegawai", "U", JenisJabatan.JF, "ahli_pertama", "BOS")]
    people += [Employee("F", "Pembanding", "U", JenisJabatan.JF, "ahli_pertama", "BOS")]
    people += [Employee(f"P{i}", f"Rekan {i}", "U", JenisJabatan.JA, None, "BOS") for i in range(4)]
    people += [Employee(f"S{i}", f"Staf {i}", "U", JenisJabatan.JA, None, "E") for i in range(4)]
    scores = [RatingRecord("E", "BOS", RaterGroup.ATASAN, c, Decimal(4)) for c in BERAKHLAK]
    scores += [RatingRecord("F", "BOS", RaterGroup.ATASAN, c, Decimal("3.95")) for c in BERAKHLAK]
    scores += [RatingRecord("E", "E", RaterGroup.DIRI, c, Decimal(4)) for c in BERAKHLAK]
    for group, prefix, given in (
        (RaterGroup.REKAN, "P", peers),
        (RaterGroup.BAWAHAN, "S", subs),
        (RaterGroup.PENGGUNA_LAYANAN, "C", users),
    ):
        scores += [
            RatingRecord("E", f"{prefix}{i}", group, c, Decimal(s)) for i, s in enumerate(given) for c in BERAKHLAK
        ]
    return from_records(
        agency="Uji privasi",
        period=PERIOD,
        units=[Unit("U", "Unit layanan", predikat_organisasi=PredikatOrganisasi.BAIK, service_unit=True)],
        employees=people,
        rhk=[RencanaHasilKerja(f"R-{p.id}", p.id, "Hasil") for p in people],
        indicators=[Indicator(f"I-{p.id}", f"R-{p.id}", "Dokumen", Target.value(Decimal(10))) for p in people],
        realisasi=[Realisasi(f"I-{p.id}", Decimal(10)) for p in people],
        ratings=scores,
        evaluations={p.id: ("sesuai", "sesuai") for p in people if p.id not in ("E", "F")}
        | {"E": ("di_atas", None), "F": ("di_atas", None)},
        surveys={"U": [list(answers) for answers in survey]} if survey else None,
    )


def policy(text: str, publish: str = "when_not_anonymous", below: str = "drop", extra: str = "") -> str:
    return text.replace("BELOW", below) + extra + f"privacy: {{publish_scores: {publish}}}\n"


@attrs.frozen
class Target_:
    """One anonymous rater to attack: the policy, and the dataset with their rating ``x`` (or without them)."""

    name: str
    policy: Callable[[str], str]
    data: Callable[[str | None], asn_kinerja.Dataset]
    values: tuple[str, str]


def _group(group: str) -> Callable[[str | None], asn_kinerja.Dataset]:
    def make(x: str | None) -> asn_kinerja.Dataset:
        fourth = () if x is None else (x,)
        return agency(**{group: ("4", "4", "4", *fourth)})  # type: ignore[arg-type]

    return make


def _pooled(x: str | None) -> asn_kinerja.Dataset:
    # Two peers and one subordinate: both groups below their minimum of three, pooled into three raters.
    return agency(peers=("4",) if x is None else ("4", x), subs=("4",), users=())


def _survey(x: str | None) -> asn_kinerja.Dataset:
    # Nine respondents answering 2 and the tenth answering x: the index stays in mutu D whatever the tenth says.
    answers = [[2] * 9] * 9 + ([] if x is None else [[int(x)] * 9])
    return agency(survey=answers)


TARGETS = {
    "peer": Target_("peer", lambda p: policy(THREE_SIXTY, p), _group("peers"), ("1", "5")),
    "subordinate": Target_("subordinate", lambda p: policy(THREE_SIXTY, p), _group("subs"), ("1", "5")),
    "service user": Target_("service user", lambda p: policy(THREE_SIXTY, p), _group("users"), ("1", "5")),
    "pooled peer": Target_("pooled peer", lambda p: policy(THREE_SIXTY, p, below="pool"), _pooled, ("1", "5")),
    "survey respondent": Target_("survey respondent", lambda p: policy(CITIZEN, p), _survey, ("1", "4")),
}


# --- everything published ---------------------------------------------------------------------------------------

#: The inputs, not outputs: the dataset holds every individual rating (docs/privacy.md, "The inputs").
INPUTS = frozenset({"dataset", "policy"})


def _needs_arguments(method: Callable[..., Any]) -> bool:
    try:
        parameters = inspect.signature(method).parameters.values()
    except (TypeError, ValueError):
        return True
    return any(p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters)


def render(value: Any) -> str:
    """A value as deterministic text: arrays with their dtype, frames as CSV, nested outputs walked."""
    if isinstance(value, np.ndarray):
        return f"{value.dtype}{value.shape}{value.tolist()!r}"
    if type(value).__name__ == "DataFrame":
        return str(value.to_csv())
    if isinstance(value, Evaluation | Comparison | asn_kinerja.Sweep | asn_kinerja.EmployeeResult):
        return json.dumps(published(value), sort_keys=True)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{render(k)}: {render(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple) and not attrs.has(type(value)):
        return "[" + ", ".join(render(v) for v in value) + "]"
    text = repr(value)
    assert " at 0x" not in text, f"not a deterministic rendering: {text}"
    return text


def published(obj: Any) -> dict[str, str]:
    """Every public attribute and every public method callable without arguments of ``obj`` (and ``_repr_html_``),
    rendered; for an evaluation also each employee's result and the row-wise methods, row by row."""
    out: dict[str, str] = {}
    for name in dir(obj):
        if (name.startswith("_") and name != "_repr_html_") or name in INPUTS:
            continue
        value = getattr(obj, name)
        if inspect.isclass(value):
            continue
        if callable(value):
            if _needs_arguments(value):
                continue
            value = value()
        out[name] = render(value)
    if isinstance(obj, Evaluation):
        for row in range(len(obj)):
            result = obj.result(row)
            out[f"result {row}"] = render(result)
            out[f"group_summary {row}"] = render(obj.group_summary(row))
            out[f"citizen_summary {row}"] = render(obj.citizen_summary(row))
            out[f"explain {row}"] = str(result.explain()) + render(result.explain().to_list())
        out["iteration"] = render(list(obj))
    return out


def everything(policy_text: str, data: asn_kinerja.Dataset, folder: Path) -> dict[str, str]:
    """Every output an attacker may see of one run: the evaluation, comparisons with the built-in baseline both
    ways, and a sweep of the policy (each walked by :func:`published`)."""
    path = folder / "policy.yaml"
    path.write_text(policy_text, encoding="utf-8")
    chosen = load_policy(path)
    result = evaluate(chosen, data)
    out = {f"evaluation.{k}": v for k, v in published(result).items()}
    out |= {
        f"compare(baseline, policy).{k}": v for k, v in published(compare("permenpanrb-6-2022", chosen, data)).items()
    }
    out |= {
        f"compare(policy, baseline).{k}": v for k, v in published(compare(chosen, "permenpanrb-6-2022", data)).items()
    }
    swept = sweep(path, data, key="perilaku_kerja.suggestion.thresholds.di_atas", values=["4.4", "4.6"])
    out |= {f"sweep.{k}": v for k, v in published(swept).items()}
    return out


def levels(result: Evaluation) -> list[Any]:
    """What the outputs may reveal of a withheld score: the levels it leads to (ratings, predikat, development
    needs, the survey's mutu) — read from the published results."""
    out: list[Any] = []
    for r in result:
        citizen = r.to_dict()["citizen"]
        out.append((r.rating_perilaku_kerja, r.predikat, r.development, None if citizen is None else citizen["mutu"]))
    return out


# --- (a) one run, (b) two runs differing in one rating: no byte reveals it -----------------------------------------


@pytest.mark.parametrize("who", list(TARGETS))
def test_changing_one_anonymous_rating_changes_no_published_byte(who: str, tmp_path: Path) -> None:
    target = TARGETS[who]
    text = target.policy("when_not_anonymous")
    low_data, high_data = (target.data(x) for x in target.values)
    low_result, high_result = (evaluate(asn_kinerja.load_policy_text(text), d) for d in (low_data, high_data))
    assert levels(low_result) == levels(high_result)  # no level flips: the case the promise covers
    assert low_result["E"].scores_withheld
    low, high = everything(text, low_data, tmp_path), everything(text, high_data, tmp_path)
    assert low.keys() == high.keys()
    # The walk reached every output (a guard against comparing nothing).
    for output in (
        "to_json",
        "to_csv",
        "to_table",
        "to_frame",
        "arrays",
        "_repr_html_",
        "units_to_table",
        "report",
        "explain 1",
    ):
        assert f"evaluation.{output}" in low, output
    assert {
        "compare(baseline, policy).to_json",
        "compare(policy, baseline).to_frame",
        "compare(policy, baseline).report",
        "sweep.to_table",
    } <= low.keys()
    differing = [name for name in low if low[name] != high[name]]
    assert not differing, f"{who}: {target.values[0]} vs {target.values[1]} shows in {differing}"


@pytest.mark.parametrize("who", list(TARGETS))
def test_with_and_without_one_rater_the_pair_is_the_same_whatever_they_gave(who: str, tmp_path: Path) -> None:
    """The differencing attack compares a run with the rater and a run without: the run with the rater reads the
    same whatever they gave, so the pair (with, without) carries nothing of their rating — only that they rated."""
    target = TARGETS[who]
    text = target.policy("when_not_anonymous")
    without = everything(text, target.data(None), tmp_path)
    pairs = []
    for x in target.values:
        with_ = everything(text, target.data(x), tmp_path)
        pairs.append({name: (with_[name], without[name]) for name in with_})
    assert pairs[0] == pairs[1]
    # The removal itself is visible (a rater more, or a group or survey that counts): the test could see a difference.
    assert any(a != b for a, b in pairs[0].values())


def test_outputs_are_a_function_of_the_levels_alone(tmp_path: Path) -> None:
    """Where the peer's rating does flip a level — thresholds set finely around the score — the outputs of all
    ratings with the same levels are identical: a flip tells on which side of a threshold the score lies, one bit
    per level, never the rating."""
    text = policy(
        THREE_SIXTY,
        extra="  suggestion: {thresholds: {di_atas: 3.95, sesuai: 3}}\ndevelopment: {below: 3.9}\n",
    )
    by_levels: dict[str, set[str]] = {}
    for x in [str(Decimal(v) / 2) for v in range(2, 11)]:  # 1, 1.5, …, 5
        data = TARGETS["peer"].data(x)
        key = repr(levels(evaluate(asn_kinerja.load_policy_text(text), data)))
        snapshot = json.dumps(everything(text, data, tmp_path), sort_keys=True)
        by_levels.setdefault(key, set()).add(snapshot)
    assert len(by_levels) == 3  # development need below 2; Sesuai below 3; Di Atas from 3
    assert all(len(snapshots) == 1 for snapshots in by_levels.values())


def test_no_public_attribute_holds_the_engine_cells() -> None:
    result = evaluate(asn_kinerja.load_policy_text(TARGETS["peer"].policy("when_not_anonymous")), agency())
    assert not hasattr(result, "behaviour")
    assert not hasattr(result, "citizen_units")
    assert result.perilaku_scaled.flags.writeable is False
    assert result.scores_withheld.flags.writeable is False
    with pytest.raises(ValueError, match="read-only"):
        result.scores_withheld[:] = False


def test_the_supervisor_and_the_employee_are_not_anonymous() -> None:
    """Figures from the atasan alone, or from the employee's own rating, stay published: the atasan's rating is the
    evaluator's accountable judgement."""
    data = agency(peers=("1", "5"), subs=(), users=())  # two peers: below the minimum, dropped
    r = evaluate(asn_kinerja.load_policy_text(policy(THREE_SIXTY)), data)["E"]
    assert (r.perilaku_score, r.self_score, r.self_gap, r.scores_withheld) == (
        Decimal("4.00"),
        Decimal("4.00"),
        Decimal("0.00"),
        False,
    )
    r = evaluate(asn_kinerja.load_policy_text(policy(THREE_SIXTY)), agency())["E"]  # three of each group
    groups = r.to_dict()["perilaku_groups"]
    assert groups["atasan"]["score"] == "4.00"
    assert [groups[g]["score"] for g in ("rekan", "bawahan", "pengguna_layanan")] == [None, None, None]
    assert (r.self_score, r.self_gap) == (Decimal("4.00"), None)


def test_the_built_in_policy_publishes_every_score() -> None:
    bungo = asn_kinerja.load_dataset(Path(__file__).resolve().parents[1] / "examples" / "bungo" / "data")
    result = evaluate(load_policy("permenpanrb-6-2022"), bungo)
    assert not result.scores_withheld.any()
    assert np.array_equal(result.perilaku_scaled, result._perilaku_scaled)  # the published figures are the figures


# --- the attacks, and publish_scores: always ---------------------------------------------------------------------


class Withheld(Exception):
    """The figure the attack needs is not published."""


def _number(value: object) -> float:
    if value is None or value == "withheld" or (isinstance(value, float) and math.isnan(value)):
        raise Withheld
    return float(str(value))


def _employee(result: Evaluation) -> dict[str, Any]:
    employees: list[dict[str, Any]] = json.loads(result.to_json())["employees"]
    return next(e for e in employees if e["employee_id"] == "E")


def _group_score(result: Evaluation, group: str) -> tuple[int, float]:
    info = _employee(result)["perilaku_groups"][group]
    return info["raters"], _number(info["score"])


def _row(result: Evaluation) -> int:
    return int(result.dataset.employee_row("E"))


Attack = Callable[[Evaluation, Evaluation, str], float]


def from_group_score(with_: Evaluation, without: Evaluation, group: str) -> float:
    """to_json: n × the group's score with the rater − (n − 1) × without."""
    n, m = _group_score(with_, group)
    n_before, m_before = _group_score(without, group)
    return n * m - n_before * m_before


def from_explain(with_: Evaluation, without: Evaluation, group: str) -> float:
    """explain(): the value of the step ``kelompok <group>``, differenced."""

    def step(result: Evaluation) -> tuple[int, float]:
        found = next(s for s in result["E"].explain() if s.label == f"kelompok {group}")
        return int(found.detail.split(" ")[0]), _number(found.value)

    (n, m), (n_before, m_before) = step(with_), step(without)
    return n * m - n_before * m_before


def _through_score(score: Callable[[Evaluation], float]) -> Attack:
    """From a behaviour score s (a weighted mean over the groups): the group moves by (s − s′) / weight, and the
    rater's rating is the group's value before plus n × that move."""

    def attack(with_: Evaluation, without: Evaluation, group: str) -> float:
        n, _ = _group_score(with_, group)
        _, before = _group_score(without, group)
        return before + n * (score(with_) - score(without)) / WEIGHTS[group]

    return attack


TEETH: dict[str, Attack] = {
    "group score (to_json)": from_group_score,
    "explain": from_explain,
    "perilaku_score (result)": _through_score(lambda r: _number(r["E"].perilaku_score)),
    "self_gap (self − others)": _through_score(lambda r: _number(r["E"].self_score) - _number(r["E"].self_gap)),
    "arrays()": _through_score(lambda r: _number(r.arrays()["perilaku_score"][_row(r)])),
    "to_frame()": _through_score(lambda r: _number(r.to_frame()["perilaku_score"][_row(r)])),
    "to_csv()": _through_score(
        lambda r: _number(next(x for x in r.rows() if x["employee_id"] == "E")["perilaku_score"] or None)
    ),
    "comparison to_frame": _through_score(
        lambda r: _number(
            Comparison.of(evaluate(load_policy("permenpanrb-6-2022"), r.dataset), r)  # type: ignore[arg-type]
            .to_frame()
            .set_index("employee_id")
            .loc["E", "perilaku_score_b"]
        )
    ),
}


def run(text: str, data: asn_kinerja.Dataset) -> Evaluation:
    result = evaluate(asn_kinerja.load_policy_text(text), data)
    assert isinstance(result, Evaluation)
    return result


@pytest.mark.parametrize("group", ["rekan", "bawahan", "pengguna_layanan"])
@pytest.mark.parametrize("attack", list(TEETH))
def test_differencing_recovers_the_rating_only_when_every_score_is_published(attack: str, group: str) -> None:
    target = TARGETS[{"rekan": "peer", "bawahan": "subordinate", "pengguna_layanan": "service user"}[group]]
    for x in ("1", "2", "5"):
        # publish_scores: always — the attack succeeds: the rater's rating, exactly (to the published rounding).
        always = target.policy("always")
        got = TEETH[attack](run(always, target.data(x)), run(always, target.data(None)), group)
        assert round(got) == int(x), (attack, group, x, got)
        # The default: the figures the attack needs are withheld.
        default = target.policy("when_not_anonymous")
        with pytest.raises(Withheld):
            TEETH[attack](run(default, target.data(x)), run(default, target.data(None)), group)


def test_the_pool_is_differenced_only_when_every_score_is_published() -> None:
    target = TARGETS["pooled peer"]
    for publish, expected in (("always", True), ("when_not_anonymous", False)):
        scores = []
        for x in target.values:
            info = _employee(run(target.policy(publish), target.data(x)))["perilaku_groups"]["lainnya"]
            assert info["raters"] == 3
            scores.append(info["score"])
        if expected:  # 3 × the pool's score − the two others' 4 + 4
            assert [round(3 * float(s) - 8) for s in scores] == [int(x) for x in target.values]
        else:
            assert scores == [None, None]


def _konversi(result: Evaluation) -> tuple[int, float]:
    citizen = _employee(result)["citizen"]
    return citizen["respondents"], _number(citizen["konversi"])


def test_a_survey_respondent_is_recovered_only_when_every_score_is_published() -> None:
    """The unit's index converted to 0–100 is 25 × the mean answer: n × K − (n − 1) × K′ is 25 × the respondent's
    mean answer."""
    target = TARGETS["survey respondent"]
    for x in ("1", "3", "4"):
        with_, without = (run(target.policy("always"), target.data(v)) for v in (x, None))
        (n, k), (n_before, k_before) = _konversi(with_), _konversi(without)
        assert round((n * k - n_before * k_before) / 25) == int(x)
        with_, without = (run(target.policy("when_not_anonymous"), target.data(v)) for v in (x, None))
        with pytest.raises(Withheld):
            _konversi(with_)
        assert with_["E"].to_dict()["citizen"]["mutu"] == "D"  # the level is published


def test_with_publish_scores_always_one_changed_rating_shows_everywhere(tmp_path: Path) -> None:
    """The same walk as the default's, with every figure published: the change shows in the results, the JSON, the
    CSV, the frame, the arrays, explain() and the comparisons — what the default withholds."""
    target = TARGETS["peer"]
    text = target.policy("always")
    low, high = (everything(text, target.data(x), tmp_path) for x in target.values)
    differing = {name for name in low if low[name] != high[name]}
    for output in (
        "evaluation.to_json",
        "evaluation.to_csv",
        "evaluation.to_frame",
        "evaluation.report",
        "evaluation.arrays",
        "evaluation.perilaku_scaled",
        "evaluation.explain 1",
        "compare(baseline, policy).to_frame",
    ):
        assert output in differing, output
