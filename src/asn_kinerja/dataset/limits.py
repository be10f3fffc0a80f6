"""Bounds on the files of a dataset, checked before anything is read.

A file is looked at with ``stat`` first: one that is not a regular file (a device, a pipe, a socket) or that is
larger than its limit is refused with one problem, so that a 20 GB file or ``/dev/zero`` never reaches memory.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> (folder / "units.csv").write_text("unit_id,name\\nU1,Sekretariat\\n")
28
>>> check_file(folder / "units.csv", "units.csv", DatasetLimits(max_table_bytes=10).max_table_bytes)
Traceback (most recent call last):
...
asn_kinerja.errors.DataError: 1 problem in the data:
  units.csv: the file is 28 bytes, more than the limit of 10 bytes (DatasetLimits.max_table_bytes: raise it with \
DatasetLimits(max_table_bytes=...) or, on the command line, --max-table-size)
>>> import shutil; shutil.rmtree(folder)
"""

from __future__ import annotations

from pathlib import Path

import attrs

from asn_kinerja._files import DATA_LIMIT, check_readable

__all__ = ["DatasetLimits", "check_file"]


@attrs.frozen(kw_only=True)
class DatasetLimits:
    """Limits of a dataset's files: ``max_table_bytes`` per table file (CSV, Parquet or workbook; default 2 GiB, a
    safety limit: raise it for larger files, e.g. ``DatasetLimits(max_table_bytes=4 << 30)``, or on the command
    line ``asn-kinerja evaluate FOLDER --max-table-size 4G``), ``max_manifest_bytes`` for ``dataset.yaml``
    (default 1 MiB) and ``max_columns`` in a table's header (default 1 000; the columns of the format are a few
    dozen)."""

    max_table_bytes: int = DATA_LIMIT
    max_manifest_bytes: int = 1 << 20
    max_columns: int = 1000


def check_file(path: Path, label: str, max_bytes: int, *, limit_name: str = "max_table_bytes") -> int:
    """The size of ``path``, a regular file of at most ``max_bytes`` bytes; otherwise one problem is raised.

    The library's one check of a file before reading (``asn_kinerja._files.check_readable``), with the
    :class:`DatasetLimits` field to raise named in the message.
    """
    return check_readable(
        path, max_bytes, source=label, hint=f" (DatasetLimits.{limit_name}{_OPTIONS.get(limit_name, '')})"
    )


#: The command-line option that sets a limit, named where a file is refused.
_OPTIONS = {
    "max_table_bytes": ": raise it with DatasetLimits(max_table_bytes=...) or, on the command line, --max-table-size"
}
