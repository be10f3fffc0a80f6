"""asn_kinerja: performance evaluation of Indonesian civil servants (ASN), exact to the regulation.

>>> import asn_kinerja
>>> policy = asn_kinerja.load_policy("permenpanrb-6-2022")
>>> asn_kinerja.rules.permenpanrb_6_2022.predikat("sesuai", "di_atas").label
'Baik'
"""

from asn_kinerja import regimes, rules
from asn_kinerja._numbers import Rounding
from asn_kinerja.comparison import Change, Comparison, StepChange, UnitComparison, compare
from asn_kinerja.dataset import Dataset, from_records, load_dataset
from asn_kinerja.dataset.periods import load_periods
from asn_kinerja.engine import EmployeeResult, Evaluation, Explanation, Step, evaluate
from asn_kinerja.engine.numeric import IkiResult, KegiatanResult, NumericEvaluation, NumericResult
from asn_kinerja.engine.periods import PeriodSeries, evaluate_periods
from asn_kinerja.errors import AsnKinerjaError, DataError, PolicyError, Problem
from asn_kinerja.model import (
    Adjustment,
    Aspect,
    Direction,
    Employee,
    Indicator,
    JenisJabatan,
    JenisRhk,
    Period,
    Predikat,
    PredikatOrganisasi,
    PredikatPp30,
    RaterGroup,
    Rating,
    RatingRecord,
    Realisasi,
    RencanaHasilKerja,
    SebutanPp46,
    Target,
    Unit,
)
from asn_kinerja.policy import Limits, Policy, Reference, builtin_ids, load_policy, load_policy_text
from asn_kinerja.regimes import Regime
from asn_kinerja.regimes._numeric import NumericPolicy
from asn_kinerja.regimes.permenpanrb_6_2022 import PermenpanrbPolicy
from asn_kinerja.regimes.pp30_2019 import Pp30Policy
from asn_kinerja.regimes.pp46_2011 import Pp46Policy
from asn_kinerja.sweeps import Sweep, SweepPoint, sweep

__all__ = [
    "Adjustment",
    "AsnKinerjaError",
    "Aspect",
    "Change",
    "Comparison",
    "DataError",
    "Dataset",
    "Direction",
    "Employee",
    "EmployeeResult",
    "Evaluation",
    "Explanation",
    "IkiResult",
    "Indicator",
    "JenisJabatan",
    "JenisRhk",
    "KegiatanResult",
    "Limits",
    "NumericEvaluation",
    "NumericPolicy",
    "NumericResult",
    "Period",
    "PeriodSeries",
    "PermenpanrbPolicy",
    "Policy",
    "PolicyError",
    "Pp30Policy",
    "Pp46Policy",
    "Predikat",
    "PredikatOrganisasi",
    "PredikatPp30",
    "Problem",
    "RaterGroup",
    "Rating",
    "RatingRecord",
    "Realisasi",
    "Reference",
    "Regime",
    "RencanaHasilKerja",
    "Rounding",
    "SebutanPp46",
    "Step",
    "StepChange",
    "Sweep",
    "SweepPoint",
    "Target",
    "Unit",
    "UnitComparison",
    "builtin_ids",
    "compare",
    "evaluate",
    "evaluate_periods",
    "from_records",
    "load_dataset",
    "load_periods",
    "load_policy",
    "load_policy_text",
    "regimes",
    "rules",
    "sweep",
]

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """Old names kept for one release (each warns, naming the new one)."""
    if name == "Score":
        from asn_kinerja._deprecation import renamed

        renamed("asn_kinerja.Score", "asn_kinerja.RatingRecord")
        return RatingRecord
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
