"""Check every link inside a built HTML documentation site, offline.

Sphinx's ``linkcheck`` builder checks external addresses over the network and skips local ones; this checks the
local ones: every ``href`` and ``src`` of every page that points inside the site must name a file of the site,
and a ``#fragment`` must name an ``id`` (or ``name``) of that page. External addresses are not followed (the
documentation is built on machines without internet access).

Usage::

    python docs/check_links.py docs/_build/html

Exits 1 and lists every broken link (page, link) when there is one.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src"):
                self.links.append(value)
            elif name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text("utf-8", errors="replace"))
    return page


def broken_links(site: Path) -> list[tuple[str, str]]:
    """The (page, link) pairs of ``site`` whose target file or fragment does not exist."""
    pages = {path.resolve(): _parse(path) for path in sorted(site.rglob("*.html"))}
    broken = []
    for path, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:", "data:")):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append((str(path.relative_to(site.resolve())), link))
                continue
            fragment = unquote(parts.fragment)
            if fragment and target in pages and fragment not in pages[target].ids:
                broken.append((str(path.relative_to(site.resolve())), link))
    return broken


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: python docs/check_links.py BUILT_HTML_FOLDER", file=sys.stderr)
        return 2
    site = Path(argv[0])
    broken = broken_links(site)
    for page, link in broken:
        print(f"{page}: broken link {link}")
    pages = sum(1 for _ in site.rglob("*.html"))
    print(f"checked the links of {pages} pages: {len(broken)} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
