"""The index of a citizen survey (SKM, PermenPANRB 14/2017) as a text table, as ``asn-kinerja ikm`` prints it."""

from __future__ import annotations

from fractions import Fraction

from asn_kinerja._numbers import round_to
from asn_kinerja.rules.skm_2017 import UNSUR, IkmResult

__all__ = ["format_table"]


def _show(value: Fraction, places: int) -> str:
    """A weight as printed: its exact decimal when short, else the fraction (1/9)."""
    decimal_text = round_to(value, places)
    if Fraction(decimal_text) == value:
        return f"{decimal_text.normalize():f}"
    return f"{value.numerator}/{value.denominator}"


def format_table(result: IkmResult) -> str:
    """The per-unsur table (unsur, label, NRR, weight), then the index, the converted index and the mutu.

    NRR are shown to 3 decimals (or to ``nrr_places`` when the NRR were rounded), the index to 4; the
    converted index and mutu are the published values.

    >>> from asn_kinerja.rules.skm_2017 import ikm
    >>> totals = [105, 101, 100, 116, 102, 105, 106, 105, 115]
    >>> print(format_table(ikm([Fraction(t, 29) for t in totals], respondents=29, population=30)))
    No  Unsur                               Label                                      NRR  Bobot
     1  persyaratan                         Persyaratan                              3.621  1/9
     2  sistem_mekanisme_prosedur           Sistem, Mekanisme, dan Prosedur          3.483  1/9
     3  waktu_penyelesaian                  Waktu Penyelesaian                       3.448  1/9
     4  biaya_tarif                         Biaya/Tarif                              4.000  1/9
     5  produk_spesifikasi_jenis_pelayanan  Produk Spesifikasi Jenis Pelayanan       3.517  1/9
     6  kompetensi_pelaksana                Kompetensi Pelaksana                     3.621  1/9
     7  perilaku_pelaksana                  Perilaku Pelaksana                       3.655  1/9
     8  penanganan_pengaduan                Penanganan Pengaduan, Saran dan Masukan  3.621  1/9
     9  sarana_prasarana                    Sarana dan Prasarana                     3.966  1/9
    Responden: 29 (sampel minimum untuk populasi 30: 28, cukup)
    IKM: 3.6590
    IKM konversi: 91.48
    Mutu pelayanan: A (Sangat Baik)
    """
    places = 3 if result.nrr_places is None else result.nrr_places
    shown = result.nrr_used
    head = ("No", "Unsur", "Label", "NRR", "Bobot")
    body = [
        (str(n), u, UNSUR[u], f"{round_to(shown[u], places)}", _show(result.weights[u], 6))
        for n, u in enumerate(UNSUR, start=1)
    ]
    width_id = max(len(head[1]), *(len(r[1]) for r in body))
    width_label = max(len(head[2]), *(len(r[2]) for r in body))
    width_nrr = max(len(head[3]), *(len(r[3]) for r in body))
    lines = [f"{head[0]:>2}  {head[1]:<{width_id}}  {head[2]:<{width_label}}  {head[3]:>{width_nrr}}  {head[4]}"]
    lines.extend(f"{r[0]:>2}  {r[1]:<{width_id}}  {r[2]:<{width_label}}  {r[3]:>{width_nrr}}  {r[4]}" for r in body)
    if result.respondents is not None:
        line = f"Responden: {result.respondents}"
        if result.sample_required is not None:
            verdict = "cukup" if result.sample_sufficient else "KURANG"
            line += f" (sampel minimum untuk populasi {result.population}: {result.sample_required}, {verdict})"
        lines.append(line)
    lines.append(f"IKM: {round_to(result.indeks, 4)}")
    lines.append(f"IKM konversi: {result.konversi}")
    lines.append(f"Mutu pelayanan: {result.mutu} ({result.kinerja})")
    return "\n".join(lines)
