"""Former home of the schema converter, now :mod:`asn_kinerja.yamlschema.converter`.

:class:`~asn_kinerja.Reference` is still importable from here; the other names (``convert``, ``doc``,
``Checked``, ``FrozenMap``, ``iter_schema``) still work for one release with a :class:`DeprecationWarning` that
names their new module.
"""

from asn_kinerja._moved import moved_names
from asn_kinerja.yamlschema.converter import Reference

__all__ = ["Reference"]

__getattr__ = moved_names(
    __name__, dict.fromkeys(("Checked", "FrozenMap", "convert", "doc", "iter_schema"), "asn_kinerja.yamlschema")
)
