"""The YAML layer below policies, dataset manifests and policy test cases.

Two parts, used alike by :mod:`asn_kinerja.policy`, :mod:`asn_kinerja.dataset` and :mod:`asn_kinerja.cases`:

- :mod:`asn_kinerja.yamlschema.tree`: a safe, bounded YAML reader (:func:`read_yaml`, :class:`Limits`) giving a
  tree of nodes that keep their file and line;
- :mod:`asn_kinerja.yamlschema.converter`: the conversion of such a tree into frozen attrs classes (the schema),
  collecting every problem with its file, line and key path (:func:`convert`, :func:`doc`, :class:`Checked`).

>>> import attrs
>>> @attrs.frozen(kw_only=True)
... class Size:
...     width: int = doc("Width in cells.", ge=1)
>>> convert(read_yaml("width: 3\\n", source="s.yaml"), Size)[0]
Size(width=3)
>>> convert(read_yaml("width: 0\\n", source="s.yaml"), Size)
Traceback (most recent call last):
...
asn_kinerja.errors.PolicyError: 1 problem in the policy:
  s.yaml:1: width: must be at least 1, got 0
"""

from asn_kinerja.yamlschema.converter import Checked, FrozenMap, Reference, convert, doc, iter_schema
from asn_kinerja.yamlschema.tree import Limits, MapNode, Node, ScalarNode, SeqNode, read_yaml

__all__ = [
    "Checked",
    "FrozenMap",
    "Limits",
    "MapNode",
    "Node",
    "Reference",
    "ScalarNode",
    "SeqNode",
    "convert",
    "doc",
    "iter_schema",
    "read_yaml",
]
