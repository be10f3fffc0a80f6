"""The evaluation engine: columnar kernels, strategies, exact settlement and results."""

from asn_kinerja.engine.evaluate import evaluate
from asn_kinerja.engine.result import EmployeeResult, Evaluation, Explanation, Step

__all__ = ["EmployeeResult", "Evaluation", "Explanation", "Step", "evaluate"]
