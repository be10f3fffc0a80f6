"""Names that moved to another module keep working from the old one for one release, with a warning.

>>> import warnings
>>> from asn_kinerja.errors import Problem
>>> forward = moved_names("asn_kinerja.old", {"Problem": "asn_kinerja.errors"})
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     found = forward("Problem")
>>> found is Problem
True
>>> print(caught[0].message)
asn_kinerja.old.Problem moved to asn_kinerja.errors.Problem; the old name will be removed in the next release
>>> forward("Other")
Traceback (most recent call last):
...
AttributeError: module 'asn_kinerja.old' has no attribute 'Other'
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["moved_names"]


def moved_names(module: str, moved: Mapping[str, str]) -> Callable[[str], Any]:
    """The ``__getattr__`` of module ``module`` for the names that left it: ``moved`` maps each to the module it is
    in now. Using one warns (a :class:`DeprecationWarning` naming the new place) and gives the object itself."""

    def __getattr__(name: str) -> Any:
        new = moved.get(name)
        if new is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        warnings.warn(
            f"{module}.{name} moved to {new}.{name}; the old name will be removed in the next release",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(new), name)

    return __getattr__
