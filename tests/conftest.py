"""Shared test settings: hypothesis profiles and the example dataset."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import asn_kinerja

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "bungo" / "data"

# CI runs derandomized so that a run is reproducible; locally hypothesis explores new examples each run.
settings.register_profile("ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def example() -> asn_kinerja.Dataset:
    """The bundled example agency."""
    return asn_kinerja.load_dataset(EXAMPLE)


@pytest.fixture(scope="session")
def baseline() -> asn_kinerja.Policy:
    """The built-in current policy."""
    return asn_kinerja.load_policy("permenpanrb-6-2022")


# Test modules import small builders from each other (e.g. ``from test_strategies import team``).
import sys  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
