"""Sphinx configuration for the asn_kinerja documentation."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

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
doctest_global_setup = "import asn_kinerja"
doctest_test_doctest_blocks = ""  # docstring examples run under pytest --doctest-modules
