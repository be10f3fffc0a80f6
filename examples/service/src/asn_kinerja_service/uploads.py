"""Datasets from uploads: a zip of a dataset folder (CSV or Parquet files with their ``dataset.yaml``), or the
JSON records of :mod:`asn_kinerja_service.records`.

A zip is read defensively before anything is written to disk: at most :data:`MAX_ENTRIES` entries, no absolute
path, no ``..``, no link, at most :data:`MAX_UNPACKED` bytes unpacked (counted while unpacking, not trusted from
the header). The folder is the one holding ``dataset.yaml`` (at the top of the zip, or in one folder); it holds
Parquet files (``units.parquet`` …) or CSV files. Every problem is an :class:`~asn_kinerja.DataError`, whose
problems name the file, line, record and field — exactly as :func:`asn_kinerja.load_dataset` reports them.

>>> import io, zipfile
>>> buf = io.BytesIO()
>>> with zipfile.ZipFile(buf, "w") as z:
...     z.writestr("../evil.csv", "x")
>>> dataset_from_upload(buf.getvalue(), "application/zip")
Traceback (most recent call last):
...
asn_kinerja.errors.DataError: 1 problem in the data:
  upload: ../evil.csv: a path outside the folder is not allowed
"""

from __future__ import annotations

import io
import json
import shutil
import stat
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path, PurePosixPath

import asn_kinerja
from asn_kinerja import DataError, Problem
from asn_kinerja.dataset import load_parquet
from asn_kinerja.dataset.io import MANIFEST

from asn_kinerja_service.records import dataset_from_json

__all__ = ["FORMATS", "MAX_ENTRIES", "MAX_UNPACKED", "dataset_from_upload"]

MAX_ENTRIES = 64
MAX_UNPACKED = 1 << 30
SOURCE = "upload"
#: Media type of an upload → how it is read.
FORMATS = {"application/zip": "zip", "application/json": "json"}


def _problem(message: str, field: str | None = None) -> DataError:
    return DataError([Problem(message, source=SOURCE, field=field)])


def _unpack(data: bytes, into: Path) -> Path:
    """Unpack a zip safely into ``into``; the folder holding ``dataset.yaml``."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _problem("not a zip file") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise _problem(f"more than {MAX_ENTRIES} entries in the zip: a dataset folder has a dozen files")
        problems = []
        for entry in entries:
            path = PurePosixPath(entry.filename)
            if path.is_absolute() or ".." in path.parts or "\\" in entry.filename:
                problems.append(
                    Problem("a path outside the folder is not allowed", source=SOURCE, field=entry.filename)
                )
            elif stat.S_ISLNK(entry.external_attr >> 16):
                problems.append(Problem("a link is not allowed", source=SOURCE, field=entry.filename))
        if problems:
            raise DataError(problems)
        left = MAX_UNPACKED
        for entry in entries:
            target = into.joinpath(*PurePosixPath(entry.filename).parts)
            if entry.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with archive.open(entry) as src, target.open("wb") as dst:
                    while chunk := src.read(1 << 20):
                        left -= len(chunk)
                        if left < 0:
                            raise _problem(f"the zip unpacks to more than {MAX_UNPACKED} bytes")
                        dst.write(chunk)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
                raise _problem(f"cannot unpack: {exc}", field=entry.filename) from None
    manifests = sorted(into.rglob(MANIFEST))
    if len(manifests) != 1:
        found = "no" if not manifests else f"{len(manifests)}"
        raise _problem(f"{found} {MANIFEST} in the zip: zip one dataset folder")
    return manifests[0].parent


def dataset_from_upload(data: bytes, media_type: str) -> tuple[str, asn_kinerja.Dataset]:
    """``(format, dataset)`` of an upload: ``csv-zip``, ``parquet-zip`` or ``json``."""
    kind = FORMATS.get(media_type.split(";")[0].strip().lower())
    if kind is None:
        raise _problem(f"unsupported media type {media_type!r}: send {' or '.join(FORMATS)}", field="Content-Type")
    if kind == "json":
        try:
            body = json.loads(data, parse_float=Decimal)
        except (ValueError, RecursionError) as exc:
            raise _problem(f"not JSON: {exc}") from None
        return "json", dataset_from_json(body)
    root = Path(tempfile.mkdtemp(prefix="asn-kinerja-upload-"))
    try:
        folder = _unpack(data, root / "upload")
        if any(folder.glob("*.parquet")):
            return "parquet-zip", load_parquet(folder)
        return "csv-zip", asn_kinerja.load_dataset(folder)
    finally:
        shutil.rmtree(root, ignore_errors=True)
