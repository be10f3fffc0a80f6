"""Datasets: one agency and period, validated, held as numpy columns.

See :mod:`asn_kinerja.dataset.io` for the on-disk format and :func:`from_records` for building one in Python.
"""

from asn_kinerja.dataset.io import load_dataset
from asn_kinerja.dataset.model import Dataset
from asn_kinerja.dataset.records import from_records

__all__ = ["Dataset", "from_records", "load_dataset"]
