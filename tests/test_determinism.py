"""Determinism and shared use: row order, hash seed and threads do not change a byte of the output; inputs are
never modified."""

from __future__ import annotations

import csv
import os
import random
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

import asn_kinerja

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "bungo" / "data"
POLICIES = ROOT / "examples" / "policies"


def shuffled_copy(tmp_path: Path, seed: int) -> Path:
    """The example dataset with the rows of every CSV file in another order."""
    target = tmp_path / f"shuffled-{seed}"
    shutil.copytree(EXAMPLE, target)
    rng = random.Random(seed)
    for path in target.glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        body = rows[1:]
        rng.shuffle(body)
        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh, lineterminator="\n").writerows([rows[0], *body])
    return target


def cli_json(data: Path, policy: str, *, hash_seed: str = "0") -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    return subprocess.run(
        [sys.executable, "-m", "asn_kinerja", "evaluate", str(data), "--policy", policy, "--format", "json"],
        capture_output=True,
        check=True,
        env=env,
    ).stdout


@pytest.mark.parametrize(
    "policy", ["permenpanrb-6-2022", str(POLICIES / "three-sixty.yaml"), str(POLICIES / "citizen-weighted.yaml")]
)
def test_row_order_and_hash_seed_change_nothing(tmp_path: Path, policy: str) -> None:
    reference = cli_json(EXAMPLE, policy)
    assert cli_json(shuffled_copy(tmp_path, 1), policy, hash_seed="1") == reference
    assert cli_json(shuffled_copy(tmp_path, 2), policy, hash_seed="987654") == reference


def test_threads_sharing_one_policy_get_identical_results() -> None:
    policy = asn_kinerja.load_policy(POLICIES / "three-sixty.yaml")
    dataset = asn_kinerja.load_dataset(EXAMPLE)
    expected = asn_kinerja.evaluate(policy, dataset).to_json()

    def run(_: int) -> str:
        return asn_kinerja.evaluate(policy, dataset).to_json()

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run, range(8)))
    assert all(r == expected for r in results)


def test_inputs_are_never_modified() -> None:
    policy = asn_kinerja.load_policy(POLICIES / "citizen-weighted.yaml")
    again = asn_kinerja.load_policy(POLICIES / "citizen-weighted.yaml")
    dataset = asn_kinerja.load_dataset(EXAMPLE)
    before = {name: getattr(dataset.ratings, name).copy() for name in ("ratee", "group", "score")}
    asn_kinerja.evaluate(policy, dataset)
    assert policy == again
    for name, values in before.items():
        assert np.array_equal(getattr(dataset.ratings, name), values)
    with pytest.raises(ValueError, match="read-only"):
        dataset.ratings.score[0] = 5.0
    with pytest.raises(AttributeError):
        policy.perilaku_kerja = None  # type: ignore[misc]
