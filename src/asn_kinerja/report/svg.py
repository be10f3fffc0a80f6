"""Charts of the report as inline SVG, drawn here (no plotting library): fixed sizes, every bar labelled in words
and numbers, each predikat with its own colour *and* fill pattern, text escaped.

>>> from asn_kinerja.model import Predikat
>>> svg = distribution_chart({p: 1 for p in Predikat}, title="A <chart>")
>>> svg.startswith('<svg class="chart" width="560" height="184"'), "A &lt;chart&gt;" in svg
(True, True)
>>> "1 (20.00 %)" in svg
True
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from fractions import Fraction

from asn_kinerja.engine.organisation import _percent as percent
from asn_kinerja.model import Predikat
from asn_kinerja.report.style import PREDIKAT_STYLE

__all__ = ["DISTRIBUTION_SIZE", "PAIR_SIZE", "Limit", "distribution_chart", "pair_chart", "pattern_defs", "swatch"]

#: (predikat counted, relation symbol, share) of a clause of the guidance drawn as a marker.
Limit = tuple[Predikat, str, Fraction]

_WIDTH = 560
_LABELS = 150  # the predikat labels' column
_PLOT = 260  # the bars' full length (100 %); the values are labelled in a column to its right
_TOP = 8
_AXIS = 26
_ROW = 30
_PAIR_ROW = 36
#: (width, height) in CSS pixels of :func:`distribution_chart` and of :func:`pair_chart`.
DISTRIBUTION_SIZE = (_WIDTH, _TOP + _ROW * len(Predikat) + _AXIS)
PAIR_SIZE = (_WIDTH, _TOP + _PAIR_ROW * len(Predikat) + _AXIS)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _fill(p: Predikat) -> str:
    colour, pattern = PREDIKAT_STYLE[p]
    return colour if pattern == "solid" else f"url(#pat-{p.value})"


def pattern_defs() -> str:
    """The fill patterns of the predikat, once per page (the charts refer to them by id)."""
    marks = {
        "diagonal": '<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="#ffffff" stroke-width="1.4"/>',
        "dots": '<circle cx="3" cy="3" r="1.3" fill="#ffffff"/>',
        "cross": '<path d="M0,0 L6,6 M6,0 L0,6" stroke="#ffffff" stroke-width="1.1"/>',
        "horizontal": '<path d="M0,1.5 H6 M0,4.5 H6" stroke="#ffffff" stroke-width="1.1"/>',
    }
    patterns = []
    for p, (colour, kind) in PREDIKAT_STYLE.items():
        if kind == "solid":
            continue
        patterns.append(
            f'<pattern id="pat-{p.value}" width="6" height="6" patternUnits="userSpaceOnUse">'
            f'<rect width="6" height="6" fill="{colour}"/>{marks[kind]}</pattern>'
        )
    return (
        '<svg class="defs" width="0" height="0" aria-hidden="true" focusable="false">'
        f"<defs>{''.join(patterns)}</defs></svg>"
    )


def swatch(p: Predikat) -> str:
    """A small square in the predikat's colour and pattern (drawn by the stylesheet), for a table (decorative)."""
    return f'<span class="sw sw-{p.value}" aria-hidden="true"></span>'


def _open(size: tuple[int, int], title: str, ident: str) -> list[str]:
    width, height = size
    return [
        f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{_e(ident)}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{_e(ident)}">{_e(title)}</title>',
    ]


def _axis(bottom: int) -> list[str]:
    out = [f'<line class="axis" x1="{_LABELS}" y1="{_TOP}" x2="{_LABELS}" y2="{bottom}"/>']
    for pct in (0, 50, 100):
        x = _LABELS + _PLOT * pct / 100
        out.append(f'<line class="axis" x1="{x:g}" y1="{bottom}" x2="{x:g}" y2="{bottom + 4}"/>')
        out.append(f'<text x="{x:g}" y="{bottom + 16}" text-anchor="middle">{pct} %</text>')
    return out


def _bar(p: Predikat, x0: float, y: float, height: float, count: int, n: int, prefix: str = "") -> list[str]:
    length = _PLOT * count / n if n else 0.0
    label = f"{prefix}{count} ({percent(count, n)} %)"
    return [
        f'<rect x="{x0:g}" y="{y:g}" width="{length:.2f}" height="{height:g}" fill="{_fill(p)}">'
        f"<title>{_e(p.label)}: {_e(label)}</title></rect>",
        f'<text x="{_WIDTH - 4}" y="{y + height / 2 + 4:g}" text-anchor="end">{_e(label)}</text>',
    ]


def distribution_chart(
    counts: Mapping[Predikat, int],
    *,
    title: str,
    ident: str = "chart",
    limits: Sequence[Limit] = (),
    limit_label: str = "limit",
) -> str:
    """Horizontal bars: the share of staff with each predikat (labelled with the count and the percentage), and a
    dashed marker at each limit of the guidance that counts one predikat. Size :data:`DISTRIBUTION_SIZE`; ``ident``
    is the id of its title, unique in the page."""
    n = sum(counts.values())
    bottom = _TOP + _ROW * len(Predikat)
    out = _open(DISTRIBUTION_SIZE, title, ident)
    for i, p in enumerate(Predikat):
        y = _TOP + i * _ROW
        out.append(f'<text x="{_LABELS - 8}" y="{y + _ROW / 2 + 4:g}" text-anchor="end">{_e(p.label)}</text>')
        out += _bar(p, _LABELS, y + 5, _ROW - 10, counts.get(p, 0), n)
        for who, symbol, share in limits:
            if who is p:
                x = _LABELS + float(_PLOT * share)
                words = f"{limit_label}: {p.label} {symbol} {percent(share.numerator, share.denominator)} %"
                out.append(
                    f'<line class="limit" x1="{x:.2f}" y1="{y + 1}" x2="{x:.2f}" y2="{y + _ROW - 1}">'
                    f"<title>{_e(words)}</title></line>"
                )
    out += _axis(bottom)
    out.append("</svg>")
    return "".join(out)


def pair_chart(
    a: Mapping[Predikat, int],
    b: Mapping[Predikat, int],
    *,
    title: str,
    names: tuple[str, str],
    ident: str = "chart",
) -> str:
    """Two bars per predikat: the share of staff under policy A and under policy B, each labelled with its
    series name, count and percentage. Size :data:`PAIR_SIZE`."""
    n_a, n_b = sum(a.values()), sum(b.values())
    bottom = _TOP + _PAIR_ROW * len(Predikat)
    out = _open(PAIR_SIZE, title, ident)
    bar = (_PAIR_ROW - 8) / 2
    for i, p in enumerate(Predikat):
        y = _TOP + i * _PAIR_ROW
        out.append(f'<text x="{_LABELS - 8}" y="{y + _PAIR_ROW / 2 + 4:g}" text-anchor="end">{_e(p.label)}</text>')
        out += _bar(p, _LABELS, y + 3, bar, a.get(p, 0), n_a, f"{names[0]}: ")
        out += _bar(p, _LABELS, y + 4 + bar, bar, b.get(p, 0), n_b, f"{names[1]}: ")
    out += _axis(bottom)
    out.append("</svg>")
    return "".join(out)
