"""The regime registry: typed policies and results, a regime added at run time, mypy on a user's script."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import asn_kinerja
from asn_kinerja import PolicyError, Predikat, Rating, evaluate, load_policy, load_policy_text, regimes
from asn_kinerja.testing import generate_population

HERE = Path(__file__).parent
DISTRICT = "extends: {base}\nid: district-hasil\ntitle: District\nregime: example-kinerja-hasil\n"


def test_built_in_policies_load_as_their_regime_class() -> None:
    assert isinstance(load_policy("permenpanrb-6-2022"), asn_kinerja.PermenpanrbPolicy)
    assert isinstance(load_policy("pp-46-2011"), asn_kinerja.Pp46Policy)
    assert isinstance(load_policy("pp-30-2019"), asn_kinerja.Pp30Policy)
    assert isinstance(load_policy("pp-30-2019"), asn_kinerja.NumericPolicy)
    for policy_id in asn_kinerja.builtin_ids():
        assert regimes.regime_of(load_policy(policy_id)).id == load_policy(policy_id).regime


def test_a_plain_policy_is_evaluated_as_its_regime() -> None:
    import attrs

    typed = load_policy("permenpanrb-6-2022")
    plain = asn_kinerja.Policy(**{a.alias: getattr(typed, a.name) for a in attrs.fields(asn_kinerja.Policy)})
    data = generate_population(30, seed=2)
    assert type(plain) is asn_kinerja.Policy
    assert evaluate(plain, data).to_json() == evaluate(typed, data).to_json()


def test_an_unknown_regime_names_the_registered_ones() -> None:
    text = "extends: permenpanrb-6-2022\nid: x\ntitle: X\nregime: pp-99-2099\n"
    with pytest.raises(PolicyError, match="must be one of 'permenpanrb-6-2022', 'pp-30-2019', 'pp-46-2011'"):
        load_policy_text(text)


@pytest.fixture
def example_regime() -> Iterator[regimes.Regime[Any, Any]]:
    sys.path.insert(0, str(HERE))
    try:
        import example_regime

        yield regimes.register(example_regime.REGIME)
    finally:
        regimes.unregister("example-kinerja-hasil")
        sys.path.remove(str(HERE))


def test_a_fourth_regime_needs_its_module_only(example_regime: regimes.Regime[Any, Any]) -> None:
    policy = load_policy_text(DISTRICT.format(base="permenpanrb-6-2022"))
    assert isinstance(policy, example_regime.policy_class)
    data = generate_population(40, seed=3)
    result = evaluate(policy, data)
    assert isinstance(result, example_regime.result_type)
    given = data.employees.rating_hasil_kerja
    good = np.isin(given, [Rating.DI_ATAS_EKSPEKTASI.code, Rating.SESUAI_EKSPEKTASI.code])
    assert sum(p is Predikat.BAIK for p in result.predikat.values()) == int(good.sum())
    # the population tools name what they work on
    with pytest.raises(PolicyError, match="compare works on permenpanrb-6-2022"):
        asn_kinerja.compare(policy, "permenpanrb-6-2022", data)


def test_a_regime_missing_its_section_is_refused(example_regime: regimes.Regime[Any, Any]) -> None:
    text = DISTRICT.format(base="pp-46-2011")
    with pytest.raises(PolicyError, match="the example-kinerja-hasil regime needs the key 'hasil_kerja'"):
        load_policy_text(text)


def test_user_script_type_checks_without_casts() -> None:
    """``mypy --strict`` on a user's script: ``evaluate`` with a built-in policy is typed by its regime."""
    pytest.importorskip("mypy")
    script = HERE / "typing" / "user_script.py"
    assert "cast(" not in script.read_text(encoding="utf-8")
    mypy = [sys.executable, "-m", "mypy"] if shutil.which("mypy") is None else ["mypy"]
    done = subprocess.run(
        [*mypy, "--strict", "--no-incremental", "--cache-dir", "/dev/null", str(script)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success" in done.stdout
