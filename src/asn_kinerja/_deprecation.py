"""Old names kept for one release: each use warns with a :class:`DeprecationWarning` naming the new one.

>>> import warnings
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     renamed("Evaluation.training()", "Evaluation.development()")
>>> str(caught[0].message)
'Evaluation.training() is deprecated and will be removed in the next release: use Evaluation.development()'
"""

from __future__ import annotations

import warnings

__all__ = ["renamed"]


def renamed(old: str, new: str, *, stacklevel: int = 3) -> None:
    """Warn that ``old`` was renamed to ``new`` (``stacklevel`` 3: the caller of the function that warns)."""
    warnings.warn(
        f"{old} is deprecated and will be removed in the next release: use {new}",
        DeprecationWarning,
        stacklevel=stacklevel,
    )
