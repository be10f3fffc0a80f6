"""Plots (the ``plot`` extra: ``pip install "asn_kinerja[plot]"``); matplotlib is imported only when used.

>>> import asn_kinerja, asn_kinerja.plot
>>> result = asn_kinerja.evaluate(asn_kinerja.load_policy("permenpanrb-6-2022"),
...                               asn_kinerja.load_dataset("examples/bungo/data"))
>>> figure = asn_kinerja.plot.unit_distribution(result.units()[3])
>>> figure.axes[0].get_title()
'KEU — Baik: meets the guidance'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from asn_kinerja.engine.organisation import UnitReport
from asn_kinerja.model import Predikat
from asn_kinerja.rules.distribution import share_limits

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from asn_kinerja.comparison import Comparison
    from asn_kinerja.sweeps import Sweep

__all__ = ["comparison_distribution", "sweep_distribution", "unit_distribution"]

_COLOURS = {
    Predikat.SANGAT_BAIK: "#1a7f37",
    Predikat.BAIK: "#4c9be8",
    Predikat.BUTUH_PERBAIKAN: "#d4a72c",
    Predikat.KURANG_MISCONDUCT: "#e16f24",
    Predikat.SANGAT_KURANG: "#cf222e",
}


def _figure(figsize: tuple[float, float]) -> Figure:
    """A new matplotlib figure that is not registered with pyplot (so figures are not kept alive by pyplot's
    state, and a notebook shows a returned figure once)."""
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError('plotting needs matplotlib: pip install "asn_kinerja[plot]"') from exc
    return Figure(figsize=figsize, layout="constrained")


def unit_distribution(report: UnitReport) -> Figure:
    """A bar chart of a unit's employee predikat shares, with the share limits of its distribution guidance drawn
    as lines (upper limits dashed red, lower limits dashed green) and the verdict in the title. Save it with
    ``figure.savefig(path)``."""
    figure = _figure(figsize=(7, 3.6))
    ax = figure.subplots()
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
    return figure


def comparison_distribution(comparison: Comparison) -> Figure:
    """Side-by-side bars of the predikat counts under policy A and policy B (the margins of the transition
    matrix), each bar labelled with its count.

    >>> import asn_kinerja
    >>> c = asn_kinerja.compare("permenpanrb-6-2022", "examples/policies/three-sixty.yaml", "examples/bungo/data")
    >>> comparison_distribution(c).axes[0].get_legend_handles_labels()[1]
    ['A: permenpanrb-6-2022', 'B: bungo-360']
    """
    figure = _figure(figsize=(8, 3.8))
    ax = figure.subplots()
    x = list(range(len(Predikat)))
    width = 0.4
    sides = (
        (comparison.transitions.sum(axis=1), comparison.a.policy.id, "A", -width / 2, "#4c9be8"),
        (comparison.transitions.sum(axis=0), comparison.b.policy.id, "B", width / 2, "#e16f24"),
    )
    for counts, policy_id, side, offset, colour in sides:
        bars = ax.bar([i + offset for i in x], counts, width, label=f"{side}: {policy_id}", color=colour)
        ax.bar_label(bars, fontsize=8)
    ax.set_xticks(x, [p.label for p in Predikat], fontsize=8)
    ax.set_ylabel(f"employees (of {len(comparison)})")
    ax.set_title(f"{len(comparison.changes)} changed: {comparison.moved_up} up, {comparison.moved_down} down")
    ax.legend(fontsize=8)
    return figure


def sweep_distribution(sweep: Sweep) -> Figure:
    """The count of each predikat at each value of a sweep (one line per predikat); numeric values are placed
    on a numeric axis, other values in their order.

    >>> import asn_kinerja
    >>> s = asn_kinerja.sweep("permenpanrb-6-2022", "examples/bungo/data",
    ...                       key="perilaku_kerja.suggestion.thresholds.di_atas", values=["4", "4.5", "5"])
    >>> sweep_distribution(s).axes[0].get_xlabel()
    'perilaku_kerja.suggestion.thresholds.di_atas'
    """
    from decimal import Decimal, InvalidOperation

    figure = _figure(figsize=(8, 3.8))
    ax = figure.subplots()
    try:
        xs: list[float] = [float(Decimal(p.value)) for p in sweep.points]
        ticks = None
    except InvalidOperation:
        xs = [float(i) for i in range(len(sweep.points))]
        ticks = [p.value for p in sweep.points]
    for q in Predikat:
        ax.plot(xs, [p.counts[q] for p in sweep.points], marker="o", label=q.label, color=_COLOURS[q])
    if ticks is not None:
        ax.set_xticks(xs, ticks, fontsize=8)
    ax.set_xlabel(sweep.key)
    ax.set_ylabel(f"employees (of {len(sweep.base)})")
    title = f"{sweep.base.policy.id}: sweep of {sweep.key.rsplit('.', 1)[-1]}"
    if sweep.rebalance is not None:
        title += f" ({sweep.rebalance} absorbs the difference)"
    ax.set_title(title)
    ax.legend(fontsize=8)
    return figure
