"""Plots (the ``plot`` extra: ``pip install "asn_kinerja[plot]"``); matplotlib is imported only when used.

>>> import asn_kinerja, asn_kinerja.plot
>>> result = asn_kinerja.evaluate(asn_kinerja.load_policy("permenpanrb-6-2022"),
...                               asn_kinerja.load_dataset("examples/bungo/data"))
>>> figure = asn_kinerja.plot.unit_distribution(result.units()[3])
>>> figure.axes[0].get_title()
'KEU — Baik: meets the guidance'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asn_kinerja.engine.organisation import UnitReport
from asn_kinerja.model import Predikat
from asn_kinerja.rules.distribution import share_limits

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["unit_distribution"]

_COLOURS = {
    Predikat.SANGAT_BAIK: "#1a7f37",
    Predikat.BAIK: "#4c9be8",
    Predikat.BUTUH_PERBAIKAN: "#d4a72c",
    Predikat.KURANG_MISCONDUCT: "#e16f24",
    Predikat.SANGAT_KURANG: "#cf222e",
}


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError('plotting needs matplotlib: pip install "asn_kinerja[plot]"') from exc
    return plt


def unit_distribution(report: UnitReport) -> Figure:
    """A bar chart of a unit's employee predikat shares, with the share limits of its distribution guidance drawn
    as lines (upper limits dashed red, lower limits dashed green) and the verdict in the title. Save it with
    ``figure.savefig(path)``."""
    plt = _pyplot()
    figure, ax = plt.subplots(figsize=(7, 3.6), layout="constrained")
    n = report.n
    labels = [p.label for p in Predikat]
    shares = [100 * report.counts[p] / n if n else 0.0 for p in Predikat]
    bars = ax.bar(labels, shares, color=[_COLOURS[p] for p in Predikat])
    for bar, p in zip(bars, Predikat, strict=True):
        ax.annotate(
            str(report.counts[p]),
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontsize=9,
        )
    if report.predikat_organisasi is not None:
        for who, relation, share, _text in share_limits(report.predikat_organisasi):
            if len(who) != 1:
                continue  # a limit on a sum of predikat has no single bar to mark
            x = list(Predikat).index(who[0])
            colour = "#cf222e" if relation == "<=" else "#1a7f37"
            ax.hlines(float(share) * 100, x - 0.45, x + 0.45, colors=colour, linestyles="dashed")
    org = "—" if report.predikat_organisasi is None else report.predikat_organisasi.label
    verdict = "" if report.ok is None else (": meets the guidance" if report.ok else ": violates the guidance")
    ax.set_title(f"{report.unit_id} — {org}{verdict}")
    ax.set_ylabel(f"% of {n} evaluated")
    ax.set_ylim(0, 100)
    ax.tick_params(axis="x", labelsize=8)
    return figure  # type: ignore[no-any-return]
