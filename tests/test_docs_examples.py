"""Every code example in the documentation runs, or says it does not.

The doctest builder (``sphinx -b doctest``, run by ``test_quality.py``) runs the ``{doctest}`` and ``{testcode}``
blocks of every page; ``conf.py`` sets ``doctest_test_doctest_blocks = ""``, so a Python block in any other form —
a ```` ```python ```` or ```` ```pycon ```` fence, a ``code-block``, a ``>>>`` session outside a doctest directive
— is shown but never run, and would drift from the library unnoticed. This test fails when a page gains such a
block, unless the block is in :data:`ILLUSTRATIVE` (with the reason it cannot run, which the page must also say).
Examples in docstrings are run by ``pytest --doctest-modules``.

It also checks that every public module has an API entry (an ``automodule`` directive on some page).
"""

from __future__ import annotations

import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import asn_kinerja

DOCS = Path(__file__).resolve().parents[1] / "docs"

#: Python blocks that are shown and deliberately not run, by (page, first line of the block): the reason.
ILLUSTRATIVE: dict[tuple[str, str], str] = {
    ("tutorials/developer.md", "# FastAPI"): "needs FastAPI; the handler it wires is a doctest on the same page",
    ("tutorials/developer.md", "# Django (views.py)"): "needs Django; the handler it wires is a doctest on the page",
}

#: Modules that are not part of the API (besides those whose name starts with an underscore): the command line
#: and the engine's and loaders' internals.
INTERNAL_MODULES = {
    "asn_kinerja.cli",
    "asn_kinerja.dataset.build",
    "asn_kinerja.dataset.columns",
    "asn_kinerja.dataset.table",
    "asn_kinerja.engine.cells",
    "asn_kinerja.engine.citizen",
    "asn_kinerja.engine.denominators",
    "asn_kinerja.engine.evaluate",
    "asn_kinerja.engine.exact",
    "asn_kinerja.engine.html",
    "asn_kinerja.engine.kernels",
    "asn_kinerja.engine.numeric",
    "asn_kinerja.engine.render",
    "asn_kinerja.engine.settle",
    "asn_kinerja.engine.strategies",
    "asn_kinerja.policy.yamltree",
}

