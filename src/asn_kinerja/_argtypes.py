"""Typed command-line arguments: each ``type=`` function checks one argument before any work is done.

A bad value is an :class:`argparse.ArgumentTypeError` with a one-line reason, which the command line reports
with exit status 2 (never a traceback). Numbers follow the library's one number grammar and limits
(:func:`asn_kinerja.dataset.columns.parse_number`: at most 15 significant digits and 15 decimal places,
magnitude up to 1e15), so an argument is held to what a CSV cell is held to.

>>> decimal_arg("12.5")
Decimal('12.5')
>>> decimal_arg("1_000")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: must be a number, got '1_000'
>>> range_arg("0:0.5:0.1")
(Decimal('0'), Decimal('0.5'), Decimal('0.1'))
>>> period_arg("baik:6"), period_arg("sangat_baik")
(('baik', 6), ('sangat_baik', 12))
>>> plot_arg("figure.svg")
'figure.svg'
>>> size_arg("3G"), size_arg("512M"), size_arg("1500")
(3221225472, 536870912, 1500)
>>> size_arg("3 GB")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: a size in bytes, or with K, M, G or T (powers of 1024: 3G, 512M), got '3 GB'
"""

from __future__ import annotations

import argparse
import os
import re
from decimal import Decimal
from pathlib import Path

from asn_kinerja._files import output_problem
from asn_kinerja.dataset.columns import parse_number
from asn_kinerja.errors import excerpt

__all__ = [
    "PLOT_FORMATS",
    "count_arg",
    "decimal_arg",
    "output_arg",
    "period_arg",
    "plot_arg",
    "range_arg",
    "size_arg",
]

#: The file formats matplotlib writes (by extension) without another backend.
PLOT_FORMATS = ("eps", "jpeg", "jpg", "pdf", "pgf", "png", "ps", "svg", "svgz", "tif", "tiff", "webp")
#: The largest whole number an argument takes (a count of people served, a number of months).
MAX_COUNT = 10**12


_SIZE = re.compile(r"([0-9]{1,16})([KMGT]?)")
_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def size_arg(text: str) -> int:
    """A size of a file: a whole number of bytes, or with a suffix ``K``, ``M``, ``G`` or ``T`` (powers of 1024,
    upper or lower case); at least 1 byte, at most 2⁶³ − 1."""
    found = _SIZE.fullmatch(text.strip().upper())
    size = int(found[1]) * _UNITS[found[2]] if found else 0
    if not 1 <= size < 1 << 63:
        raise argparse.ArgumentTypeError(
            f"a size in bytes, or with K, M, G or T (powers of 1024: 3G, 512M), got {excerpt(text)}"
        )
    return size


def decimal_arg(text: str) -> Decimal:
    """A decimal number as a CSV cell holds one."""
    parsed = parse_number(text)
    if isinstance(parsed, str):
        raise argparse.ArgumentTypeError(parsed)
    return Decimal(text.strip())


def count_arg(text: str) -> int:
    """A whole number ≥ 1 in ASCII digits, at most :data:`MAX_COUNT`."""
    stripped = text.strip()
    if not (stripped.isascii() and stripped.isdigit()) or len(stripped) > 13 or not 1 <= int(stripped) <= MAX_COUNT:
        raise argparse.ArgumentTypeError(f"a whole number from 1 to {MAX_COUNT}, got {excerpt(text)}")
    return int(stripped)


def range_arg(text: str) -> tuple[Decimal, Decimal, Decimal]:
    """``START:STOP:STEP``, three decimal numbers."""
    parts = text.split(":")
    if len(parts) != 3:
        raise argparse.ArgumentTypeError(f"START:STOP:STEP, got {excerpt(text)}")
    start, stop, step = (decimal_arg(p) for p in parts)
    return start, stop, step


def period_arg(text: str) -> tuple[str, int]:
    """``PREDIKAT[:MONTHS]``: the predikat (checked by the rule) and a whole number of months (12 when not
    given; its range is checked by the rule)."""
    predikat, colon, months = text.partition(":")
    if not colon:
        return predikat, 12
    return predikat, count_arg(months)


def plot_arg(text: str) -> str:
    """A file name whose extension is a format matplotlib writes (:data:`PLOT_FORMATS`)."""
    suffix = Path(text).suffix.lower().removeprefix(".")
    if suffix not in PLOT_FORMATS:
        raise argparse.ArgumentTypeError(
            f"the file name's extension names the format: one of {', '.join(PLOT_FORMATS)}, got {excerpt(text)}"
        )
    output_arg(text)
    return text


def output_arg(text: str) -> str:
    """A path the output can be written to (see :func:`asn_kinerja._files.write_text`): a regular file or a new
    name in an existing folder, a symlink to one of them, a character device or a FIFO."""
    problem = output_problem(text)
    if problem is not None:
        raise argparse.ArgumentTypeError(problem)
    return os.fspath(text)
