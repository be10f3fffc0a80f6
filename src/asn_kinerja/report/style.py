"""The report's colours, patterns and stylesheet (screen and A4 print).

Colour never carries meaning alone: every predikat has a fill pattern as well as a colour, and every bar, cell and
verdict is labelled in words. Every pair of text and background colour used has a contrast ratio of at least
4.5:1 (WCAG 2 AA), which :data:`TEXT_PAIRS` lists and :func:`contrast_ratio` measures:

>>> min(contrast_ratio(fg, bg) for fg, bg in TEXT_PAIRS.values()) >= 4.5
True
>>> round(contrast_ratio("#000000", "#ffffff"), 1)
21.0
"""

from __future__ import annotations

from collections.abc import Mapping

from asn_kinerja.model import Predikat

__all__ = ["CSS", "HEAT_LEVELS", "PREDIKAT_STYLE", "TEXT_PAIRS", "contrast_ratio"]

INK = "#1f2328"
MUTED = "#4b535d"
PAPER = "#ffffff"
HEAD = "#eef1f4"

#: Per predikat: (fill colour, pattern name). Fills have ≥ 3:1 contrast with white (graphics, WCAG 1.4.11).
PREDIKAT_STYLE: Mapping[Predikat, tuple[str, str]] = {
    Predikat.SANGAT_BAIK: ("#1a5c8a", "solid"),
    Predikat.BAIK: ("#2f7d5b", "diagonal"),
    Predikat.BUTUH_PERBAIKAN: ("#8a6200", "dots"),
    Predikat.KURANG_MISCONDUCT: ("#b3411f", "cross"),
    Predikat.SANGAT_KURANG: ("#6b2c7a", "horizontal"),
}

#: Backgrounds of the transition matrix's cells by level (0 = none … 4 = most), all readable with :data:`INK`.
HEAT_LEVELS = ("#ffffff", "#e3eef8", "#c6dcf0", "#a8c9e7", "#8bb6de")

#: Every text colour on every background the stylesheet uses.
TEXT_PAIRS: Mapping[str, tuple[str, str]] = {
    "body": (INK, PAPER),
    "muted": (MUTED, PAPER),
    "table head": (INK, HEAD),
    "link": ("#0b4f9c", PAPER),
    "meets": ("#0f5323", "#dcf5e3"),
    "violates": ("#8b0c1c", "#fde8e8"),
    "not applicable": (MUTED, "#f1f2f4"),
    "diagonal cell": (INK, "#f4f0e0"),
    **{f"heat {i}": (INK, colour) for i, colour in enumerate(HEAT_LEVELS)},
}


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """The WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


_SWATCH_FILLS = {
    "solid": "{c}",
    "diagonal": "repeating-linear-gradient(45deg, {c} 0 3px, #ffffff 3px 4.5px)",
    "dots": "radial-gradient(circle, #ffffff 1.3px, transparent 1.6px) 0 0 / 5px 5px, {c}",
    "cross": "repeating-linear-gradient(45deg, transparent 0 3px, #ffffff 3px 4px), "
    "repeating-linear-gradient(-45deg, {c} 0 3px, #ffffff 3px 4px)",
    "horizontal": "repeating-linear-gradient(0deg, {c} 0 3px, #ffffff 3px 4.5px)",
}
_SWATCH_CSS = "\n".join(
    f".sw-{p.value} {{ background: {_SWATCH_FILLS[kind].format(c=colour)}; }}"
    for p, (colour, kind) in PREDIKAT_STYLE.items()
)

_HEAT_CSS = "\n".join(f"td.heat{i} {{ background: {colour}; }}" for i, colour in enumerate(HEAT_LEVELS))

CSS = f"""
:root {{ color-scheme: light; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; color: {INK}; background: {PAPER}; font: 15px/1.45 system-ui, -apple-system, "Segoe UI",
  Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }}
