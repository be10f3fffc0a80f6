"""Sphinx configuration for the asn_kinerja documentation."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

#: The repository's examples/ folder, absolute, so that doctests run from any working directory (``cd docs``
#: for the test suite, the repository root for ``sphinx-build docs ...``).
EXAMPLES = HERE.parent / "examples"

project = "asn_kinerja"
author = "asn_kinerja developers"
copyright = "2026, asn_kinerja developers"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "policy_reference",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
myst_enable_extensions = ["colon_fence", "deflist"]
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = "asn_kinerja"
autodoc_member_order = "bysource"
autodoc_typehints = "description"
nitpicky = False
suppress_warnings = ["myst.header"]
doctest_global_setup = f"""
from pathlib import Path

import asn_kinerja

EXAMPLES = Path({str(EXAMPLES)!r})
"""
doctest_test_doctest_blocks = ""  # docstring examples run under pytest --doctest-modules


# --- viewcode links that hold -------------------------------------------------------------------------------------
# viewcode's "[docs]" links point at ``<defining module>.<name>``, while the API reference documents many names where
# users import them (``asn_kinerja.Rating`` rather than ``asn_kinerja.model.Rating``): such a link is pointed at the
# name as documented. Modules without Python source (``builtins``, for a documented alias of a built-in type) get no
# source page, so they are taken out of the index of source pages as well. ``docs/check_links.py`` checks the result.
_BACKLINK = re.compile(r'(class="viewcode-back" href="[^"#]*#)([^"]+)(")')


def _documented(app: Sphinx, name: str) -> str:
    """The anchor of ``name`` as documented: its own, or that of the documented name ending with most of it."""
    objects = app.env.get_domain("py").objects  # type: ignore[attr-defined]
    if name in objects:  # a canonical name (autodoc's ``:canonical:``) is an entry whose node id is the documented one
        return str(objects[name].node_id)
    parts = name.split(".")
    for start in range(1, len(parts)):  # asn_kinerja.model.Rating → ….Rating, asn_kinerja.X.y → asn_kinerja.….X.y
        tail = "." + ".".join(parts[start:])
        found = sorted((n for n in objects if n.endswith(tail)), key=len)
        if found:
            return str(objects[found[0]].node_id)
    return name


def _fix_backlinks(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if pagename.startswith("_modules/") and "body" in context:
        context["body"] = _BACKLINK.sub(lambda m: m[1] + _documented(app, m[2]) + m[3], context["body"])


def _drop_modules_without_source(app: Sphinx, env: Any) -> None:
    modules = getattr(env, "_viewcode_modules", {})
    for name in [n for n in modules if n.split(".")[0] != "asn_kinerja"]:
        del modules[name]


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", _fix_backlinks)
    app.connect("env-updated", _drop_modules_without_source)
