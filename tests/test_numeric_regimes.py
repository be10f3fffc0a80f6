"""The numeric regimes end to end: PP 46/2011 and PP 30/2019 through a dataset, chosen by date, their policy
options, exactness through the dataset path, and the command line on the historical example."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import itertools
import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import asn_kinerja
from asn_kinerja import DataError, PolicyError, evaluate, load_policy, load_policy_text
from asn_kinerja.cli import main
from asn_kinerja.dataset.build import build_dataset
from asn_kinerja.dataset.table import RawTable
from asn_kinerja.engine.numeric import NumericEvaluation, NumericResult, evaluate_numeric
from asn_kinerja.model import Period, PredikatPp30, SebutanPp46
from asn_kinerja.policy import builtin_ids, builtin_policies, policy_in_force
from asn_kinerja.rules import pp30_2019, pp46_2011

ROOT = Path(__file__).resolve().parents[1]
HISTORICAL = ROOT / "examples" / "historical"

# --- small datasets -------------------------------------------------------------------------------------------
# Four employees: the head A (rated by the Sekretaris Daerah, outside the agency), E (the one under test) and
# P under A, S under E. A, P and S have fixed, unremarkable data; E's indicators and ratings are the test's.

Row = dict[str, Any]
PEOPLE = [("A", None), ("E", "A"), ("P", "A"), ("S", "E")]


def _table(name: str, rows: list[Row], key: str) -> RawTable:
    return RawTable.from_rows(name, f"{name}.csv", rows, key=key)


def build(
    regime: str,
    indicators: list[Row],
    ratings: list[tuple[str, str, object]],
    *,
    cell: Callable[[object], object] = str,
    scale: tuple[int, int] | None = None,
    ide_baru: bool | None = None,
    tambahan: int = 0,
    evaluations: list[Row] | None = None,
) -> asn_kinerja.Dataset:
    """A dataset for ``regime`` where E has ``indicators`` (rows with rhk, jenis, aspect, target or
    target_low/target_high, realisasi, direction, weight) and ``ratings`` ``(group, criterion, score)``; numbers
    pass through ``cell`` (str, float or Decimal)."""
    pp46 = regime == "pp-46-2011"
    rhk: list[Row] = []
    ind: list[Row] = []
    rt: list[Row] = []
    for emp, boss in PEOPLE:
        if emp == "E":
            continue
        rhk.append({"rhk_id": f"R-{emp}", "employee_id": emp, "jenis": "utama", "text": "Kegiatan"})
        fixed = [("kuantitas", 1, 1), ("kualitas", 100, 100), ("waktu", 12, 12)] if pp46 else [("none", 100, 100)]
        for aspect, target, real in fixed:
            ind.append(
                {
                    "indicator_id": f"I-{emp}-{aspect}",
                    "rhk_id": f"R-{emp}",
                    "text": aspect,
                    "aspect": aspect,
                    "target": cell(target),
                    "realisasi": cell(real),
                }
            )
        criterion = "integritas" if pp46 else "orientasi_pelayanan"
        rt.append(
            {"ratee_id": emp, "rater_id": boss or "SEKDA", "group": "atasan", "criterion": criterion, "score": cell(80)}
        )
    for n, row in enumerate(indicators):
        rid = row.get("rhk", "R-E1")
        if not any(r["rhk_id"] == rid for r in rhk):
            rhk.append({"rhk_id": rid, "employee_id": "E", "jenis": row.get("jenis", "utama"), "text": "Kegiatan E"})
        out: Row = {
            "indicator_id": f"I-E{n}",
            "rhk_id": rid,
            "text": f"Indikator {n}",
            "aspect": row.get("aspect", "none"),
        }
        for k in ("target", "target_low", "target_high", "realisasi", "weight"):
            if k in row:
                out[k] = cell(row[k])
        out["direction"] = row.get("direction", "higher")
        ind.append(out)
    for n in range(tambahan):
        rhk.append({"rhk_id": f"T-E{n}", "employee_id": "E", "jenis": "tambahan", "text": "Tugas tambahan"})
    raters = {"atasan": "A", "rekan": "P", "bawahan": "S"}
    for group, criterion, score in ratings:
        rt.append(
            {"ratee_id": "E", "rater_id": raters[group], "group": group, "criterion": criterion, "score": cell(score)}
        )
    tables = {
        "units": _table("units", [{"unit_id": "U", "name": "Unit"}], "unit_id"),
        "employees": _table(
            "employees",
            [
                {"employee_id": e, "name": f"Pegawai {e}", "unit_id": "U", "jenis_jabatan": "JA", "superior_id": b}
                for e, b in PEOPLE
            ],
            "employee_id",
        ),
        "rhk": _table("rhk", rhk, "rhk_id"),
        "indicators": _table("indicators", ind, "indicator_id"),
        "ratings": _table("ratings", rt, "ratee_id"),
    }
    if evaluations is not None:
        tables["evaluations"] = _table("evaluations", evaluations, "employee_id")
    elif ide_baru is not None:
        tables["evaluations"] = _table("evaluations", [{"employee_id": "E", "ide_baru": str(ide_baru)}], "employee_id")
    year = 2018 if pp46 else 2021
    low, high = scale or ((0, 100) if pp46 else (0, 120))
    return build_dataset(
        agency="Uji",
        period=Period(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31)),
        scale=(Decimal(low), Decimal(high)),
        tables=tables,
    )


def kegiatan(
    kn: tuple[object, object], kl: tuple[object, object], wk: tuple[object, object], bi: Any = None
) -> list[Row]:
    """The indicators of one PP 46 kegiatan of E."""
    rows = [("kuantitas", kn), ("kualitas", kl), ("waktu", wk)] + ([("biaya", bi)] if bi is not None else [])
    return [{"aspect": a, "target": t, "realisasi": r} for a, (t, r) in rows]


def iki(realisasi: object, target: object = 100, **extra: Any) -> Row:
    """One PP 30 indicator of E."""
    return {"target": target, "realisasi": realisasi, **extra}


def ev(policy: str | asn_kinerja.Policy, dataset: asn_kinerja.Dataset) -> NumericResult:
    found = evaluate(load_policy(policy) if isinstance(policy, str) else policy, dataset)
    assert isinstance(found, NumericEvaluation)
    return found["E"]


def overlay(base: str, yaml_body: str) -> asn_kinerja.Policy:
    return load_policy_text(f"id: variant\ntitle: A variant\nextends: {base}\n{yaml_body}")


PP46_RATINGS = [("atasan", "integritas", 80)]
PP30_RATINGS = [("atasan", "orientasi_pelayanan", 90)]


# --- the worked examples, end to end -------------------------------------------------------------------------


def test_pp46_published_example_through_a_dataset() -> None:
    ds = build("pp-46-2011", kegiatan((1, 1), (100, 90), (12, 12), (170_395_000, 170_395_000)), PP46_RATINGS)
    r = ev("pp-46-2011", ds)
    (k,) = r.kegiatan
    assert (k.kuantitas, k.kualitas, k.waktu, k.biaya) == tuple(
        Decimal(x) for x in ("100.00", "90.00", "76.00", "76.00")
    )
    assert k.nilai == Decimal("85.50")
    assert k.sebutan is SebutanPp46.BAIK
    assert r.nilai_skp == Decimal("85.50")
    assert r.nilai_perilaku == Decimal("80.00")
    assert r.nilai_akhir == Decimal("83.30")  # 0.6 × 85.50 + 0.4 × 80
    assert r.predikat is SebutanPp46.BAIK and r.predikat.label == "Baik"
    steps = r.explain()
    assert [s.label for s in steps] == [
        "nilai capaian kegiatan R-E1",
        "nilai SKP",
        "nilai perilaku kerja",
        "nilai prestasi kerja",
        "sebutan",
    ]
    assert "Perka BKN 1/2013" in str(steps.steps[0].reference)
    assert "Pasal 20" in str(steps.steps[3].reference)


def test_pp46_waktu_five_days_in_four() -> None:
    r = ev("pp-46-2011", build("pp-46-2011", kegiatan((1, 1), (100, 100), (5, 4)), PP46_RATINGS))
    assert r.kegiatan[0].waktu == Decimal("96.00")
    assert r.kegiatan[0].nilai == Decimal("98.67")  # (100 + 100 + 96) / 3
    assert r.kegiatan[0].biaya is None


def test_pp30_capaian_98_gives_88() -> None:
    r = ev("pp-30-2019", build("pp-30-2019", [iki(98)], PP30_RATINGS))
    (x,) = r.iki
    assert (x.capaian, x.nilai) == (Decimal("98.00"), Decimal("88.00"))
    assert r.nilai_skp == Decimal("88.00")
    assert r.nilai_perilaku == Decimal("90.00")
    assert r.peer_input is False and r.bobot == (Decimal("0.7"), Decimal("0.3"))
    assert r.nilai_akhir == Decimal("88.60")  # 0.7 × 88 + 0.3 × 90
    assert r.predikat is PredikatPp30.CUKUP
    assert [s.label for s in r.explain()][-3:] == ["nilai perilaku kerja", "nilai kinerja", "predikat"]
    assert "Pasal 41" in str(r.explain().steps[-1].reference)


@pytest.mark.parametrize(
    ("flag", "expected"), [(True, PredikatPp30.SANGAT_BAIK), (False, PredikatPp30.BAIK), (None, PredikatPp30.BAIK)]
)
def test_pp30_sangat_baik_needs_ide_baru(flag: bool | None, expected: PredikatPp30) -> None:
    ds = build("pp-30-2019", [iki(120)], [("atasan", "komitmen", 115)], ide_baru=flag)
    r = ev("pp-30-2019", ds)
    assert r.nilai_akhir == Decimal("118.50")  # 0.7 × 120 + 0.3 × 115
    assert r.predikat is expected
    assert r.ide_baru is bool(flag)


def test_pp30_peer_input_from_the_data_sets_the_weights() -> None:
    ratings = [("atasan", "komitmen", 100), ("rekan", "komitmen", 80), ("bawahan", "komitmen", 90)]
    r = ev("pp-30-2019", build("pp-30-2019", [iki(98)], ratings))
    assert r.peer_input is True and r.bobot == (Decimal("0.6"), Decimal("0.4"))
    assert r.nilai_perilaku == Decimal("90.00")  # the three group means weigh equally
    assert r.nilai_akhir == Decimal("88.80")  # 0.6 × 88 + 0.4 × 90


def test_pp30_range_and_lower_is_better() -> None:
    inds = [
        iki(85, target=None, target_low=80, target_high=90, weight=1),
        iki(6.5, target=None, target_low=7, target_high=8, direction="lower", weight=1),
    ]
    for row in inds:
        del row["target"]
    r = ev("pp-30-2019", build("pp-30-2019", inds, PP30_RATINGS))
    assert [x.capaian for x in r.iki] == [Decimal("100.00"), Decimal("107.14")]
    assert [x.nilai for x in r.iki] == [Decimal("109.00"), pp30_2019.nilai_capaian_iki(Decimal("107.14"))]


# --- the regime in force on a date ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2014-01-01", "pp-46-2011"),
        ("2018-06-30", "pp-46-2011"),
        ("2019-12-31", "pp-46-2011"),
        ("2020-01-01", "pp-30-2019"),
        ("2021-12-31", "pp-30-2019"),
        ("2022-01-01", "permenpanrb-6-2022"),
        ("2025-01-01", "permenpanrb-6-2022"),
    ],
)
def test_regime_chosen_by_date(day: str, expected: str) -> None:
    on = dt.date.fromisoformat(day)
    assert policy_in_force(on).id == expected
    assert asn_kinerja.load_policy(None, on=on).id == expected


def test_no_regime_before_2014_and_the_builtins_do_not_overlap() -> None:
    with pytest.raises(PolicyError, match="no built-in policy is in force on 2013-12-31"):
        load_policy(None, on=dt.date(2013, 12, 31))
    assert {"pp-46-2011", "pp-30-2019", "permenpanrb-6-2022"} <= set(builtin_ids())
    spans = sorted((p.valid_from, p.valid_until or dt.date.max) for p in builtin_policies())
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end < start
    for p in builtin_policies():
        if p.regime != "permenpanrb-6-2022":
            assert p.reference.note is not None and "[U]" in p.reference.note


def test_loading_a_numeric_policy_out_of_its_dates_fails() -> None:
    with pytest.raises(PolicyError, match="valid 2014-01-01 – 2019-12-31, not on 2020-01-01"):
        load_policy("pp-46-2011", on=dt.date(2020, 1, 1))


# --- each option reproduces its variant ------------------------------------------------------------------------

# E's kegiatan: kuantitas 10 → 12 (120), kualitas 100 → 90, waktu 12 → 6 months (efficiency 50 %).
BASE46 = kegiatan((10, 12), (100, 90), (12, 6))


def nilai46(policy: asn_kinerja.Policy | str, indicators: list[Row] = BASE46, **kw: Any) -> NumericResult:
    return ev(policy, build("pp-46-2011", indicators, kw.pop("ratings", PP46_RATINGS), **kw))


def test_pp46_default_figures() -> None:
    r = nilai46("pp-46-2011")
    assert (r.kegiatan[0].waktu, r.kegiatan[0].nilai) == (Decimal("50.00"), Decimal("86.67"))


def test_pp46_option_rounding() -> None:
    r = nilai46(overlay("pp-46-2011", "pp46: {rounding: truncate}"))
    assert r.kegiatan[0].nilai == Decimal("86.66")  # 260 / 3 truncated; half-up gives 86.67
    up = nilai46(overlay("pp-46-2011", "pp46: {rounding: ceiling}"), kegiatan((3, 2), (100, 100), (12, 12)))
    assert up.kegiatan[0].kuantitas == Decimal("66.67") and up.kegiatan[0].nilai == Decimal("80.89")


@pytest.mark.parametrize(("rule", "waktu", "nilai"), [("none", "126.00", "112.00"), ("linear", "176.00", "128.67")])
def test_pp46_option_efficiency(rule: str, waktu: str, nilai: str) -> None:
    r = nilai46(overlay("pp-46-2011", f"pp46: {{kegiatan: {{efficiency: {rule}}}}}"))
    assert (r.kegiatan[0].waktu, r.kegiatan[0].nilai) == (Decimal(waktu), Decimal(nilai))


def test_pp46_option_divisor() -> None:
    assert nilai46(overlay("pp-46-2011", "pp46: {kegiatan: {divisor: 4}}")).kegiatan[0].nilai == Decimal("65.00")
    not_done = kegiatan((10, 12), (100, 90), (12, 0))  # waktu not carried out scores 0
    assert nilai46("pp-46-2011", not_done).kegiatan[0].nilai == Decimal("70.00")
    r = nilai46(overlay("pp-46-2011", "pp46: {kegiatan: {divisor: nonzero}}"), not_done)
    assert r.kegiatan[0].nilai == Decimal("105.00")


def test_pp46_option_cap() -> None:
    r = nilai46(overlay("pp-46-2011", "pp46: {kegiatan: {cap: 100}}"))
    assert (r.kegiatan[0].kuantitas, r.kegiatan[0].nilai) == (Decimal("100.00"), Decimal("80.00"))


def test_pp46_option_tugas_tambahan() -> None:
    assert nilai46("pp-46-2011", tambahan=2).nilai_skp == Decimal("87.67")  # 86.67 + 1
    r = nilai46(overlay("pp-46-2011", "pp46: {skp: {tugas_tambahan: ignore}}"), tambahan=2)
    assert (r.nilai_skp, r.tugas_tambahan) == (Decimal("86.67"), 2)


def test_pp46_option_perilaku_aspects() -> None:
    ratings = [("atasan", "integritas", 80), ("atasan", "kepemimpinan", 60)]
    assert nilai46("pp-46-2011", ratings=ratings).nilai_perilaku == Decimal("70.00")
    aspects = "[orientasi_pelayanan, integritas, komitmen, disiplin, kerja_sama]"
    r = nilai46(overlay("pp-46-2011", f"pp46: {{perilaku: {{criteria: {aspects}}}}}"), ratings=ratings)
    assert r.nilai_perilaku == Decimal("80.00")
    assert "not counted by the policy: kepemimpinan" in r.explain().steps[-3].detail


def test_pp46_option_weights() -> None:
    r = nilai46(overlay("pp-46-2011", "pp46: {weights: {skp: 0.5, perilaku: 0.5}}"))
    assert nilai46("pp-46-2011").nilai_akhir == Decimal("84.00")  # 0.6 × 86.67 + 0.4 × 80
    assert (r.nilai_akhir, r.bobot) == (Decimal("83.34"), (Decimal("0.5"), Decimal("0.5")))


@pytest.mark.parametrize(
    ("reading", "expected"),
    [("threshold", "Baik"), ("truncate", "Baik"), ("round_half_up", "Sangat Baik"), ("ceiling", "Sangat Baik")],
)
def test_pp46_option_sebutan_reading(reading: str, expected: str) -> None:
    # kegiatan (1/1, 100 → 95.5, 12/12) = 90.50 and perilaku 90.5: nilai prestasi kerja 90.50, between the bands
    inds = kegiatan((1, 1), (100, "95.5"), (12, 12))
    r = nilai46(
        overlay("pp-46-2011", f"pp46: {{sebutan: {{reading: {reading}}}}}"),
        inds,
        ratings=[("atasan", "disiplin", "90.5")],
    )
    assert r.nilai_akhir == Decimal("90.50")
    assert r.predikat.label == r.kegiatan[0].sebutan.label == expected


def nilai30(
    policy: asn_kinerja.Policy | str,
    indicators: list[Row],
    ratings: list[tuple[str, str, object]] = PP30_RATINGS,
    **kw: Any,
) -> NumericResult:
    return ev(policy, build("pp-30-2019", indicators, ratings, **kw))


def test_pp30_option_rounding() -> None:
    assert nilai30("pp-30-2019", [iki(2, 3)]).iki[0].nilai == Decimal("56.67")
    r = nilai30(overlay("pp-30-2019", "pp30: {rounding: truncate}"), [iki(2, 3)])
    assert (r.iki[0].capaian, r.iki[0].nilai) == (Decimal("66.66"), Decimal("56.66"))


@pytest.mark.parametrize(("places", "capaian", "nilai"), [("0", "98", "88.00"), ("null", "97.89", "87.89")])
def test_pp30_option_capaian_places(places: str, capaian: str, nilai: str) -> None:
    assert nilai30("pp-30-2019", [iki(93, 95)]).iki[0].nilai == Decimal("87.89")
    r = nilai30(overlay("pp-30-2019", f"pp30: {{capaian: {{places: {places}}}}}"), [iki(93, 95)])
    assert (r.iki[0].capaian, r.iki[0].nilai) == (Decimal(capaian), Decimal(nilai))


def test_pp30_option_capaian_places_null_chains_the_exact_capaian() -> None:
    # 7.2 / 7 = 102.857…%: published 102.86 → 112.07, exact → 112.06
    assert nilai30("pp-30-2019", [iki("7.2", 7)]).iki[0].nilai == Decimal("112.07")
    r = nilai30(overlay("pp-30-2019", "pp30: {capaian: {places: null}}"), [iki("7.2", 7)])
    assert r.iki[0].nilai == Decimal("112.06")


def test_pp30_option_gaps() -> None:
    assert nilai30("pp-30-2019", [iki("99.5")]).iki[0].nilai == Decimal("89.50")
    assert nilai30(overlay("pp-30-2019", "pp30: {capaian: {gaps: step}}"), [iki("99.5")]).iki[0].nilai == Decimal(
        "89.00"
    )


def test_pp30_option_tambahan() -> None:
    inds = [iki(98), iki(100, rhk="R-T", jenis="tambahan")]
    r = nilai30("pp-30-2019", inds)
    assert r.nilai_skp == Decimal("88.00") and [x.counted for x in r.iki] == [True, False]
    r = nilai30(overlay("pp-30-2019", "pp30: {skp: {tambahan: include}}"), inds)
    assert r.nilai_skp == Decimal("98.50")  # (88 + 109) / 2


def test_pp30_option_weighting() -> None:
    inds = [iki(98, weight=3), iki(100, weight=1)]
    assert nilai30("pp-30-2019", inds).nilai_skp == Decimal("93.25")  # (3 × 88 + 109) / 4
    assert nilai30(overlay("pp-30-2019", "pp30: {skp: {weighting: equal}}"), inds).nilai_skp == Decimal("98.50")


def test_pp30_option_criteria() -> None:
    ratings = [("atasan", "integritas", 90)]
    with pytest.raises(DataError, match="unknown criterion 'integritas'"):
        nilai30("pp-30-2019", [iki(98)], ratings)
    r = nilai30(
        overlay("pp-30-2019", "pp30: {perilaku: {criteria: [orientasi_pelayanan, integritas]}}"), [iki(98)], ratings
    )
    assert r.perilaku == {"integritas": Decimal("90.00")}


def test_pp30_option_scale() -> None:
    with pytest.raises(DataError, match="the ratings use the scale 0–100 but the pp-30-2019 policy expects 0–120"):
        nilai30("pp-30-2019", [iki(98)], scale=(0, 100))
    r = nilai30(overlay("pp-30-2019", "pp30: {perilaku: {scale: {min: 0, max: 100}}}"), [iki(98)], scale=(0, 100))
    assert r.nilai_akhir == Decimal("88.60")


@pytest.mark.parametrize(
    ("peer_input", "with_rekan", "weights"),
    [("data", True, "0.6"), ("data", False, "0.7"), ("with_peers", False, "0.6"), ("without_peers", True, "0.7")],
)
def test_pp30_option_peer_input(peer_input: str, with_rekan: bool, weights: str) -> None:
    ratings = [("atasan", "komitmen", 100), *([("rekan", "komitmen", 80)] if with_rekan else [])]
    r = nilai30(overlay("pp-30-2019", f"pp30: {{perilaku: {{peer_input: {peer_input}}}}}"), [iki(98)], ratings)
    assert r.bobot[0] == Decimal(weights)
    counted = with_rekan and peer_input != "without_peers"
    assert r.nilai_perilaku == Decimal("90.00" if counted else "100.00")


def test_pp30_option_weights() -> None:
    r = nilai30(overlay("pp-30-2019", "pp30: {weights: {without_peers: {skp: 0.8, perilaku: 0.2}}}"), [iki(98)])
    assert (r.nilai_akhir, r.bobot) == (Decimal("88.40"), (Decimal("0.8"), Decimal("0.2")))
    ratings = [("atasan", "komitmen", 100), ("rekan", "komitmen", 80)]
    r = nilai30(overlay("pp-30-2019", "pp30: {weights: {with_peers: {skp: 0.5, perilaku: 0.5}}}"), [iki(98)], ratings)
    assert r.nilai_akhir == Decimal("89.00")


# --- a broken option names its key -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "body", "key"),
    [
        ("pp-46-2011", "pp46: {rounding: half_down}", "pp46.rounding"),
        ("pp-46-2011", "pp46: {kegiatan: {efficiency: cubic}}", "pp46.kegiatan.efficiency"),
        ("pp-46-2011", "pp46: {kegiatan: {divisor: 5}}", "pp46.kegiatan.divisor"),
        ("pp-46-2011", "pp46: {kegiatan: {cap: 0}}", "pp46.kegiatan.cap"),
        ("pp-46-2011", "pp46: {skp: {tugas_tambahan: double}}", "pp46.skp.tugas_tambahan"),
        ("pp-46-2011", "pp46: {perilaku: {criteria: [integritas, jujur]}}", "pp46.perilaku.criteria"),
        ("pp-46-2011", "pp46: {weights: {skp: 0.7}}", "pp46.weights.perilaku"),
        ("pp-46-2011", "pp46: {sebutan: {reading: nearest}}", "pp46.sebutan.reading"),
        ("pp-46-2011", "pp46: {bonus: 1}", "pp46.bonus"),
        ("pp-30-2019", "pp30: {rounding: 2}", "pp30.rounding"),
        ("pp-30-2019", "pp30: {capaian: {places: -1}}", "pp30.capaian.places"),
        ("pp-30-2019", "pp30: {capaian: {gaps: linear}}", "pp30.capaian.gaps"),
        ("pp-30-2019", "pp30: {skp: {tambahan: bonus}}", "pp30.skp.tambahan"),
        ("pp-30-2019", "pp30: {skp: {weighting: median}}", "pp30.skp.weighting"),
        ("pp-30-2019", "pp30: {perilaku: {peer_input: always}}", "pp30.perilaku.peer_input"),
        ("pp-30-2019", "pp30: {perilaku: {scale: {max: 150}}}", "pp30.perilaku.scale.max"),
        ("pp-30-2019", "pp30: {perilaku: {criteria: []}}", "pp30.perilaku.criteria"),
        ("pp-30-2019", "pp30: {weights: {with_peers: {perilaku: 0.5}}}", "pp30.weights.with_peers.perilaku"),
    ],
)
def test_broken_option_names_its_key(base: str, body: str, key: str) -> None:
    with pytest.raises(PolicyError) as info:
        overlay(base, body)
    assert key in {p.field for p in info.value.problems}, str(info.value)


def test_a_numeric_regime_needs_its_section() -> None:
    text = "id: x\ntitle: X\nregime: pp-30-2019\nvalid_from: 2020-01-01\nreference: {title: PP 30/2019}\n"
    with pytest.raises(PolicyError) as info:
        load_policy_text(text)
    assert [p.field for p in info.value.problems] == ["pp30"]
    minimal = load_policy_text(text + "pp30: {}\n").pp30  # every key defaults to the regulation
    assert minimal is not None
    assert (minimal.rounding, minimal.capaian.places, minimal.capaian.gaps) == ("half_up", 2, "continuous")
    assert (minimal.skp.tambahan, minimal.perilaku.peer_input) == ("exclude", "data")
    assert minimal.weights.without_peers.pair == pp30_2019.BOBOT_TANPA_REKAN
    assert minimal.weights.with_peers.pair == pp30_2019.BOBOT_DENGAN_REKAN
    pp46 = load_policy_text(text.replace("pp-30-2019", "pp-46-2011") + "pp46: {}\n").pp46
    assert pp46 is not None and pp46.weights.pair == (pp46_2011.BOBOT_SKP, pp46_2011.BOBOT_PERILAKU)


def test_rules_weights_are_checked() -> None:
    with pytest.raises(PolicyError) as info:
        pp46_2011.nilai_prestasi_kerja(80, 80, weights=("0.7", "0.4"))
    assert info.value.problems[0].field == "weights"
    with pytest.raises(PolicyError):
        pp30_2019.nilai_kinerja(80, 80, peer_input=False, weights=(1, "x"))  # type: ignore[arg-type]


# --- the data a numeric regime rejects --------------------------------------------------------------------------


def problems(regime: str, indicators: list[Row], ratings: list[tuple[str, str, object]], **kw: Any) -> list[str]:
    with pytest.raises(DataError) as info:
        evaluate(load_policy(regime), build(regime, indicators, ratings, **kw))
    return [str(p) for p in info.value.problems]


def test_pp46_kegiatan_needs_its_aspects() -> None:
    found = problems("pp-46-2011", kegiatan((1, 1), (100, 90), (12, 12))[:2], PP46_RATINGS)
    assert found == [
        "rhk: record R-E1: indicators: kegiatan R-E1 needs an indicator for each of kuantitas, kualitas and waktu; "
        "missing waktu"
    ]
    bad = [*kegiatan((1, 1), (100, 90), (12, 12)), {"aspect": "none", "target": 1, "realisasi": 1}]
    assert "needs an aspect" in problems("pp-46-2011", bad, PP46_RATINGS)[0]
    ranged = [
        {"aspect": "kuantitas", "target_low": 1, "target_high": 2, "realisasi": 1},
        *kegiatan((1, 1), (100, 90), (12, 12))[1:],
    ]
    assert "one value, not a range" in problems("pp-46-2011", ranged, PP46_RATINGS)[0]


def test_pp46_perilaku_rules() -> None:
    inds = kegiatan((1, 1), (100, 90), (12, 12))
    assert "unknown criterion 'jujur'" in problems("pp-46-2011", inds, [("atasan", "jujur", 80)])[0]
    assert "no rating by the atasan" in problems("pp-46-2011", inds, [("rekan", "integritas", 80)])[0]
    assert "expects 0–100" in problems("pp-46-2011", inds, PP46_RATINGS, scale=(0, 120))[0]


def test_ratings_of_the_current_regime_are_rejected() -> None:
    found = problems(
        "pp-30-2019", [iki(98)], PP30_RATINGS, evaluations=[{"employee_id": "E", "rating_hasil_kerja": "sesuai"}]
    )
    assert found == [
        "evaluations: record E: rating_hasil_kerja: ratings Di Atas / Sesuai / Di Bawah Ekspektasi belong to "
        "PermenPANRB 6/2022; the pp-30-2019 regime computes its figures from the indicators and the perilaku ratings "
        "(leave the column empty)"
    ]


def test_missing_realisasi_is_reported_per_indicator() -> None:
    found = problems("pp-30-2019", [{"target": 100}], PP30_RATINGS)
    assert found == ["indicators.csv: record I-E0: realisasi: a value is required to compute nilai capaian IKI"]


def test_only_the_head_may_be_rated_from_outside_the_agency() -> None:
    ds = build("pp-46-2011", kegiatan((1, 1), (100, 90), (12, 12)), PP46_RATINGS)  # A is rated by SEKDA
    assert ev("pp-46-2011", ds).employee_id == "E"
    assert evaluate_numeric(load_policy("pp-46-2011"), ds)["A"].nilai_perilaku == Decimal("80.00")
    tables = {
        "units": _table("units", [{"unit_id": "U", "name": "Unit"}], "unit_id"),
        "employees": _table(
            "employees",
            [
                {"employee_id": "A", "name": "A", "unit_id": "U", "jenis_jabatan": "JA"},
                {"employee_id": "E", "name": "E", "unit_id": "U", "jenis_jabatan": "JA", "superior_id": "A"},
            ],
            "employee_id",
        ),
        "rhk": _table("rhk", [{"rhk_id": "R", "employee_id": "E", "text": "x"}], "rhk_id"),
        "indicators": _table(
            "indicators", [{"indicator_id": "I", "rhk_id": "R", "text": "x", "target": "1"}], "indicator_id"
        ),
        "ratings": _table(
            "ratings",
            [{"ratee_id": "E", "rater_id": "SEKDA", "group": "atasan", "criterion": "integritas", "score": "80"}],
            "ratee_id",
        ),
    }
    period = Period("2018", dt.date(2018, 1, 1), dt.date(2018, 12, 31))
    with pytest.raises(DataError, match="unknown rater 'SEKDA'"):  # E has a superior in the agency
        build_dataset(agency="Uji", period=period, scale=(Decimal(0), Decimal(100)), tables=tables)


# --- exactness: float, str and Decimal cells give the same result ------------------------------------------------

two_places = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2)


def _same_results(regime: str, indicators: list[Row], ratings: list[tuple[str, str, object]]) -> None:
    results = []
    for cell in (str, float, lambda x: Decimal(str(x))):
        ds = build(regime, indicators, ratings, cell=cell)
        found = evaluate(load_policy(regime), ds)
        results.append(found.to_dict())
    assert results[0] == results[1] == results[2]


@settings(max_examples=40)
@given(
    kn=two_places, kl=two_places, wk=two_places, bi=two_places, score=st.decimals(min_value=0, max_value=100, places=2)
)
def test_pp46_float_str_decimal_invariance(kn: Decimal, kl: Decimal, wk: Decimal, bi: Decimal, score: Decimal) -> None:
    _same_results(
        "pp-46-2011", kegiatan((3, kn), (100, kl), ("9.12", wk), ("170395000.5", bi)), [("atasan", "disiplin", score)]
    )


@settings(max_examples=40)
@given(r1=two_places, r2=two_places, w=two_places, score=st.decimals(min_value=0, max_value=120, places=2))
def test_pp30_float_str_decimal_invariance(r1: Decimal, r2: Decimal, w: Decimal, score: Decimal) -> None:
    inds = [iki(r1, "0.3", weight=w), iki(r2, "95.1", direction="lower", weight="0.1")]
    _same_results("pp-30-2019", inds, [("atasan", "komitmen", score), ("rekan", "komitmen", "0.1")])


def test_the_evaluators_former_names_still_evaluate_with_their_rules_and_warn() -> None:
    from asn_kinerja.engine import numeric

    ds46 = build("pp-46-2011", BASE46, PP46_RATINGS)
    pp46 = load_policy("pp-46-2011")
    divided = overlay("pp-46-2011", "pp46: {kegiatan: {divisor: 4}}").pp46
    assert divided is not None
    with pytest.warns(DeprecationWarning, match=r"regimes\.pp46_2011\.evaluate_pp46\(policy, dataset\)"):
        old = numeric.evaluate_pp46(pp46, divided, ds46)["E"]
    assert old.nilai_akhir == ev(overlay("pp-46-2011", "pp46: {kegiatan: {divisor: 4}}"), ds46).nilai_akhir
    assert old.nilai_akhir != ev(pp46, ds46).nilai_akhir
    ds30 = build("pp-30-2019", [iki(98)], PP30_RATINGS)
    pp30 = load_policy("pp-30-2019")
    assert pp30.pp30 is not None
    with pytest.warns(DeprecationWarning, match=r"regimes\.pp30_2019\.evaluate_pp30\(policy, dataset\)"):
        old30 = numeric.evaluate_pp30(pp30, pp30.pp30, ds30)["E"]
    assert old30.to_dict() == ev(pp30, ds30).to_dict()


def test_figures_come_from_the_rules_functions() -> None:
    r = nilai46("pp-46-2011")
    assert r.kegiatan[0].nilai == pp46_2011.nilai_capaian_kegiatan(
        kuantitas=(10, 12), kualitas=(100, 90), waktu=(12, 6)
    )
    assert r.nilai_akhir == pp46_2011.nilai_prestasi_kerja(r.nilai_skp, r.nilai_perilaku)


# --- the historical example and the command line -----------------------------------------------------------------


def cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        status = main(list(args))
    return status, out.getvalue()


def readme_blocks() -> list[str]:
    text = (HISTORICAL / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```text\n(.*?)```", text, flags=re.S)


@pytest.mark.parametrize(
    ("args", "regime"),
    [
        (("data-2018",), "pp-46-2011"),
        (("data-2021",), "pp-30-2019"),
        (("data-2018", "--policy", str(HISTORICAL / "spreadsheet-2018.yaml")), "pp-46-2011"),
    ],
)
def test_cli_on_the_historical_example_matches_the_readme(args: tuple[str, ...], regime: str) -> None:
    status, out = cli("evaluate", str(HISTORICAL / args[0]), *args[1:])
    assert status == 0, out
    assert out in readme_blocks()
    assert f"kebijakan {regime}" in out or "kebijakan merangin" in out


@pytest.mark.parametrize("folder", ["data-2018", "data-2021"])
def test_cli_json_and_csv_on_the_historical_example(folder: str, tmp_path: Path) -> None:
    status, out = cli("evaluate", str(HISTORICAL / folder), "--format", "json")
    assert status == 0, out
    data = json.loads(out)
    assert len(data["employees"]) == 12
    assert sum(data["summary"]["predikat"].values()) == 12
    labels = {p.label for p in (SebutanPp46 if folder == "data-2018" else PredikatPp30)}
    assert {e["predikat_label"] for e in data["employees"]} <= labels
    target = tmp_path / "out.csv"
    status, _ = cli("evaluate", str(HISTORICAL / folder), "--format", "csv", "--output", str(target))
    assert status == 0
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 13 and lines[0].startswith("employee_id,name,unit_id,")


def test_historical_example_holds_the_worked_examples() -> None:
    ds = asn_kinerja.load_dataset(HISTORICAL / "data-2018")
    result = evaluate(load_policy(None, on=ds.period.start), ds)
    assert isinstance(result, NumericEvaluation)
    found = {k.rhk_id: k for r in result for k in r.kegiatan}
    assert found["K18-CONTOH-1"].nilai == Decimal("85.50")
    assert found["K18-CONTOH-2"].waktu == Decimal("96.00")
    assert len(set(ds.units.id)) == 3 and len(result) == 12
    ds30 = asn_kinerja.load_dataset(HISTORICAL / "data-2021")
    result30 = evaluate(load_policy(None, on=ds30.period.start), ds30)
    assert isinstance(result30, NumericEvaluation)
    nilai = {x.indicator_id: x.nilai for r in result30 for x in r.iki}
    assert nilai["R21-CONTOH-1"] == Decimal("88.00")
    assert {r.bobot for r in result30} == {(Decimal("0.7"), Decimal("0.3")), (Decimal("0.6"), Decimal("0.4"))}
    assert list(ds.employees.id) == list(ds30.employees.id)  # the same people
    ids = [r.employee_id for r in result30]
    units = [r.unit_id for r in result30]
    assert sorted(zip(units, ids, strict=True)) == list(zip(units, ids, strict=True))
    assert sum(result30.counts().values()) == 12


def test_wrong_regime_for_the_data_is_a_data_error() -> None:
    status, out = cli("evaluate", str(HISTORICAL / "data-2021"), "--policy", "pp-46-2011")
    assert status == 2
    assert "expects 0–100" in out


def test_readme_explain_block_is_current() -> None:
    dataset = asn_kinerja.load_dataset(HISTORICAL / "data-2018")
    result = evaluate(load_policy(None, on=dataset.period.start), dataset)
    explained = str(result["197107182010041002"].explain())
    assert explained + "\n" in readme_blocks()
