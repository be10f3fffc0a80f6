"""The bounded YAML reader, now :mod:`asn_kinerja.yamlschema.tree` (shared by policies, datasets and cases).

This module re-exports it under its former name.
"""

from asn_kinerja.yamlschema.tree import LIBYAML_MAX_DEPTH, Limits, MapNode, Node, ScalarNode, SeqNode, read_yaml

__all__ = ["LIBYAML_MAX_DEPTH", "Limits", "MapNode", "Node", "ScalarNode", "SeqNode", "read_yaml"]
