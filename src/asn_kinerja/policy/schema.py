"""Former home of the schema converter, now :mod:`asn_kinerja.yamlschema.converter`.

:class:`~asn_kinerja.Reference` is still importable from here; the other names (``convert``, ``doc``,
``Checked``, ``FrozenMap``, ``iter_schema``) still work for one release with a :class:`DeprecationWarning` that
names their new module.
"""

from __future__ import annotations

import warnings
from typing import Any

from asn_kinerja.yamlschema import converter
from asn_kinerja.yamlschema.converter import Reference

__all__ = ["Reference"]

_MOVED = ("Checked", "FrozenMap", "convert", "doc", "iter_schema")


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        warnings.warn(
            f"asn_kinerja.policy.schema.{name} moved to asn_kinerja.yamlschema.{name}; the old name will be removed "
            "in the next release",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(converter, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
