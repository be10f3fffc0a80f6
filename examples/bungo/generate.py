"""Generate the example agency: Dinas Kependudukan dan Pencatatan Sipil, Kabupaten Bungo, performance year 2025.

Synthetic but realistic: a unit hierarchy, 60+ employees across JPT/JA/JF, cascading RHK, indicators with value
and range targets, BerAKHLAK ratings from supervisors, peers, subordinates and self (scale 1–5), citizen surveys
for the service units, and an organisation predikat per unit. Some evaluators gave their ratings, others left
them to be suggested from the evidence; the mix is chosen so that every predikat occurs.

Run from the repository root (the output is committed; re-running gives the same files)::

    python examples/bungo/generate.py
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

SEED = 2025
OUT = Path(__file__).resolve().parent / "data"
CRITERIA = ["berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif"]

UNITS = [
    # id, name, parent, predikat organisasi, service unit
    ("DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "", "baik", False),
    ("SEKRE", "Sekretariat", "DUKCAPIL", "baik", False),
    ("UMPEG", "Subbagian Umum dan Kepegawaian", "SEKRE", "butuh_perbaikan", False),
    ("KEU", "Subbagian Perencanaan dan Keuangan", "SEKRE", "baik", False),
    ("DAFDUK", "Bidang Pelayanan Pendaftaran Penduduk", "DUKCAPIL", "istimewa", True),
    ("CAPIL", "Bidang Pelayanan Pencatatan Sipil", "DUKCAPIL", "baik", True),
    ("PIAK", "Bidang Pengelolaan Informasi Administrasi Kependudukan", "DUKCAPIL", "kurang", False),
    ("UPT-MB", "UPT Pelayanan Adminduk Muara Bungo", "DAFDUK", "butuh_perbaikan", True),
]

FIRST = [
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
    "Fitri",
    "Hasan",
    "Indah",
    "Ridwan",
    "Yeni",
    "Taufik",
    "Desi",
    "Sutrisno",
    "Maya",
    "Andi",
    "Ratna",
]
LAST = [
    "Saputra",
    "Wahyuni",
    "Hidayat",
    "Kurniawan",
    "Lubis",
    "Harahap",
    "Nasution",
    "Sari",
    "Pratama",
    "Syahputra",
    "Rahmawati",
    "Fitriani",
    "Susanto",
    "Utami",
    "Siregar",
    "Permana",
    "Hasibuan",
    "Anggraini",
    "Maulana",
    "Putra",
]

# Functional positions (JF) and their jenjang; administrative staff (JA) have none.
JF = [
    ("Administrator Database Kependudukan", "ahli_pertama"),
    ("Administrator Database Kependudukan", "ahli_muda"),
    ("Pranata Komputer", "terampil"),
    ("Pranata Komputer", "mahir"),
    ("Analis Kebijakan", "ahli_pertama"),
    ("Arsiparis", "terampil"),
    ("Pranata Komputer", "ahli_pertama"),
    ("Statistisi", "ahli_madya"),
]

STAFF_PER_UNIT = {"SEKRE": 3, "UMPEG": 7, "KEU": 6, "DAFDUK": 9, "CAPIL": 9, "PIAK": 10, "UPT-MB": 9}

RHK_TEMPLATES = {
    "DUKCAPIL": [
        "Meningkatnya kualitas pelayanan administrasi kependudukan",
        "Meningkatnya akurasi data kependudukan",
    ],
    "SEKRE": [
        "Terselenggaranya tata kelola kesekretariatan yang akuntabel",
        "Tersusunnya dokumen perencanaan dan pelaporan kinerja dinas",
    ],
    "UMPEG": ["Terkelolanya administrasi kepegawaian", "Tersedianya layanan umum dan perlengkapan kantor"],
    "KEU": ["Tersusunnya laporan keuangan tepat waktu", "Terlaksananya anggaran sesuai rencana"],
    "DAFDUK": ["Meningkatnya cakupan kepemilikan KTP-el", "Terselesaikannya layanan pindah datang penduduk"],
    "CAPIL": [
        "Meningkatnya cakupan akta kelahiran anak",
        "Terselesaikannya layanan akta perkawinan dan kematian",
    ],
    "PIAK": [
        "Terjaganya kualitas database kependudukan",
        "Tersedianya layanan pemanfaatan data kependudukan",
    ],
    "UPT-MB": [
        "Terlayaninya permohonan dokumen kependudukan di kecamatan",
        "Meningkatnya layanan jemput bola",
    ],
}

# Indicator templates: text, satuan, kind ("value" or "range"), direction, base target (or range), aspect.
INDICATORS = [
    ("Jumlah dokumen yang diselesaikan", "dokumen", "value", "higher", 1200, "kuantitas"),
    ("Persentase dokumen tanpa kesalahan", "persen", "value", "higher", 98, "kualitas"),
    ("Waktu penyelesaian layanan", "hari", "range", "lower", (1, 3), "waktu"),
    ("Jumlah laporan yang disampaikan", "laporan", "value", "higher", 12, "kuantitas"),
    ("Tingkat ketepatan data", "persen", "range", "higher", (95, 100), "kualitas"),
    ("Realisasi anggaran kegiatan", "persen", "range", "higher", (90, 100), "biaya"),
    ("Jumlah rekaman data yang dimutakhirkan", "rekaman", "value", "higher", 5000, "kuantitas"),
]

# Planned profiles so that every predikat occurs: (results level, behaviour level, evaluator gives ratings?).
# Levels: "high", "mid", "low". The rest of the staff draw their levels at random.
PROFILES = {
    "DAFDUK": [
        ("high", "high", False),
        ("high", "high", True),
        ("high", "high", False),
        ("high", "mid", False),
        ("high", "high", False),  # rated low by peers: moves under the 360-degree policy
    ],
    "UMPEG": [("low", "mid", False), ("low", "mid", True), ("low", "high", False), ("mid", "low", False)],
    # KEU meets the guidance of an organisation predikat Baik: Baik the largest group (4 of 7), one
    # Butuh Perbaikan, the rest Sangat Baik.
    "KEU": [
        ("high", "high", True),
        ("high", "high", True),
        ("mid", "mid", True),
        ("mid", "mid", True),
        ("mid", "high", True),
        ("low", "mid", True),
    ],
    "PIAK": [
        ("mid", "low", False),
        ("mid", "low", True),
        ("high", "low", False),
        ("low", "low", False),
        ("low", "low", True),
        ("low", "mid", False),
        ("low", "mid", False),
        ("mid", "low", False),
    ],
    "UPT-MB": [
        ("low", "mid", False),
        ("low", "mid", False),
        ("low", "low", False),
        ("mid", "mid", False),
        ("high", "mid", False),
        ("mid", "mid", False),
    ],
}
# Leaders whose profile is fixed (unit: results, behaviour, given), so that a unit meets its guidance.
LEADER_PROFILES = {"KEU": ("mid", "mid", True)}
# Employees whose peers rate them low while their supervisor rates them well (unit, position in PROFILES).
PEERS_LOW = {("DAFDUK", 4), ("CAPIL", 0)}


def nip(rng: random.Random, seq: int) -> str:
    birth = f"{rng.randint(1968, 1998)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    start = f"{rng.randint(int(birth[:4]) + 22, 2021)}{rng.randint(1, 12):02d}"
    return f"{birth}{start}{rng.choice('12')}{seq:03d}"


def write(name: str, header: list[str], rows: list[list[object]]) -> None:
    with (OUT / name).open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def level_score(rng: random.Random, level: str) -> int:
    pick = {"high": [4, 5, 5, 5, 5], "mid": [3, 3, 4, 4, 3], "low": [1, 2, 2, 3, 2]}[level]
    return rng.choice(pick)


def main() -> None:
    rng = random.Random(SEED)
    OUT.mkdir(exist_ok=True)
    employees: list[dict[str, object]] = []
    used_names: set[str] = set()
    seq = 0

    def person(unit: str, jenis: str, jabatan: str, jenjang: str, superior: str | None) -> dict[str, object]:
        nonlocal seq
        seq += 1
        while True:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if name not in used_names:
                used_names.add(name)
                break
        e: dict[str, object] = {
            "id": nip(rng, seq),
            "name": name,
            "unit": unit,
            "jenis": jenis,
            "jabatan": jabatan,
            "jenjang": jenjang,
            "superior": superior,
            "results": None,
            "behaviour": None,
            "given": False,
        }
        employees.append(e)
        return e

    head = person("DUKCAPIL", "JPT", "Kepala Dinas", "pratama", None)
    head.update(results="high", behaviour="high", given=True)
    leaders = {"DUKCAPIL": head}
    for uid, _, parent, _, _ in UNITS[1:]:
        title = (
            "Sekretaris"
            if uid == "SEKRE"
            else (
                "Kepala Subbagian" if parent == "SEKRE" else "Kepala UPT" if uid.startswith("UPT") else "Kepala Bidang"
            )
        )
        leaders[uid] = person(uid, "JA", title, "", str(leaders[parent]["id"]))
    for uid, count in STAFF_PER_UNIT.items():
        profiles = list(PROFILES.get(uid, []))
        for i in range(count):
            if rng.random() < 0.4:
                jabatan, jenjang = rng.choice(JF)
                e = person(uid, "JF", jabatan, jenjang, str(leaders[uid]["id"]))
            else:
                e = person(
                    uid,
                    "JA",
                    rng.choice(
                        [
                            "Pengadministrasi Perkantoran",
                            "Operator Layanan Operasional",
                            "Penata Layanan Operasional",
                            "Pengolah Data dan Informasi",
                        ]
                    ),
                    "",
                    str(leaders[uid]["id"]),
                )
            e["peers_low"] = (uid, i) in PEERS_LOW
            if i < len(profiles):
                e["results"], e["behaviour"], e["given"] = profiles[i]
    for uid, profile in LEADER_PROFILES.items():
        leaders[uid]["results"], leaders[uid]["behaviour"], leaders[uid]["given"] = profile
    for e in employees:
        if e["results"] is None:
            e["results"] = rng.choice(["high", "mid", "mid", "mid", "high"])
            e["behaviour"] = rng.choice(["high", "mid", "mid", "high", "mid"])
            e["given"] = rng.random() < 0.4

    by_id = {str(e["id"]): e for e in employees}
    write(
        "units.csv",
        ["unit_id", "name", "parent_id", "predikat_organisasi", "service_unit"],
        [[u, n, p, o, "true" if s else "false"] for u, n, p, o, s in UNITS],
    )
    write(
        "employees.csv",
        ["employee_id", "name", "unit_id", "jenis_jabatan", "jabatan", "jenjang", "superior_id"],
        [
            [e["id"], e["name"], e["unit"], e["jenis"], e["jabatan"], e["jenjang"], e["superior"] or ""]
            for e in employees
        ],
    )

    # --- RHK and indicators ---------------------------------------------------------------------------------
    rhk_rows: list[list[object]] = []
    ind_rows: list[list[object]] = []
    rhk_of: dict[str, list[str]] = {}
    order = sorted(
        employees,
        key=lambda e: 0 if e["superior"] is None else (1 if e["id"] in {str(x["superior"]) for x in employees} else 2),
    )
    # Leaders before their staff, so that every RHK can name the superior's RHK it intervenes.
    order = [head] + [leaders[u] for u, *_ in UNITS[1:] if leaders[u]["superior"] == head["id"]]
    order += [leaders[u] for u, *_ in UNITS[1:] if leaders[u] not in order]
    order += [e for e in employees if e not in order]
    n_ind = 0
    for e in order:
        eid = str(e["id"])
        texts = RHK_TEMPLATES[str(e["unit"])]
        mine: list[str] = []
        n_rhk = 2
        for k in range(n_rhk + (1 if rng.random() < 0.3 else 0)):
            rid = f"RHK-{len(rhk_rows) + 1:04d}"
            jenis = "utama" if k < n_rhk else "tambahan"
            parent = rng.choice(rhk_of[str(e["superior"])]) if e["superior"] else ""
            text = texts[k % len(texts)] if jenis == "utama" else "Membantu kegiatan jemput bola perekaman KTP-el"
            if e["superior"] and jenis == "utama":
                text = f"{text} ({str(e['jabatan']).lower()})"
            rhk_rows.append([rid, eid, jenis, parent, text])
            if jenis == "utama":
                mine.append(rid)
            for _ in range(rng.choice([1, 2, 2])):
                n_ind += 1
                text_i, satuan, kind, direction, base, aspect = rng.choice(INDICATORS)
                factor = {"high": (1.12, 1.3), "mid": (0.93, 1.07), "low": (0.55, 0.85)}[str(e["results"])]
                f = rng.uniform(*factor)
                if kind == "value":
                    target = base if isinstance(base, int) else 1
                    real = round(target * f, 0 if target > 20 else 1)
                    t_cells = [target, "", ""]
                else:
                    lo, hi = base  # type: ignore[misc]
                    if direction == "lower":  # days: good performers finish faster than the range
                        real = (
                            round(lo / f, 1)
                            if e["results"] == "high"
                            else (round(rng.uniform(lo, hi), 1) if e["results"] == "mid" else round(hi / f, 1))
                        )
                    else:
                        real = (
                            round(hi * f, 1)
                            if e["results"] == "high"
                            else (round(rng.uniform(lo, hi), 1) if e["results"] == "mid" else round(lo * f, 1))
                        )
                    t_cells = ["", lo, hi]
                ind_rows.append([f"IKI-{n_ind:04d}", rid, text_i, aspect, satuan, direction, *t_cells, 1, real])
        rhk_of[eid] = mine
    # Planning defects for the cascading report: an RHK utama that intervenes nothing, one that intervenes an RHK
    # of someone other than the direct superior, and one that names an RHK that does not exist.
    staff_utama = [row for row in rhk_rows if row[2] == "utama" and row[3]]
    staff_utama[5][3] = ""
    superior_of = {str(e["id"]): str(e["superior"]) for e in employees}
    other = next(r for r in rhk_rows if r[1] not in (superior_of[str(staff_utama[17][1])], staff_utama[17][1]))
    staff_utama[17][3] = other[0]
    staff_utama[29][3] = "RHK-9999"
    write("rhk.csv", ["rhk_id", "employee_id", "jenis", "intervensi_id", "text"], rhk_rows)
    write(
        "indicators.csv",
        [
            "indicator_id",
            "rhk_id",
            "text",
            "aspect",
            "satuan",
            "direction",
            "target",
            "target_low",
            "target_high",
            "weight",
            "realisasi",
        ],
        ind_rows,
    )

    # --- ratings ----------------------------------------------------------------------------------------------
    ratings: list[list[object]] = []
    members: dict[str, list[str]] = {}
    for e in employees:
        members.setdefault(str(e["unit"]), []).append(str(e["id"]))
    for e in employees:
        eid, level = str(e["id"]), str(e["behaviour"])
        raters: list[tuple[str, str]] = []
        if e["superior"]:
            raters.append((str(e["superior"]), "atasan"))
        peers = [p for p in members[str(e["unit"])] if p != eid and by_id[p]["superior"] == e["superior"]]
        raters += [(p, "rekan") for p in rng.sample(peers, min(3, len(peers)))]
        subs = [str(x["id"]) for x in employees if x["superior"] == eid]
        raters += [(s, "bawahan") for s in rng.sample(subs, min(4, len(subs)))]
        raters.append((eid, "diri"))
        for rater, group in raters:
            for c in CRITERIA:
                if group == "diri":
                    score = min(5, level_score(rng, level) + 1)
                elif group == "atasan":
                    score = level_score(rng, level)
                elif group == "rekan" and e.get("peers_low"):
                    score = rng.choice([1, 2, 2, 3])
                else:
                    score = max(1, min(5, level_score(rng, level) + rng.choice([-1, 0, 0, 1])))
                ratings.append([eid, rater, group, c, score])
    write("ratings.csv", ["ratee_id", "rater_id", "group", "criterion", "score"], ratings)

    # --- the evaluator's own ratings, where given ----------------------------------------------------------
    to_rating = {"high": "di_atas", "mid": "sesuai", "low": "di_bawah"}
    evaluations = [
        [
            e["id"],
            to_rating[str(e["results"])],
            to_rating[str(e["behaviour"])],
            e["superior"] or "",
            "Ditetapkan oleh Pejabat Penilai Kinerja",
        ]
        for e in employees
        if e["given"]
    ]
    write(
        "evaluations.csv",
        ["employee_id", "rating_hasil_kerja", "rating_perilaku_kerja", "evaluator_id", "note"],
        evaluations,
    )

    # --- one keberatan granted -----------------------------------------------------------------------------
    granted = next(e for e in employees if e["given"] and e["results"] == "low" and e["behaviour"] == "mid")
    boss = by_id[str(granted["superior"])]
    write(
        "adjustments.csv",
        ["employee_id", "by", "on", "from_predikat", "to_predikat", "reason"],
        [
            [
                granted["id"],
                boss["superior"],
                "2026-01-20",
                "butuh_perbaikan",
                "baik",
                "Keberatan diterima Atasan Pejabat Penilai: target layanan terhambat gangguan jaringan SIAK",
            ]
        ],
    )

    # --- citizen surveys for the service units ---------------------------------------------------------------
    survey_rows: list[list[object]] = []
    quality = {"DAFDUK": [3, 4, 4, 4, 3], "CAPIL": [3, 3, 4, 3, 3], "UPT-MB": [1, 2, 2, 3, 2, 1]}
    for unit, pool in quality.items():
        for r in range(rng.randint(35, 60)):
            survey_rows.append([unit, f"{unit}-R{r + 1:03d}", *[rng.choice(pool) for _ in range(9)]])
    write("surveys.csv", ["unit_id", "respondent_id", *[f"u{i}" for i in range(1, 10)]], survey_rows)

    (OUT / "dataset.yaml").write_text(
        "# Example agency generated by examples/bungo/generate.py (synthetic data; names are invented).\n"
        "agency: Dinas Kependudukan dan Pencatatan Sipil Kabupaten Bungo\n"
        "period: {id: '2025', start: 2025-01-01, end: 2025-12-31, kind: annual}\n"
        "scale: {min: 1, max: 5}\n"
        "description: >\n"
        "  Synthetic performance year 2025 of a district population and civil registration office: 8 units,\n"
        f"  {len(employees)} employees, cascading RHK, BerAKHLAK ratings from supervisors, peers, subordinates\n"
        "  and self, and citizen satisfaction surveys of the three service units.\n",
        encoding="utf-8",
    )
    print(
        f"wrote {OUT}: {len(employees)} employees, {len(rhk_rows)} RHK, {len(ind_rows)} indicators, "
        f"{len(ratings)} ratings, {len(survey_rows)} survey responses"
    )


if __name__ == "__main__":
    main()
