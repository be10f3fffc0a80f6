"""Synthetic populations for tests, benchmarks and demonstrations: :func:`generate_population`.

The population is made directly as columns (numpy, no Python loop per employee), so a million employees take
seconds. It is realistic in shape, not in any person: invented NIP-like ids and names.

>>> ds = generate_population(200, seed=1)
>>> ds  # doctest: +ELLIPSIS
<Dataset 'Pemerintah Kabupaten Sintetis (seed 1)' period 2025: 10 units, 200 employees, ... indicators, ...>
>>> generate_population(200, seed=1).employees.id[:2].tolist() == ds.employees.id[:2].tolist()
True
>>> import asn_kinerja
>>> result = asn_kinerja.evaluate(asn_kinerja.load_policy("permenpanrb-6-2022"), ds)
>>> sum(result.counts().values())
200
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, overload

import attrs
import numpy as np
import numpy.typing as npt

from asn_kinerja.dataset.columns import Categorical
from asn_kinerja.dataset.frames import from_frames
from asn_kinerja.dataset.model import Dataset
from asn_kinerja.model import BERAKHLAK, Period

__all__ = ["generate_population", "generate_tables"]

Frames = dict[str, dict[str, Any]]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]

_FIRST = np.array(
    [
        "Ahmad",
        "Siti",
        "Budi",
        "Dewi",
        "Rudi",
        "Nurul",
        "Hendra",
        "Rina",
        "Syafrizal",
        "Yuliana",
        "Fauzi",
        "Rahmi",
        "Dedi",
        "Sri",
        "Agus",
        "Mega",
        "Irwan",
        "Putri",
        "Zulkifli",
        "Wati",
        "Arif",
        "Lestari",
        "Joni",
        "Nova",
        "Eko",
        "Ratna",
        "Hasan",
        "Indah",
        "Bambang",
        "Fitri",
    ],
    dtype=object,
)
_LAST = np.array(
    [
        "Nasution",
        "Hasibuan",
        "Siregar",
        "Lubis",
        "Harahap",
        "Saputra",
        "Hidayat",
        "Maulana",
        "Pratama",
        "Wijaya",
        "Santoso",
        "Kurniawan",
        "Rahman",
        "Anggraini",
        "Putra",
        "Susanti",
        "Gunawan",
        "Setiawan",
        "Hutapea",
        "Sinaga",
    ],
    dtype=object,
)
_JENJANG = np.array(
    ["pemula", "terampil", "mahir", "penyelia", "ahli_pertama", "ahli_muda", "ahli_madya", "ahli_utama"],
    dtype=object,
)
_JENJANG_P = np.array([0.04, 0.12, 0.14, 0.08, 0.28, 0.22, 0.1, 0.02])
_ORG = np.array(["istimewa", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"], dtype=object)
_ORG_P = np.array([0.15, 0.5, 0.2, 0.1, 0.05])
_TARGETS = np.array([1.0, 4.0, 10.0, 12.0, 24.0, 50.0, 95.0, 100.0, 120.0, 250.0, 1200.0])
_INDICATOR_TEXT = np.array(
    [
        "Jumlah dokumen yang diselesaikan",
        "Persentase layanan tepat waktu",
        "Jumlah laporan yang disampaikan",
        "Realisasi anggaran kegiatan",
        "Persentase dokumen tanpa kesalahan",
        "Waktu penyelesaian layanan (hari)",
        "Jumlah kegiatan pembinaan",
    ],
    dtype=object,
)
_RHK_TEXT = np.array(
    [
        "Meningkatnya kualitas pelayanan publik",
        "Tersusunnya dokumen perencanaan dan pelaporan",
        "Terselenggaranya tata kelola keuangan yang akuntabel",
        "Meningkatnya akurasi data",
        "Terlaksananya pembinaan pegawai",
    ],
    dtype=object,
)


def _padded(numbers: npt.NDArray[np.integer[Any]], width: int) -> npt.NDArray[np.str_]:
    """Numbers as zero-padded text (one numpy pass)."""
    if not len(numbers):
        return np.empty(0, dtype=f"U{width}")
    out: npt.NDArray[np.str_] = np.char.zfill(numbers.astype(str), width)
    return out


def _ids(prefix: str, n: int, width: int) -> npt.NDArray[np.object_]:
    """``prefix`` + a zero-padded number, for ``range(n)``, as Python strings (one numpy pass)."""
    out: npt.NDArray[np.object_] = np.char.add(prefix, _padded(np.arange(1, n + 1), width)).astype(object)
    return out


def _within_groups(keys: I64) -> tuple[I64, I64, I64]:
    """For sorted-or-not integer ``keys``: the order that groups them, each row's position in its group and its
    group's size (all in the original row order)."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.searchsorted(sorted_keys, sorted_keys, side="left")
    ends = np.searchsorted(sorted_keys, sorted_keys, side="right")
    position = np.empty(len(keys), dtype=np.int64)
    size = np.empty(len(keys), dtype=np.int64)
    position[order] = np.arange(len(keys)) - starts
    size[order] = ends - starts
    return order.astype(np.int64), position, size