PYTHON = {"python", "python3", "py", "py3", "pycon", "ipython", "ipython3"}
RUN = {"doctest", "testcode", "testsetup", "testcleanup", "testoutput"}  # sphinx.ext.doctest: run
CODE = {"code-block", "code", "sourcecode"}  # shown with a language, never run
LITERAL = {"eval-rst", "toctree", "math", "csv-table", "literalinclude", "include", *RUN, *CODE}  # not Markdown
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,}|:{3,})\s*(?P<info>[^`]*?)\s*$")
DIRECTIVE = re.compile(r"^\{(?P<name>[\w-]+)\}\s*(?P<arg>.*)$")
RST_DIRECTIVE = re.compile(r"^(?P<indent>\s*)\.\.\s+(?P<name>[\w-]+)::\s*(?P<arg>.*)$")


def first_line(lines: list[str]) -> str:
    return next((line.strip() for line in lines if line.strip() and not line.strip().startswith(":")), "")


def scan_rst(lines: list[str], page: str) -> Iterator[tuple[str, str, int]]:
    """(page, first line, line number) of each Python block of reStructuredText that is not run."""
    directive, depth = "", -1
    for number, line in enumerate(lines, 1):
        if line.strip() and depth >= 0 and len(line) - len(line.lstrip()) <= depth:
            directive, depth = "", -1
        match = RST_DIRECTIVE.match(line)
        if match:
            directive, depth = match["name"], len(match["indent"])
            if directive in CODE and match["arg"].strip().lower() in PYTHON:
                yield page, first_line(lines[number:]), number
            continue
        if line.lstrip().startswith(">>>") and directive not in RUN:
            yield page, line.strip(), number


def scan_markdown(lines: list[str], page: str, offset: int = 0) -> Iterator[tuple[str, str, int]]:
    """(page, first line, line number) of each Python block of a MyST page that is not run."""
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match or not match["info"]:  # a bare fence opens only a code block: look inside it below
            if match:
                end = closing(lines, i, match["fence"])
                body = lines[i + 1 : end]
                if any(line.lstrip().startswith(">>>") for line in body):
                    yield page, first_line(body), offset + i + 1
                i = end + 1
                continue
            if lines[i].lstrip().startswith(">>>"):  # a session in a paragraph or an indented code block
                yield page, lines[i].strip(), offset + i + 1
            i += 1
            continue
        fence, info = match["fence"], match["info"]
        end = closing(lines, i, fence)
        body = lines[i + 1 : end]
        directive = DIRECTIVE.match(info)
        if directive is None:  # ```python, ```pycon, ```console ...
            if info.split()[0].lower() in PYTHON or any(line.lstrip().startswith(">>>") for line in body):
                yield page, first_line(body), offset + i + 1
        else:
            name, arg = directive["name"], directive["arg"].strip().lower()
            if name in CODE and (arg in PYTHON or any(line.lstrip().startswith(">>>") for line in body)):
                yield page, first_line(body), offset + i + 1
            elif name == "literalinclude" and (arg.endswith(".py") or ":language: python" in "\n".join(body)):
                yield page, f"{{literalinclude}} {arg}", offset + i + 1
            elif name == "eval-rst":
                yield from ((p, text, offset + i + 1 + n) for p, text, n in scan_rst(body, page))
            elif name == "include":
                yield from scan_file((DOCS / page).parent / directive["arg"].strip(), page)
            elif name not in LITERAL:  # admonitions and other directives hold Markdown
                yield from scan_markdown(body, page, offset + i + 1)
        i = end + 1


def closing(lines: list[str], start: int, fence: str) -> int:
    """The line that closes the fence opened at ``start`` (the end of the page if none does)."""
    for j in range(start + 1, len(lines)):
        match = FENCE.match(lines[j])
        if match and not match["info"] and match["fence"][0] == fence[0] and len(match["fence"]) >= len(fence):
            return j
    return len(lines)


def scan_file(path: Path, page: str) -> Iterator[tuple[str, str, int]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    if path.suffix == ".rst":
        yield from scan_rst(lines, page)
    else:
        yield from scan_markdown(lines, page)


def pages() -> list[Path]:
    return sorted(p for p in [*DOCS.rglob("*.md"), *DOCS.rglob("*.rst")] if "_build" not in p.parts)


def unrun_blocks() -> list[tuple[str, str, int]]:
    return [block for path in pages() for block in scan_file(path, path.relative_to(DOCS).as_posix())]


def test_every_python_block_runs_or_is_marked_illustrative() -> None:
    unexpected = [f"{page}:{line}: {text!r}" for page, text, line in unrun_blocks() if (page, text) not in ILLUSTRATIVE]
    assert not unexpected, (
        "Python examples that the documentation's tests do not run; make them {doctest} / {testcode} blocks, "
        "or, if they cannot run (a web framework, a database), say so on the page and add them to ILLUSTRATIVE:\n"
        + "\n".join(unexpected)
    )


def test_illustrative_blocks_still_exist() -> None:
    found = {(page, text) for page, text, _ in unrun_blocks()}
    assert set(ILLUSTRATIVE) <= found, f"stale ILLUSTRATIVE entries: {sorted(set(ILLUSTRATIVE) - found)}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("```python\nimport asn_kinerja\n```\n", ["import asn_kinerja"]),
        ("```pycon\n>>> 1 + 1\n2\n```\n", [">>> 1 + 1"]),
        ("```\n>>> 1 + 1\n2\n```\n", [">>> 1 + 1"]),
        ("```{code-block} python\nx = 1\n```\n", ["x = 1"]),
        (":::{code-block} python\nx = 1\n:::\n", ["x = 1"]),
        ("````{note}\n```python\ny = 2\n```\n````\n", ["y = 2"]),
        ("```{eval-rst}\n.. code-block:: python\n\n   z = 3\n```\n", ["z = 3"]),
        ("```{eval-rst}\n>>> 1 + 1\n2\n```\n", [">>> 1 + 1"]),
        ("    >>> 1 + 1\n    2\n", [">>> 1 + 1"]),
        ("```{doctest}\n>>> 1 + 1\n2\n```\n", []),
        ("```{testcode}\nprint(1)\n```\n", []),
        ("```{eval-rst}\n.. doctest::\n\n   >>> 1 + 1\n   2\n```\n", []),
        ("```console\n$ asn-kinerja policies\n```\n", []),
        ("```yaml\nid: x\n```\n", []),
    ],
)
def test_the_scanner_finds_unrun_python(text: str, expected: list[str]) -> None:
    assert [found for _, found, _ in scan_markdown(text.splitlines(), "page.md")] == expected


def test_the_docs_have_run_examples() -> None:
    """A guard on the scanner's premise: the pages' examples are doctest directives, on every tutorial."""
    for path in (DOCS / "tutorials").glob("*.md"):
        if path.name != "index.md":
            assert "```{doctest}" in path.read_text(encoding="utf-8"), path.name


def test_every_public_module_has_an_api_entry() -> None:
    documented = {
        match.group(1)
        for path in pages()
        for match in re.finditer(r"^\s*\.\.\s+automodule::\s+(\S+)", path.read_text(encoding="utf-8"), re.M)
    }
    public = {"asn_kinerja"} | {
        m.name
        for m in pkgutil.walk_packages(asn_kinerja.__path__, "asn_kinerja.")
        if not any(part.startswith("_") for part in m.name.split(".")) and m.name not in INTERNAL_MODULES
    }
    missing = sorted(public - documented)
    assert not missing, f"public modules without an `.. automodule::` entry in docs/ (api.md): {missing}"
