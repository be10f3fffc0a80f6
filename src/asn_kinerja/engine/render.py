"""What every result names before its rows: the policy and dataset headers, and the output order of employees.

The rows themselves are rendered from a :class:`~asn_kinerja.engine.table.ResultTable`.

>>> from asn_kinerja.policy import load_policy
>>> policy_header(load_policy("permenpanrb-6-2022"))["regime"]
'permenpanrb-6-2022'
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from asn_kinerja.dataset.model import Dataset
from asn_kinerja.engine.table import output_order
from asn_kinerja.model import Predikat
from asn_kinerja.policy.model import Policy

__all__ = ["PREDIKAT_SHORT", "dataset_header", "display_order", "policy_header", "predikat_legend"]

#: The abbreviation of each predikat in the narrow columns of people's tables (``SB`` for Sangat Baik …), always
#: explained in a legend below the table.
PREDIKAT_SHORT = {p: "".join(w[0] for w in p.label.replace("/", " ").split()[:2]).upper() for p in Predikat}


def predikat_legend() -> str:
    """The legend of :data:`PREDIKAT_SHORT`, best predikat first.

    >>> predikat_legend()[:32]
    'SB = Sangat Baik, B = Baik, BP ='
    """
    return ", ".join(f"{PREDIKAT_SHORT[p]} = {p.label}" for p in Predikat)


def policy_header(policy: Policy) -> dict[str, Any]:
    """The policy as a result names it: id, title, regime, validity and legal reference."""
    return {
        "id": policy.id,
        "title": policy.title,
        "regime": policy.regime,
        "valid_from": policy.valid_from.isoformat(),
        "valid_until": None if policy.valid_until is None else policy.valid_until.isoformat(),
        "reference": attrs.asdict(policy.reference),
    }


def dataset_header(dataset: Dataset) -> dict[str, Any]:
    """The dataset as a result names it: agency and period."""
    return {
        "agency": dataset.agency,
        "period": dataset.period.id,
        "start": dataset.period.start.isoformat(),
        "end": dataset.period.end.isoformat(),
    }


def display_order(dataset: Dataset) -> npt.NDArray[np.intp]:
    """Employee rows in output order: by unit id, then employee id."""
    return output_order(dataset.units.id, dataset.employees.unit, dataset.employees.id)
