"""Policy schema of the numeric regimes: PP 46/2011 (``pp46``) and PP 30/2019 (``pp30``)."""

from __future__ import annotations

import attrs

from asn_kinerja.policy.schema import Reference, doc

__all__ = ["Pp30Rules", "Pp46Rules"]


@attrs.frozen(kw_only=True)
class Pp46Rules:
    """Rules of the PP 46/2011 regime (to be completed)."""

    reference: Reference | None = doc("Legal reference.", default=None)


@attrs.frozen(kw_only=True)
class Pp30Rules:
    """Rules of the PP 30/2019 regime (to be completed)."""

    reference: Reference | None = doc("Legal reference.", default=None)
