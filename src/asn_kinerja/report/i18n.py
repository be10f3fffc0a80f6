"""The words of the report, in Indonesian (the default) and English.

Official terms — predikat, ratings, BerAKHLAK values, the clauses of SE MenPANRB 3/2023 — keep their official
Indonesian labels in both languages; the texts the library generates for each step of an evaluation
(:meth:`~asn_kinerja.EmployeeResult.explain`) are quoted as the library writes them.

>>> words = texts("en")
>>> words("units_meeting", met=2, total=7)
'2 of 7 units with an organisation predikat meet the guidance'
>>> texts("id")("units_meeting", met=2, total=7)
'2 dari 7 unit yang memiliki predikat organisasi memenuhi pedoman'
>>> texts("fr")
Traceback (most recent call last):
...
asn_kinerja.errors.DataError: 1 problem in the data:
  lang: the report is written in 'id' or 'en', got 'fr'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from asn_kinerja.errors import DataError, Problem

__all__ = ["LANGUAGES", "texts"]

#: The languages of the report; the first is the default.
LANGUAGES = ("id", "en")

_TEXTS: Mapping[str, tuple[str, str]] = {
    # the page
    "evaluation_title": ("Laporan Penilaian Kinerja Pegawai", "Employee Performance Evaluation Report"),
    "comparison_title": ("Laporan Perbandingan Kebijakan Penilaian Kinerja", "Performance Policy Comparison Report"),
    "contents": ("Daftar isi", "Contents"),
    "agency": ("Instansi", "Agency"),
    "period": ("Periode", "Period"),
    "period_value": ("{id} ({start} s.d. {end})", "{id} ({start} to {end})"),
    "policy": ("Kebijakan", "Policy"),
    "policy_a": ("Kebijakan A (acuan)", "Policy A (baseline)"),
    "policy_b": ("Kebijakan B (alternatif)", "Policy B (alternative)"),
    "policy_value": ("{title} ({id}; rezim {regime}; berlaku {valid})", "{title} ({id}; regime {regime}; {valid})"),
    "valid_from": ("mulai {start}", "from {start}"),
    "valid_between": ("{start} s.d. {end}", "{start} to {end}"),
    "legal_basis": ("Dasar hukum", "Legal basis"),
    "references_caption": (
        "Dasar hukum setiap bagian kebijakan {policy}",
        "The legal basis of each part of policy {policy}",
    ),
    "part": ("Bagian kebijakan", "Policy part"),
    "whole_policy": ("seluruh kebijakan", "the whole policy"),
    "reference": ("Rujukan", "Reference"),
    "note": ("Catatan", "Note"),
    "generated_by": (
        "Dibuat oleh asn_kinerja {version}. Pedoman distribusi SE MenPANRB 3/2023 dilaporkan, tidak pernah "
        "diterapkan pada siapa pun.",
        "Made by asn_kinerja {version}. The distribution guidance of SE MenPANRB 3/2023 is reported, never applied "
        "to anyone.",
    ),
    # summary
    "summary": ("Ringkasan", "Summary"),
    "employees_evaluated": ("{n} pegawai dinilai.", "{n} employees evaluated."),
    "units_meeting": (
        "{met} dari {total} unit yang memiliki predikat organisasi memenuhi pedoman",
        "{met} of {total} units with an organisation predikat meet the guidance",
    ),
    "withheld_note": (
        "Skor perilaku kerja {n} pegawai dihitung dari penilaian anonim dan tidak dipublikasikan "
        "(privacy.publish_scores: when_not_anonymous); yang dipublikasikan adalah rating dan predikatnya.",
        "The behaviour score of {n} employees is computed from anonymous ratings and not published "
        "(privacy.publish_scores: when_not_anonymous); their ratings and predikat are.",
    ),
    "agency_distribution": ("Distribusi predikat instansi", "Predikat distribution of the agency"),
    "predikat": ("Predikat", "Predikat"),
    "count": ("Jumlah", "Count"),
    "share": ("Persentase", "Share"),
    "total": ("Jumlah", "Total"),
    # units
    "units": ("Unit kerja dan pedoman distribusi", "Units and the distribution guidance"),
    "units_intro": (
        "Distribusi predikat pegawai setiap unit dibandingkan dengan pedoman SE MenPANRB 3/2023 menurut predikat "
        "organisasi unit. Pedoman ini dilaporkan, tidak pernah mengubah predikat siapa pun.",
        "Each unit's distribution of employee predikat against the guidance of SE MenPANRB 3/2023 for the unit's "
        "organisation predikat. The guidance is reported; it never changes anyone's predikat.",
    ),
    "units_caption": ("Unit kerja: predikat organisasi, distribusi dan kesesuaian", "Units: predikat, guidance"),
    "unit": ("Unit", "Unit"),
    "unit_name": ("Nama unit", "Unit name"),
    "predikat_organisasi": ("Predikat organisasi", "Organisation predikat"),
    "evaluated": ("Dinilai", "Evaluated"),
    "guidance": ("Pedoman", "Guidance"),
    "meets": ("✓ Memenuhi", "✓ Meets"),
    "violates": ("✗ Tidak memenuhi", "✗ Violates"),
    "not_applicable": ("— Tidak berlaku", "— Not applicable"),
    "no_predikat_organisasi": (
        "Unit tanpa predikat organisasi: pedoman distribusi tidak berlaku.",
        "No organisation predikat: the distribution guidance does not apply.",
    ),
    "unit_distribution_caption": ("Distribusi predikat {unit}", "Predikat distribution of {unit}"),
    "unit_chart_title": (
        "Persentase pegawai {unit} per predikat, dengan batas pedoman",
        "Share of the staff of {unit} per predikat, with the guidance's limits",
    ),
    "agency_chart_title": ("Jumlah pegawai per predikat", "Employees per predikat"),
    "limit_marker": ("batas pedoman", "guidance limit"),
    "violations_caption": ("Ketentuan pedoman yang tidak dipenuhi {unit}", "Clauses of the guidance {unit} violates"),
    "rule": ("Aturan", "Rule"),
    "clause": ("Ketentuan", "Clause"),
    "required": ("Syarat", "Required"),
    "actual": ("Aktual", "Actual"),
    "violated_clauses": ("Ketentuan dilanggar", "Clauses violated"),
    "guidance_note": ("Catatan pedoman", "Guidance note"),
    # development, cascading, angka kredit
    "development_per_unit": ("Kebutuhan pengembangan per unit", "Development needs per unit"),
    "development_intro": (
        "Jumlah pegawai per unit yang nilai BerAKHLAK-nya menunjukkan kebutuhan pengembangan pada tema tersebut.",
        "Employees per unit whose BerAKHLAK values point to a development need in each theme.",
    ),
    "development_caption": (
        "Kebutuhan pengembangan: pegawai per unit dan tema",
        "Development needs: staff per unit, theme",
    ),
    "development_none": ("Tidak ada kebutuhan pengembangan.", "No development needs."),
    "development_unit": ("Kebutuhan pengembangan di unit ini", "Development needs in this unit"),
    "cascading": ("Cacat cascading RHK", "Cascading defects of the RHK"),
    "cascading_intro": (
        "RHK utama yang tidak mengintervensi RHK atasan langsung, mengintervensi RHK yang tidak ada, atau RHK "
        "pegawai lain.",
        "RHK utama that intervene nothing, an RHK that does not exist, or an RHK that is not the direct superior's.",
    ),
    "cascading_caption": ("{n} RHK dengan cacat perencanaan", "{n} RHK with a planning defect"),
    "cascading_none": ("Tidak ada cacat cascading.", "No cascading defects."),
    "rhk": ("RHK", "RHK"),
    "kind": ("Jenis", "Kind"),
    "problem": ("Masalah", "Problem"),
    "cascade_none": ("tidak mengintervensi", "intervenes nothing"),
    "cascade_missing": ("RHK tidak ada", "no such RHK"),
    "cascade_not_superior": ("bukan RHK atasan langsung", "not the direct superior's"),
    "angka_kredit": ("Angka kredit jabatan fungsional", "Angka kredit of functional positions"),
    "angka_kredit_intro": (
        "Angka kredit periode ini ({months} bulan) menurut predikat: bulan / 12 × persentase × koefisien tahunan "
        "jenjang (PermenPANRB 1/2023), dibulatkan setengah ke atas hingga 2 desimal.",
        "Angka kredit of this period ({months} month(s)) by predikat: months / 12 × percentage × the jenjang's "
        "annual coefficient (PermenPANRB 1/2023), half-up to 2 decimals.",
    ),
    "angka_kredit_caption": ("Angka kredit {n} pejabat fungsional", "Angka kredit of {n} functional officials"),
    "angka_kredit_none": ("Tidak ada pejabat fungsional yang dinilai.", "No functional officials evaluated."),
    "jenjang": ("Jenjang", "Jenjang"),
    # employees
    "employees": ("Daftar pegawai", "Employees"),
    "employees_caption": ("Hasil penilaian {n} pegawai", "Results of {n} employees"),
    "employees_intro": (
        "Tabel dapat dicari dan diurutkan (klik judul kolom) bila JavaScript aktif; tanpa JavaScript tabel tetap "
        "lengkap, berurutan menurut unit dan NIP.",
        "Search and sort the table (click a column heading) with JavaScript; without it the table is complete, in "
        "unit and NIP order.",
    ),
    "search": ("Cari", "Search"),
    "search_placeholder": ("NIP, nama, unit, predikat …", "NIP, name, unit, predikat …"),
    "search_status": ("{shown} dari {total} baris ditampilkan", "{shown} of {total} rows shown"),
    "sort_hint": ("urutkan", "sort"),
    "nip": ("NIP", "NIP"),
    "name": ("Nama", "Name"),
    "jabatan": ("Jabatan", "Position"),
    "hasil_kerja": ("Hasil kerja", "Hasil kerja"),
    "perilaku_kerja": ("Perilaku kerja", "Perilaku kerja"),
    "basis": ("Dasar", "Basis"),
    "capaian": ("Capaian (%)", "Capaian (%)"),
    "perilaku_score": ("Skor perilaku", "Behaviour score"),
    "development": ("Kebutuhan pengembangan", "Development needs"),
    "withheld": ("tidak dipublikasikan", "withheld"),
    "legend": (
        "Dasar: G = ditetapkan Pejabat Penilai Kinerja, S = saran dari bukti, O = predikat organisasi "
        "(hasil kerja/perilaku kerja); * = predikat disesuaikan (keberatan); "
        "“tidak dipublikasikan” = skor dari penilaian anonim.",
        "Basis: G = given by the evaluator, S = suggested from evidence, O = the organisation predikat "
        "(hasil kerja/perilaku kerja); * = predikat adjusted (keberatan); "
        "“withheld” = a score from anonymous ratings.",
    ),
    # comparison
    "comparison_summary": (
        "{n} pegawai: {changed} berubah ({up} naik, {down} turun); kesesuaian peringkat (Spearman, skor "
        "komposit): {agreement}.",
        "{n} employees: {changed} changed ({up} up, {down} down); rank agreement (Spearman, composite score): "
        "{agreement}.",
    ),
    "agreement_undefined": ("tidak terdefinisi", "undefined"),
    "ab_chart_title": (
        "Jumlah pegawai per predikat: kebijakan A dan B",
        "Employees per predikat: policy A and policy B",
    ),
    "ab_distribution_caption": ("Distribusi predikat di bawah A dan B", "Predikat distribution under A and B"),
    "transitions": ("Matriks transisi predikat", "Predikat transition matrix"),
    "transitions_caption": (
        "Pegawai per predikat di bawah A (baris) dan B (kolom); diagonal = tetap",
        "Employees by predikat under A (rows) and B (columns); the diagonal stays",
    ),
    "a_b": ("A \\ B", "A \\ B"),
    "units_comparison_caption": ("Unit: perpindahan dan pedoman di bawah A dan B", "Units: moves, guidance A and B"),
    "moved_up": ("Naik", "Up"),
    "moved_down": ("Turun", "Down"),
    "guidance_a": ("Pedoman A", "Guidance A"),
    "guidance_b": ("Pedoman B", "Guidance B"),
    "movers": ("Pegawai yang berubah per unit", "Changed employees per unit"),
    "movers_intro": (
        "Setiap pegawai yang predikat atau ratingnya berbeda di bawah A dan B, dengan langkah penilaian yang "
        "berbeda (nilai dan keterangan di bawah masing-masing kebijakan).",
        "Each employee whose predikat or a rating differs under A and B, with the steps of the evaluation that "
        "differ (value and detail under each policy).",
    ),
    "movers_none": ("Tidak ada pegawai yang berubah di unit ini.", "No changed employees in this unit."),
    "movers_count": ("{n} pegawai berubah", "{n} changed employee(s)"),
    "direction": ("Arah", "Direction"),
    "up": ("↑ naik", "↑ up"),
    "down": ("↓ turun", "↓ down"),
    "same": ("= predikat tetap", "= same predikat"),
    "evidence": ("Bukti", "Evidence"),
    "steps_caption": ("Langkah yang berbeda: {who}", "Steps that differ: {who}"),
    "step": ("Langkah", "Step"),
    "under_a": ("Di bawah A", "Under A"),
    "under_b": ("Di bawah B", "Under B"),
    "no_such_step": ("(tidak ada langkah ini)", "(no such step)"),
    "predikat_a": ("Predikat A", "Predikat A"),
    "predikat_b": ("Predikat B", "Predikat B"),
    "comparison_employees_caption": ("Predikat {n} pegawai di bawah A dan B", "Predikat of {n} employees, A and B"),
    "unit_ab_chart_title": (
        "Jumlah pegawai {unit} per predikat di bawah A dan B",
        "Staff of {unit} per predikat under A and B",
    ),
    "series_a": ("A", "A"),
    "series_b": ("B", "B"),
}


def texts(lang: str) -> Callable[..., str]:
    """The report's words in ``lang`` (``"id"`` or ``"en"``): a function of a key and its fields. An unknown
    language is a :class:`~asn_kinerja.DataError` naming ``lang``."""
    if lang not in LANGUAGES:
        allowed = " or ".join(repr(x) for x in LANGUAGES)
        raise DataError([Problem(f"the report is written in {allowed}, got {lang!r}", field="lang")])
    index = LANGUAGES.index(lang)

    def word(key: str, **fields: object) -> str:
        text = _TEXTS[key][index]
        return text.format(**fields) if fields else text

    return word