main {{ max-width: 1320px; margin: 0 auto; padding: 1.5rem 1.5rem 3rem; }}
header.report {{ border-bottom: 3px solid {PREDIKAT_STYLE[Predikat.SANGAT_BAIK][0]}; margin-bottom: 1.5rem; }}
h1 {{ font-size: 1.6rem; margin: 0 0 .5rem; }}
h2 {{ font-size: 1.3rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 1px solid #c9ced4; }}
h3 {{ font-size: 1.1rem; margin: 1.4rem 0 .4rem; }}
a {{ color: {TEXT_PAIRS["link"][0]}; }}
p, li {{ max-width: 75em; }}
.muted, .note {{ color: {MUTED}; }}
dl.facts {{ display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0 0 1rem; }}
dl.facts dt {{ font-weight: 600; }}
dl.facts dd {{ margin: 0; }}
nav.toc ol {{ columns: 2; padding-left: 1.2rem; }}
.figure {{ display: flex; flex-wrap: wrap; gap: 1rem 2rem; align-items: flex-start; }}
svg.defs {{ position: absolute; }}
svg.chart {{ display: block; max-width: 100%; height: auto; }}
svg.chart text {{ fill: {INK}; font: 12px system-ui, "DejaVu Sans", sans-serif; }}
svg.chart .axis {{ stroke: #6e7781; stroke-width: 1; }}
svg.chart .limit {{ stroke: {INK}; stroke-width: 2; stroke-dasharray: 4 3; }}
table {{ border-collapse: collapse; margin: .5rem 0 1rem; font-size: .92rem; }}
caption {{ text-align: left; font-weight: 600; padding: .3rem 0; caption-side: top; }}
th, td {{ border: 1px solid #c9ced4; padding: .25rem .5rem; vertical-align: top; text-align: left; }}
thead th {{ background: {HEAD}; }}
tbody th {{ font-weight: 600; }}
td.num, th.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
td.diag {{ background: {TEXT_PAIRS["diagonal cell"][1]}; font-weight: 700; }}
{_HEAT_CSS}
.badge {{ display: inline-block; padding: 0 .45rem; border-radius: .3rem; font-weight: 600; white-space: nowrap; }}
.badge.ok {{ color: {TEXT_PAIRS["meets"][0]}; background: {TEXT_PAIRS["meets"][1]}; }}
.badge.bad {{ color: {TEXT_PAIRS["violates"][0]}; background: {TEXT_PAIRS["violates"][1]}; }}
.badge.na {{ color: {TEXT_PAIRS["not applicable"][0]}; background: {TEXT_PAIRS["not applicable"][1]}; }}
.sw {{ display: inline-block; width: 14px; height: 14px; margin-right: .4em; vertical-align: -2px;
  border: 1px solid {INK}; print-color-adjust: exact; -webkit-print-color-adjust: exact; }}
{_SWATCH_CSS}
section.unit, section.chapter, .table-wrap {{ content-visibility: auto; contain-intrinsic-size: auto 600px; }}
section.unit {{ border-top: 1px solid #c9ced4; padding-top: .2rem; }}
.table-wrap {{ overflow-x: auto; }}
table.wide {{ font-size: .84rem; }}
table.wide td:last-child {{ min-width: 14rem; }}
td.withheld {{ color: {MUTED}; font-style: italic; }}
.search {{ display: flex; gap: .6rem; align-items: center; flex-wrap: wrap; margin: .5rem 0; }}
.search input {{ font: inherit; padding: .3rem .5rem; min-width: 18rem; border: 1px solid #6e7781;
  border-radius: .3rem; }}
button.sort {{ font: inherit; font-weight: 600; color: inherit; background: none; border: 0; padding: 0;
  cursor: pointer; text-align: inherit; }}
button.sort::after {{ content: " ↕"; color: {MUTED}; }}
th[aria-sort="ascending"] button.sort::after {{ content: " ▲"; color: {INK}; }}
th[aria-sort="descending"] button.sort::after {{ content: " ▼"; color: {INK}; }}
button.sort:focus-visible, .search input:focus-visible {{ outline: 3px solid #0b4f9c; outline-offset: 2px; }}
ul.steps {{ margin: .2rem 0; padding-left: 1.1rem; }}
footer {{ margin-top: 3rem; font-size: .85rem; color: {MUTED}; }}
@page {{ size: A4; margin: 14mm 12mm; }}
@media print {{
  body {{ font-size: 10pt; }}
  main {{ max-width: none; padding: 0; }}
  nav.toc, .search {{ display: none; }}
  h2 {{ break-after: avoid; }}
  h3 {{ break-after: avoid; }}
  section.unit, section.chapter, .table-wrap {{ content-visibility: visible; }}
  section.unit {{ break-before: page; border-top: 0; }}
  section.chapter {{ break-before: page; }}
  table {{ font-size: 8.5pt; }}
  thead {{ display: table-header-group; }}
  tr, figure, svg.chart {{ break-inside: avoid; }}
  caption {{ break-after: avoid; }}
  .table-wrap {{ overflow: visible; }}
  button.sort::after {{ content: none; }}
  a {{ color: {INK}; }}
}}
""".strip()
