"""The regimes: one module per regulation, each registered here as a :class:`Regime`.

A regime names the policy sections it needs, the policy class its policies are loaded as (with those sections
typed as present), the function that evaluates a dataset under it, and the result type that function returns.
Code outside the registry never tests a regime's name: it asks the registry (:func:`regime_of`) or the type of a
policy or a result. A district's own regime is one more module that calls :func:`register`.

>>> from asn_kinerja import load_policy, regimes
>>> sorted(regimes.registered())
['permenpanrb-6-2022', 'pp-30-2019', 'pp-46-2011']
>>> regimes.regime_of(load_policy("pp-46-2011")).result_type.__name__
'NumericEvaluation'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from asn_kinerja.errors import PolicyError, Problem
from asn_kinerja.policy.model import Policy

if TYPE_CHECKING:
    from asn_kinerja.dataset import Dataset

__all__ = ["Regime", "regime", "regime_of", "register", "registered", "typed_policy"]

P = TypeVar("P", bound=Policy)
R = TypeVar("R")


@attrs.frozen
class Regime(Generic[P, R]):
    """One regulation's way of evaluating: its id (a policy's ``regime``), the policy ``sections`` it needs, the
    ``policy_class`` its policies are loaded as, the ``evaluator`` and the ``result_type`` it returns.

    ``population`` says whether its results are :class:`~asn_kinerja.Evaluation` objects that the population
    tools (compare, sweeps, distributed evaluation, per-unit reports) work on.
    """

    id: str
    title: str
    sections: tuple[str, ...]
    policy_class: type[P]
    evaluator: Callable[[P, Dataset], R]
    result_type: type[R]
    population: bool = False

    def policy(self, policy: Policy) -> P:
        """``policy`` as this regime's policy class (the same object where it already is one)."""
        if isinstance(policy, self.policy_class):
            return policy
        if policy.regime != self.id:
            raise PolicyError([Problem(f"policy {policy.id!r} is of the {policy.regime} regime, not {self.id}")])
        values = {a.alias: getattr(policy, a.name) for a in attrs.fields(type(policy)) if a.init}
        return self.policy_class(**values)

    def evaluate(self, policy: Policy, dataset: Dataset) -> R:
        """Evaluate ``dataset`` under ``policy`` (of this regime)."""
        return self.evaluator(self.policy(policy), dataset)


_REGISTRY: dict[str, Regime[Any, Any]] = {}


def register(regime: Regime[P, R]) -> Regime[P, R]:
    """Add a regime to the registry (replacing one of the same id) and return it."""
    _REGISTRY[regime.id] = regime
    return regime


def unregister(regime_id: str) -> None:
    """Remove a regime from the registry (nothing where it is not registered)."""
    _REGISTRY.pop(regime_id, None)


def registered() -> tuple[str, ...]:
    """The ids of the registered regimes, in registration order."""
    return tuple(_REGISTRY)


def regime(regime_id: str) -> Regime[Any, Any]:
    """The registered regime of that id; a :class:`~asn_kinerja.PolicyError` naming the known ones otherwise."""
    found = _REGISTRY.get(regime_id)
    if found is None:
        known = ", ".join(repr(r) for r in _REGISTRY)
        raise PolicyError([Problem(f"unknown regime {regime_id!r} (registered: {known})", field="regime")])
    return found


def regime_of(policy: Policy) -> Regime[Any, Any]:
    """The regime a policy is evaluated under."""
    return regime(policy.regime)


def typed_policy(policy: Policy) -> Policy:
    """``policy`` as the policy class of its regime (an unknown regime is left to the policy's own checks)."""
    found = _REGISTRY.get(policy.regime)
    return policy if found is None else found.policy(policy)


from asn_kinerja.regimes import permenpanrb_6_2022, pp30_2019, pp46_2011  # noqa: E402  (the built-in regimes)

__all__ += ["permenpanrb_6_2022", "pp30_2019", "pp46_2011"]
