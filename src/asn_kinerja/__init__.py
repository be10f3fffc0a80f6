"""asn_kinerja: performance evaluation of Indonesian civil servants (ASN), exact to the regulation.

>>> import asn_kinerja
>>> policy = asn_kinerja.load_policy("permenpanrb-6-2022")
>>> asn_kinerja.rules.permenpanrb_6_2022.predikat("sesuai", "di_atas").label
'Baik'
"""

from asn_kinerja import rules
from asn_kinerja.comparison import Comparison, compare
from asn_kinerja.dataset import Dataset, from_records, load_dataset
from asn_kinerja.dataset.periods import load_periods
from asn_kinerja.engine import EmployeeResult, Evaluation, Explanation, Step, evaluate
from asn_kinerja.engine.periods import PeriodSeries, evaluate_periods
from asn_kinerja.errors import AsnKinerjaError, DataError, PolicyError, Problem
from asn_kinerja.model import Predikat, PredikatOrganisasi, RaterGroup, Rating
from asn_kinerja.policy import Limits, Policy, Reference, builtin_ids, load_policy, load_policy_text
from asn_kinerja.sweeps import Sweep, sweep

__all__ = [
    "AsnKinerjaError",
    "Comparison",
    "DataError",
    "Dataset",
    "EmployeeResult",
    "Evaluation",
    "Explanation",
    "Limits",
    "PeriodSeries",
    "Policy",
    "PolicyError",
    "Predikat",
    "PredikatOrganisasi",
    "Problem",
    "RaterGroup",
    "Rating",
    "Reference",
    "Step",
    "Sweep",
    "builtin_ids",
    "compare",
    "evaluate",
    "evaluate_periods",
    "from_records",
    "load_dataset",
    "load_periods",
    "load_policy",
    "load_policy_text",
    "rules",
    "sweep",
]

__version__ = "0.1.0"