@overload
def generate_population(
    n_employees: int,
    *,
    seed: int = 0,
    unit_size: int = 20,
    peers: int = 3,
    given_share: float = 0.2,
    return_frames: Literal[False] = False,
) -> Dataset: ...


@overload
def generate_population(
    n_employees: int,
    *,
    seed: int = 0,
    unit_size: int = 20,
    peers: int = 3,
    given_share: float = 0.2,
    return_frames: Literal[True],
) -> tuple[Dataset, Frames]: ...


def generate_population(
    n_employees: int,
    *,
    seed: int = 0,
    unit_size: int = 20,
    peers: int = 3,
    given_share: float = 0.2,
    return_frames: bool = False,
) -> Dataset | tuple[Dataset, Frames]:
    """A validated synthetic dataset of ``n_employees`` (at least 2), deterministic for a ``seed``.

    Shape: a unit hierarchy (the government, its agencies, their units of about ``unit_size`` staff, a third of
    them service units); each unit's head leads its staff and reports to the head above; JPT heads of the
    government and the agencies, JA heads and staff, JF staff with a jenjang; two or three RHK per employee (an
    RHK tambahan for some) cascading from the superior's, about five indicators each with value or range
    targets, some lower-is-better, realisations around the target; the seven BerAKHLAK values rated (1–5, some
    half points) by the direct superior (the head of the government by a Pejabat Penilai outside the dataset),
    about ``peers`` peers (colleagues with the same superior), every subordinate, and self; for each service unit
    a citizen survey of 20–60 respondents answering the nine unsur; evaluator-given ratings for ``given_share``
    of the employees; an organisation predikat per unit.

    With ``return_frames=True`` also the input tables (dicts of columns, for
    :func:`~asn_kinerja.dataset.from_frames`, pandas or Parquet).
    """
    if n_employees < 2:
        raise ValueError("a population needs at least 2 employees")
    rng = np.random.default_rng(seed)  # every step draws from it in turn: the order of the steps is the seed's
    n = int(n_employees)
    units = _units(rng, n, unit_size)
    staff = _employees(rng, n, units)
    rhk = _rhk(rng, staff.superior)
    ind = _indicators(rng, rhk, n, given_share)
    ratings = _ratings(rng, staff.superior, peers)
    tables = _evaluations_and_surveys(rng, units, staff, ind.given, ratings.latent)
    tables |= _frames(rng, units, staff, rhk, ind, ratings)
    frames: Frames = {name: tables[name] for name in _OWNERS}
    dataset = from_frames(
        agency=f"Pemerintah Kabupaten Sintetis (seed {seed})",
        period=Period("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        scale=(1, 5),
        **frames,
        source=f"synthetic-{n}-{seed}",
    )
    return (dataset, frames) if return_frames else dataset


@attrs.frozen(eq=False)
class _Units:
    """The unit hierarchy: each unit's parent (-1 for the government), depth (0 government, 1 agency, 2 unit),
    whether it serves the public, its id and name."""

    parent: I64
    level: I64
    service: npt.NDArray[np.bool_]
    ids: npt.NDArray[np.object_]
    names: npt.NDArray[np.object_]


def _units(rng: np.random.Generator, n: int, unit_size: int) -> _Units:
    """Units: the government (0), its agencies (1..a), units of about ``unit_size`` staff below the agencies."""
    n_units = max(3, n // unit_size)
    n_agencies = max(1, min(n_units - 2, round(n_units**0.5 / 2)))
    unit_parent = np.full(n_units, -1, dtype=np.int64)
    unit_parent[1 : n_agencies + 1] = 0
    rest = np.arange(n_agencies + 1, n_units)
    unit_parent[rest] = 1 + rng.integers(0, n_agencies, len(rest))
    level = np.where(unit_parent < 0, 0, np.where(unit_parent == 0, 1, 2))
    service = (level == 2) & (rng.random(n_units) < 0.35)
    unit_ids = _ids("U", n_units, 6)
    unit_names = np.where(
        level == 0,
        "Pemerintah Kabupaten Sintetis",
        np.where(level == 1, np.char.add("Dinas ", unit_ids.astype(str)), np.char.add("Bidang ", unit_ids.astype(str))),
    ).astype(object)
    return _Units(unit_parent, level, service, unit_ids, unit_names)


@attrs.frozen(eq=False)
class _Employees:
    """Each employee's unit, superior (-1 for none in the dataset), jenis jabatan code (JPT, JA, JF), jenjang code
    (-1 for none), NIP-like id and name (a code into ``full_names``)."""

    unit: I64
    superior: I64
    jenis: I64
    jenjang: I64
    ids: npt.NDArray[np.object_]
    full_names: npt.NDArray[np.str_]
    name_codes: I64


def _employees(rng: np.random.Generator, n: int, units: _Units) -> _Employees:
    """The employees: the head of each unit first (rows 0..units-1), then staff in the units below the agencies;
    each unit's head leads its staff and reports to the head above."""
    n_units = len(units.ids)
    level = units.level
    unit = np.empty(n, dtype=np.int64)
    heads = min(n, n_units)
    unit[:heads] = np.arange(heads)
    staff_units = np.flatnonzero(level == 2) if (level == 2).any() else np.arange(n_units)
    unit[heads:] = np.sort(staff_units[rng.integers(0, len(staff_units), n - heads)])
    head_of = np.arange(n_units)
    is_head = np.arange(n) < heads
    superior = np.where(is_head, -1, head_of[unit])
    up = units.parent[unit[:heads]]
    superior[:heads] = np.where(up >= 0, head_of[np.maximum(up, 0)], -1)
    jenis = np.where(is_head & (level[unit] < 2), 0, np.where(~is_head & (rng.random(n) < 0.4), 2, 1))  # JPT JA JF
    jenjang = np.full(n, -1, dtype=np.int64)
    jf = jenis == 2
    jenjang[jf] = rng.choice(len(_JENJANG), int(jf.sum()), p=_JENJANG_P)
    jenjang[jenis == 0] = len(_JENJANG)  # pratama
    emp_ids = _nip_ids(rng, n)
    full_names = np.char.add(np.char.add(_FIRST.astype(str)[:, None], " "), _LAST.astype(str)[None, :]).ravel()
    name_codes = rng.integers(0, len(_FIRST), n) * len(_LAST) + rng.integers(0, len(_LAST), n)
    return _Employees(unit, superior, jenis, jenjang, emp_ids, full_names, name_codes)


def _nip_ids(rng: np.random.Generator, n: int) -> npt.NDArray[np.object_]:
    """NIP-like ids: birth date, month of appointment, sex, then a sequence number within the same prefix."""
    birth = rng.integers(0, 365 * 35, n)
    joined = rng.integers(0, 30 * 12, n)
    sex = rng.integers(1, 3, n)
    _, position, _ = _within_groups((birth * 400 + joined) * 3 + sex)
    born = (np.datetime64("1965-01-01") + birth.astype("timedelta64[D]")).astype(str)
    appointed = (np.datetime64("1990-01") + joined.astype("timedelta64[M]")).astype(str)
    prefix = np.char.add(np.char.replace(born, "-", ""), np.char.replace(appointed, "-", ""))
    prefix = np.char.add(prefix, sex.astype(str))
    out: npt.NDArray[np.object_] = np.char.add(prefix, _padded(position + 1, 3)).astype(object)
    return out


@attrs.frozen(eq=False)
class _Rhk:
    """Each RHK's employee, jenis (``utama`` or ``tambahan``), id and the superior's RHK it cascades from (-1 for
    none); each employee's first RHK row."""

    employee: I64
    jenis: npt.NDArray[np.str_]
    ids: npt.NDArray[np.object_]
    intervensi: I64
    start: I64


def _rhk(rng: np.random.Generator, superior: I64) -> _Rhk:
    """RHK: 2 utama (+ 1 tambahan for some) per employee, cascading to one of the superior's first two RHK."""
    n = len(superior)
    per_emp = 2 + (rng.random(n) < 0.3)
    rhk_emp = np.repeat(np.arange(n), per_emp)
    rhk_start = np.concatenate([[0], np.cumsum(per_emp)[:-1]])
    rhk_pos = np.arange(len(rhk_emp)) - rhk_start[rhk_emp]
    rhk_jenis = np.where(rhk_pos >= 2, "tambahan", "utama")
    n_rhk = len(rhk_emp)
    boss = superior[rhk_emp]
    cascade = (boss >= 0) & (rhk_jenis == "utama") & (rng.random(n_rhk) < 0.98)
    intervensi = np.full(n_rhk, -1, dtype=np.int64)
    intervensi[cascade] = rhk_start[boss[cascade]] + rhk_pos[cascade] % 2
    return _Rhk(rhk_emp, rhk_jenis, _ids("RHK-", n_rhk, 8), intervensi, rhk_start)


@attrs.frozen(eq=False)
class _Indicators:
    """Each indicator's RHK, kind (a code into the indicator texts), direction, targets (a value or a range),
    weight and realisasi (NaN where missing); per employee, whether the evaluator gives their ratings."""

    rhk: I64
    kind: I64
    lower: npt.NDArray[np.bool_]
    target: F64
    low: F64
    high: F64
    weight: F64
    realisasi: F64
    given: npt.NDArray[np.bool_]


def _indicators(rng: np.random.Generator, rhk: _Rhk, n: int, given_share: float) -> _Indicators:
    """Indicators: 1–3 per RHK (about five per employee) with value or range targets, some lower-is-better,
    realisations around the target (some missing where the evaluator gives the ratings)."""
    n_rhk = len(rhk.ids)
    per_rhk = 1 + rng.binomial(2, 0.6, n_rhk)
    ind_rhk = np.repeat(np.arange(n_rhk), per_rhk)
    m = len(ind_rhk)
    kind = rng.integers(0, len(_INDICATOR_TEXT), m)
    lower = kind == 5
    is_range = (rng.random(m) < 0.2) | lower
    base = _TARGETS[rng.integers(0, len(_TARGETS), m)]
    target = np.where(is_range, np.nan, base)
    low = np.where(is_range, np.where(lower, 1.0, np.round(base * 0.9, 1)), np.nan)
    high = np.where(is_range, np.where(lower, 3.0, base), np.nan)
    centre = np.where(is_range, np.where(lower, 2.0, base), base)
    factor = np.clip(rng.normal(1.0, 0.12, m), 0.3, 1.6)
    realisasi = np.where(rng.random(m) < 0.5, np.round(centre * factor), np.round(centre * factor, 1))
    weight = np.where(rng.random(m) < 0.1, 2.0, np.where(rng.random(m) < 0.05, 0.5, 1.0))
    owner = rhk.employee[ind_rhk]
    given = rng.random(n) < given_share
    missing = given[owner] & (rng.random(m) < 0.05)
    realisasi = np.where(missing, np.nan, realisasi)
    return _Indicators(ind_rhk, kind, lower, target, low, high, weight, realisasi, given)


@attrs.frozen(eq=False)
class _Ratings:
    """The BerAKHLAK ratings in long format (ratee, rater, group and criterion codes, score) and each employee's
    latent performance they are drawn around."""

    ratee: npt.NDArray[np.int32]
    rater: npt.NDArray[np.int32]
    group: npt.NDArray[np.int8]
    criterion: npt.NDArray[np.int8]
    score: F64
    latent: F64


def _ratings(rng: np.random.Generator, superior: I64, peers: int) -> _Ratings:
    """The seven values rated (1–5, some half points by the superior) by each rating pair
    (:func:`_rating_pairs`), around each employee's latent performance; self-ratings a little higher."""
    n = len(superior)
    pair_ratee, pair_rater, pair_group = _rating_pairs(rng, superior, peers)
    crit = len(BERAKHLAK)
    ratee = np.repeat(pair_ratee.astype(np.int32), crit)
    rater = np.repeat(pair_rater.astype(np.int32), crit)
    group = np.repeat(pair_group.astype(np.int8), crit)
    criterion = np.tile(np.arange(crit, dtype=np.int8), len(pair_ratee))
    del pair_ratee, pair_rater, pair_group
    latent = np.clip(rng.normal(3.9, 0.55, n), 1.5, 5.0)
    score = rng.normal(0.0, 0.6, len(ratee))  # in place from here: a few arrays at a million employees
    score += latent[ratee]
    score[group == 3] += 0.4  # self-ratings a little higher
    np.clip(score, 1.0, 5.0, out=score)
    halves = (group == 0) & (rng.random(len(ratee)) < 0.2)  # some supervisors give half points
    score[halves] *= 2
    np.round(score, out=score)
    score[halves] /= 2
    del halves
    return _Ratings(ratee, rater, group, criterion, score, latent)


def _rating_pairs(rng: np.random.Generator, superior: I64, peers: int) -> tuple[I64, I64, I64]:
    """Who rates whom, sorted by ratee then rater: the direct superior (the head of the government by a Pejabat
    Penilai outside the dataset, row ``n``), about ``peers`` colleagues with the same superior, every
    subordinate, and the employee themselves; with the rater group's code."""
    n = len(superior)
    outside = n  # the Pejabat Penilai of the government's head, outside the dataset
    has_boss = superior >= 0
    ratee_parts = [np.arange(n)[has_boss], np.flatnonzero(~has_boss)]
    rater_parts = [superior[has_boss], np.full(int((~has_boss).sum()), outside)]
    group_parts = [np.zeros(int(has_boss.sum()), dtype=np.int64), np.zeros(int((~has_boss).sum()), dtype=np.int64)]
    # peers: colleagues with the same superior, the next ones in a circle
    colleagues = np.flatnonzero(has_boss)
    order, position, size = _within_groups(superior[colleagues])
    sorted_rows = colleagues[order]
    start = np.empty(len(colleagues), dtype=np.int64)
    start[order] = np.searchsorted(superior[sorted_rows], superior[sorted_rows], side="left")
    wanted = np.minimum(size - 1, rng.integers(max(1, peers - 1), peers + 2, len(colleagues)))
    for d in range(1, peers + 2):
        use = wanted >= d
        ratee_parts.append(colleagues[use])
        rater_parts.append(sorted_rows[start[use] + (position[use] + d) % size[use]])
        group_parts.append(np.full(int(use.sum()), 1))
    # subordinates rate their superior, everyone rates themselves
    ratee_parts += [superior[has_boss], np.arange(n)]
    rater_parts += [np.arange(n)[has_boss], np.arange(n)]
    group_parts += [np.full(int(has_boss.sum()), 2), np.full(n, 3)]
    pair_ratee = np.concatenate(ratee_parts)
    pair_rater = np.concatenate(rater_parts)
    pair_group = np.concatenate(group_parts)
    pair_order = np.argsort(pair_ratee * (n + 1) + pair_rater, kind="stable")
    return pair_ratee[pair_order], pair_rater[pair_order], pair_group[pair_order]


def _evaluations_and_surveys(
    rng: np.random.Generator, units: _Units, staff: _Employees, given: npt.NDArray[np.bool_], latent: F64
) -> Frames:
    """The evaluations table (ratings given by the evaluator for the ``given`` employees) and the surveys table
    (each service unit: 20–60 respondents answering the nine unsur, 1–4)."""
    ev_rows = np.flatnonzero(given)
    levels = np.array(["di_bawah", "sesuai", "di_atas"], dtype=object)
    hk_given = levels[np.clip(np.round(rng.normal(1.1, 0.6, len(ev_rows))), 0, 2).astype(np.int64)]
    pk_given = levels[np.clip(np.round((latent[ev_rows] - 3.0) / 1.2 + 0.3), 0, 2).astype(np.int64)]
    surveyed = np.flatnonzero(units.service)
    respondents = rng.integers(20, 61, len(surveyed))
    sv_unit = np.repeat(surveyed, respondents)
    mood = rng.normal(3.2, 0.4, len(surveyed))
    answers = np.clip(np.round(np.repeat(mood, respondents)[:, None] + rng.normal(0, 0.7, (len(sv_unit), 9))), 1, 4)
    sv_pos = np.arange(len(sv_unit)) - np.repeat(np.cumsum(respondents) - respondents, respondents)
    return {
        "evaluations": {
            "employee_id": Categorical(ev_rows, staff.ids),
            "rating_hasil_kerja": hk_given,
            "rating_perilaku_kerja": pk_given,
        },
        "surveys": {
            "unit_id": Categorical(sv_unit, units.ids),
            "respondent_id": np.char.add(
                np.char.add(units.ids[sv_unit].astype(str), "-R"), _padded(sv_pos + 1, 3)
            ).astype(object),
            **{f"u{j + 1}": answers[:, j] for j in range(9)},
        },
    }


def _frames(
    rng: np.random.Generator, units: _Units, staff: _Employees, rhk: _Rhk, ind: _Indicators, ratings: _Ratings
) -> Frames:
    """The input tables of units, employees, RHK, indicators and ratings as columns (codes into their categories
    where a column repeats few values); the organisation predikat of each unit and the text of each RHK are
    drawn here."""
    n_units = len(units.ids)
    emp_ids = staff.ids
    emp_cat = np.append(emp_ids, "PPK-LUAR-0001").astype(object)
    return {
        "units": {
            "unit_id": units.ids,
            "name": units.names,
            "parent_id": Categorical(units.parent, units.ids),
            "predikat_organisasi": Categorical(rng.choice(len(_ORG), n_units, p=_ORG_P), _ORG),
            "service_unit": np.where(units.service, "true", "false").astype(object),
        },
        "employees": {
            "employee_id": emp_ids,
            "name": Categorical(staff.name_codes, staff.full_names.astype(object)),
            "unit_id": Categorical(staff.unit, units.ids),
            "jenis_jabatan": Categorical(staff.jenis, np.array(["JPT", "JA", "JF"], dtype=object)),
            "jenjang": Categorical(staff.jenjang, np.append(_JENJANG, "pratama")),
            "superior_id": Categorical(staff.superior, emp_ids),
        },
        "rhk": {
            "rhk_id": rhk.ids,
            "employee_id": Categorical(rhk.employee, emp_ids),
            "jenis": Categorical((rhk.jenis == "tambahan").astype(np.int64), np.array(["utama", "tambahan"], object)),
            "intervensi_id": Categorical(rhk.intervensi, rhk.ids),
            "text": Categorical(rng.integers(0, len(_RHK_TEXT), len(rhk.ids)), _RHK_TEXT),
        },
        "indicators": {
            "indicator_id": _ids("IKI-", len(ind.rhk), 9),
            "rhk_id": Categorical(ind.rhk, rhk.ids),
            "text": Categorical(ind.kind, _INDICATOR_TEXT),
            "direction": Categorical(ind.lower.astype(np.int64), np.array(["higher", "lower"], dtype=object)),
            "target": ind.target,
            "target_low": ind.low,
            "target_high": ind.high,
            "weight": ind.weight,
            "realisasi": ind.realisasi,
        },
        "ratings": {
            "ratee_id": Categorical(ratings.ratee, emp_ids),
            "rater_id": Categorical(ratings.rater, emp_cat),
            "group": Categorical(ratings.group, np.array(["atasan", "rekan", "bawahan", "diri"], dtype=object)),
            "criterion": Categorical(ratings.criterion, np.array(BERAKHLAK, dtype=object)),
            "score": ratings.score,
        },
    }


#: Per table: the column holding each row's owner and the table it points into (for :func:`generate_tables`).
_OWNERS = {
    "units": ("unit_id", None),
    "employees": ("unit_id", "units"),
    "rhk": ("employee_id", "employees"),
    "indicators": ("rhk_id", "rhk"),
    "ratings": ("ratee_id", "employees"),
    "evaluations": ("employee_id", "employees"),
    "surveys": ("unit_id", "units"),
}


def generate_tables(
    n_employees: int,
    *,
    periods: tuple[str, ...] | list[str] = ("2025",),
    seed: int = 0,
    route_level: int | None = None,
    **options: Any,
) -> dict[str, Any]:
    """The tables of :func:`generate_population` for several periods, as pandas DataFrames (needs the ``pandas``
    extra) with the CSV column names and two more: ``period`` and ``unit``, the unit of each row's owner (a unit
    itself, an employee's unit, the unit of an RHK's or indicator's employee, of a ratee, of a surveyed unit): the
    keys of a Parquet dataset partitioned by period and unit. With ``route_level``, ``unit`` is that unit's ancestor
    at that depth (the top unit is at depth 0; units above the depth are their own): coarser folders, one per
    subtree. Period ``k`` is the population of seed ``seed + k`` (``options`` as for :func:`generate_population`);
    its rows follow those of period ``k - 1``.

    >>> tables = generate_tables(60, periods=["2025-S1", "2025-S2"], seed=2)
    >>> sorted(tables), len(tables["employees"])
    (['employees', 'evaluations', 'indicators', 'ratings', 'rhk', 'surveys', 'units'], 120)
    >>> tables["ratings"][["period", "unit", "ratee_id"]].iloc[0].tolist()  # doctest: +ELLIPSIS
    ['2025-S1', 'U000001', '...']
    """
    from asn_kinerja.dataset.frames import require

    pd = require("pandas")
    parts: dict[str, list[Any]] = {name: [] for name in _OWNERS}
    for k, period in enumerate(periods):
        _, frames = generate_population(n_employees, seed=seed + k, return_frames=True, **options)
        unit_of: dict[str, npt.NDArray[np.int64]] = {"units": _ancestors(frames["units"]["parent_id"], route_level)}
        for name, (column, into) in _OWNERS.items():  # owners before their rows: units, employees, rhk, ...
            if into is not None:
                codes = frames[name][column].codes.astype(np.int64)
                unit_of[name] = unit_of[into][codes]
            unit_ids = frames["units"]["unit_id"]
            columns = {
                col: values.dense() if isinstance(values, Categorical) else values
                for col, values in frames[name].items()
            }
            parts[name].append(pd.DataFrame({"period": period, "unit": unit_ids[unit_of[name]], **columns}))
    return {name: pd.concat(frames_, ignore_index=True) for name, frames_ in parts.items()}


def _ancestors(parent: Categorical, level: int | None) -> npt.NDArray[np.int64]:
    """Each unit's ancestor at depth ``level`` (the unit itself where it is not deeper; every unit for ``None``)."""
    up = parent.codes.astype(np.int64)
    n = len(up)
    own = np.arange(n, dtype=np.int64)
    if level is None:
        return own
    depth = np.zeros(n, dtype=np.int64)
    at = own.copy()
    while (moving := up[at] >= 0).any():  # a step per level of the tree
        depth += moving
        at = np.where(moving, up[at], at)
    out = own.copy()
    for _ in range(int(depth.max(initial=0))):
        deeper = depth[out] > level
        out = np.where(deeper, up[out], out)
    return out
