"""The HTML of the report: one self-contained document (inline stylesheet, charts and script, nothing fetched) and
the semantic tables it is made of. Every text and attribute value is escaped with :func:`html.escape`.

>>> rows = [[Cell("<b>", header=True), Cell(1, numeric=True)]]
>>> print(table(["Nama", Cell("n", numeric=True)], rows, caption="A & B"))
<table><caption>A &amp; B</caption><thead><tr><th scope="col">Nama</th><th scope="col" class="num">n</th></tr>\
</thead><tbody>
<tr><th scope="row">&lt;b&gt;</th><td class="num">1</td></tr>
</tbody></table>
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Iterable, Mapping, Sequence

import attrs

from asn_kinerja.report.script import SCRIPT
from asn_kinerja.report.style import CSS
from asn_kinerja.report.svg import pattern_defs

__all__ = ["Cell", "document", "e", "table"]


def e(text: object) -> str:
    """Escaped text, for content and for attribute values (quotes escaped)."""
    return html.escape(str(text), quote=True)


@attrs.frozen
class Cell:
    """A table cell: its text (escaped) or ``markup`` (already escaped HTML), whether it heads its row, whether it
    is a number (right-aligned) and its sort key (``sort``, where the text does not sort right)."""

    text: object = ""
    markup: str | None = None
    header: bool = False
    numeric: bool = False
    sort: object = None
    css: str = ""

    def render(self) -> str:
        classes = " ".join(c for c in ("num" if self.numeric else "", self.css) if c)
        attributes = (f' class="{classes}"' if classes else "") + (
            "" if self.sort is None else f' data-sort="{e(self.sort)}"'
        )
        body = self.markup if self.markup is not None else e(self.text)
        if self.header:
            return f'<th scope="row"{attributes}>{body}</th>'
        return f"<td{attributes}>{body}</td>"


def _cell(value: Cell | object) -> str:
    return value.render() if isinstance(value, Cell) else f"<td>{e(value)}</td>"


def table(
    heads: Sequence[str | Cell],
    rows: Iterable[Sequence[Cell | object]],
    *,
    caption: str,
    attributes: Mapping[str, str] | None = None,
    sortable: bool = False,
) -> str:
    """A table with a caption, column headings (``<th scope="col">``; a :class:`Cell` head marks a numeric column)
    and rows of cells (a :class:`Cell`, or any value shown as escaped text)."""

    def head(h: str | Cell) -> str:
        if isinstance(h, Cell):
            numeric = ' class="num"' if h.numeric else ""
            return f'<th scope="col"{numeric}>{e(h.text)}</th>'
        return f'<th scope="col">{e(h)}</th>'

    extra_attributes = dict(attributes or {})
    classes = " ".join(c for c in ("sortable" if sortable else "", extra_attributes.pop("class", "")) if c)
    extra = "".join(f' {k}="{e(v)}"' for k, v in extra_attributes.items())
    css = f' class="{classes}"' if classes else ""
    body = "\n".join("<tr>" + "".join(_cell(c) for c in row) + "</tr>" for row in rows)
    return (
        f"<table{css}{extra}><caption>{e(caption)}</caption>"
        f"<thead><tr>{''.join(head(h) for h in heads)}</tr></thead><tbody>\n{body}\n</tbody></table>"
    )


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def document(*, lang: str, title: str, body: str) -> str:
    """The whole page: a content security policy that forbids every fetch (only this page's own stylesheet and
    script run), the stylesheet, the charts' patterns, ``body`` and the script."""
    style, script = f"\n{CSS}\n", f"\n{SCRIPT}\n"
    policy = (
        f"default-src 'none'; style-src '{_sha256(style)}'; script-src '{_sha256(script)}'; img-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{e(policy)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="asn_kinerja">\n<title>{e(title)}</title>\n'
        f"<style>{style}</style>\n</head>\n<body>\n{pattern_defs()}\n<main>\n{body}\n</main>\n"
        f"<script>{script}</script>\n</body>\n</html>\n"
    )
