"""Sphinx configuration for the asn_kinerja documentation."""

from __future__ import annotations

import sys
from pathlib import Path

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
