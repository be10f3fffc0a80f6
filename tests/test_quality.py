"""Checks on the project's own documentation tooling.

The quality gates themselves (ruff, mypy --strict, the Sphinx site built with -W and its link check) are separate
steps of ``.ci/run``, so that ``python -m pytest`` runs the tests alone; see the README's "Development" section.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs"))
try:
    import check_links
    from policy_reference import render
finally:
    sys.path.pop(0)


def test_policy_reference_lists_every_schema_key() -> None:
    from asn_kinerja.policy.model import Policy
    from asn_kinerja.yamlschema.converter import iter_schema

    text = render()
    for path, _, _ in iter_schema(Policy):
        assert f"| `{path}` |" in text


def _site(tmp_path: Path, pages: dict[str, str]) -> Path:
    for name, body in pages.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<html><body>{body}</body></html>", "utf-8")
    return tmp_path


def test_link_check_passes_a_site_whose_links_hold(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        {
            "index.html": '<a href="api.html#asn_kinerja.Rating">x</a><a href="#top">t</a><p id="top"></p>'
            '<a href="https://example.org/missing.html">external</a><img src="_static/logo.svg">',
            "api.html": '<dt id="asn_kinerja.Rating"></dt><a href="sub/">folder</a>',
            "sub/index.html": '<a href="../index.html">back</a>',
            "_static/logo.svg": "",
        },
    )
    assert check_links.broken_links(site) == []
    assert check_links.main([str(site)]) == 0


def test_link_check_finds_missing_pages_and_missing_anchors(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        {
            "index.html": '<a href="builtins.html">gone</a><a href="api.html#asn_kinerja.model.Rating">anchor</a>',
            "api.html": '<dt id="asn_kinerja.Rating"></dt><a href="#nowhere">self</a>',
        },
    )
    assert sorted(check_links.broken_links(site)) == [
        ("api.html", "#nowhere"),
        ("index.html", "api.html#asn_kinerja.model.Rating"),
        ("index.html", "builtins.html"),
    ]
    assert check_links.main([str(site)]) == 1
