"""Datasets: one agency and period, validated, held as numpy columns.

See :mod:`asn_kinerja.dataset.io` for the on-disk format, :func:`from_records` for building one from Python objects
and :func:`from_frames` / :func:`load_parquet` for columns (numpy arrays, pandas, Arrow, Parquet).
"""

from asn_kinerja.dataset.columns import Categorical
from asn_kinerja.dataset.frames import from_frames, load_parquet
from asn_kinerja.dataset.io import load_dataset
from asn_kinerja.dataset.model import Dataset
from asn_kinerja.dataset.records import from_records

__all__ = ["Categorical", "Dataset", "from_frames", "from_records", "load_dataset", "load_parquet"]
