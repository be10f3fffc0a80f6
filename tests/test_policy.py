"""Policies: the built-in one, strict validation with file:line:key, dated values, overlays, safe YAML."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

import asn_kinerja
from asn_kinerja import PolicyError, load_policy, load_policy_text
from asn_kinerja.model import RaterGroup
from asn_kinerja.policy import Limits, builtin_ids, policy_in_force
from complexity import bytes_read, parser_events

BASE = """\
id: test
title: Test
extends: permenpanrb-6-2022
"""


def write(tmp_path: Path, text: str, name: str = "policy.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[tuple[str | None, int | None, str | None, str]]:
    with pytest.raises(PolicyError) as err:
        load_policy(path)
    return [(p.source, p.line, p.field, p.message) for p in err.value.problems]


def test_builtin_loads_with_references() -> None:
    policy = load_policy("permenpanrb-6-2022")
    assert policy.regime == "permenpanrb-6-2022"
    assert policy.valid_from == dt.date(2022, 1, 1)
    assert "PermenPANRB 6/2022" in str(policy.reference_for("matrix"))
    assert "practice" in (policy.reference_for("hasil_kerja.suggestion.thresholds").note or "").lower()
    assert policy.perilaku_kerja is not None
    assert dict(policy.perilaku_kerja.weights) == {RaterGroup.ATASAN: Decimal(1)}
    assert "permenpanrb-6-2022" in builtin_ids()


def test_policy_in_force_by_date() -> None:
    assert policy_in_force(dt.date(2025, 6, 30)).id == "permenpanrb-6-2022"
    assert load_policy(on=dt.date(2023, 1, 1)).id == "permenpanrb-6-2022"
    with pytest.raises(PolicyError, match=r"not on 2015-01-01"):
        load_policy("permenpanrb-6-2022", on=dt.date(2015, 1, 1))


def test_unknown_key(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + "hasil_kerja:\n  suggestion:\n    colour: red\n")
    [(source, line, field, message)] = problems_of(path)
    assert (source, line, field) == (str(path), 6, "hasil_kerja.suggestion.colour")
    assert "unknown key 'colour'" in message and "thresholds" in message


def test_duplicate_key(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + "perilaku_kerja:\n  strategy: supervisor_only\n  strategy: supervisor_only\n")
    [(source, line, field, message)] = problems_of(path)
    assert (source, line, field) == (str(path), 6, "perilaku_kerja.strategy")
    assert "duplicate key 'strategy' (first on line 5)" in message


def test_weights_must_sum_to_one(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + "perilaku_kerja:\n  weights: {atasan: 0.9}\n")
    [(source, line, field, message)] = problems_of(path)
    assert (source, line, field) == (str(path), 5, "perilaku_kerja.weights")
    assert "sum to exactly 1" in message and "0.9" in message


def test_negative_weight_and_group_that_does_not_exist(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + "perilaku_kerja:\n  weights: {atasan: 1.5, rekan: -0.5, tetangga: 0}\n")
    found = problems_of(path)
    fields = {f for _, _, f, _ in found}
    assert "perilaku_kerja.weights.tetangga" in fields
    assert all(line == 5 for _, line, _, _ in found)


def test_unordered_thresholds(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + "hasil_kerja:\n  suggestion:\n    thresholds:\n      di_atas: 80\n      sesuai: 90\n")
    [(source, line, field, message)] = problems_of(path)
    assert (source, line, field) == (str(path), 8, "hasil_kerja.suggestion.thresholds.sesuai")
    assert "ordered" in message


def test_bad_date(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + "valid_from: 2022-02-30\n")
    [(source, line, field, message)] = problems_of(path)
    assert (source, line, field) == (str(path), 4, "valid_from")
    assert "date" in message


def test_wrong_types(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + "hasil_kerja:\n  suggestion:\n    enabled: maybe\n    inside_range: lots\n")
    found = problems_of(path)
    assert [(line, field) for _, line, field, _ in found] == [
        (6, "hasil_kerja.suggestion.enabled"),
        (7, "hasil_kerja.suggestion.inside_range"),
    ]


def test_all_problems_of_a_file_in_one_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        BASE
        + "valid_from: 2022-13-01\n"
        + "hasil_kerja:\n  suggestion:\n    thresholds: {di_atas: 80, sesuai: 90}\n    colour: red\n"
        + "perilaku_kerja:\n  weights: {atasan: 0.9}\n  strategy: supervisor_only\n  strategy: median\n",
    )
    found = problems_of(path)
    # The weights are not checked here: their section is already invalid (its strategy is unknown).
    assert [line for _, line, _, _ in found] == [4, 7, 8, 12, 12]
    with pytest.raises(PolicyError) as err:
        load_policy(path)
    text = str(err.value)
    assert text.startswith("5 problems in the policy:")
    assert f"{path}:8: hasil_kerja.suggestion.colour: unknown key 'colour'" in text
    assert f"{path}:12: perilaku_kerja.strategy: duplicate key 'strategy' (first on line 11)" in text


def test_unknown_strategy_names_the_key(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + "perilaku_kerja:\n  strategy: astrology\n")
    [(_, line, field, message)] = problems_of(path)
    assert (line, field) == (5, "perilaku_kerja.strategy")
    assert "supervisor_only" in message


def test_overlay_changes_only_what_it_names_and_never_the_base() -> None:
    base = load_policy("permenpanrb-6-2022")
    overlay = load_policy_text(BASE + "hasil_kerja: {suggestion: {thresholds: {di_atas: 120}}}\n")
    again = load_policy("permenpanrb-6-2022")
    assert overlay.hasil_kerja is not None and base.hasil_kerja is not None
    assert overlay.hasil_kerja.suggestion.thresholds.di_atas == Decimal(120)
    assert overlay.hasil_kerja.suggestion.thresholds.sesuai == base.hasil_kerja.suggestion.thresholds.sesuai
    assert overlay.perilaku_kerja == base.perilaku_kerja
    assert overlay.matrix == base.matrix
    assert base.hasil_kerja.suggestion.thresholds.di_atas == Decimal(110)
    assert again == base
    assert overlay.id == "test" and overlay.valid_from == base.valid_from


def test_overlay_of_an_overlay_file(tmp_path: Path) -> None:
    write(tmp_path, BASE + "perilaku_kerja: {suggestion: {thresholds: {di_atas: 4.2}}}\n", "district.yaml")
    child = write(tmp_path, "id: child\ntitle: Child\nextends: district.yaml\nhasil_kerja: {suggestion: {cap: 150}}\n")
    policy = load_policy(child)
    assert policy.perilaku_kerja is not None and policy.hasil_kerja is not None
    assert policy.perilaku_kerja.suggestion.thresholds.di_atas == Decimal("4.2")
    assert policy.hasil_kerja.suggestion.cap == Decimal(150)


def test_overlay_needs_its_own_id(tmp_path: Path) -> None:
    path = write(tmp_path, "extends: permenpanrb-6-2022\nhasil_kerja: {suggestion: {cap: 150}}\n")
    [(_, _line, field, message)] = problems_of(path)
    assert field == "id" and "own id" in message


def test_dated_values_pick_the_one_in_force() -> None:
    text = BASE + (
        "hasil_kerja:\n  suggestion:\n    thresholds:\n      di_atas:\n        values:\n"
        "          - {valid_from: 2022-01-01, value: 110}\n          - {valid_from: 2025-01-01, value: 105}\n"
        "        reference: {title: Keputusan Bupati Bungo, article: Pasal 4}\n"
    )
    early = load_policy_text(text, on=dt.date(2024, 12, 31))
    late = load_policy_text(text, on=dt.date(2025, 1, 1))
    latest = load_policy_text(text)
    assert early.hasil_kerja is not None and late.hasil_kerja is not None and latest.hasil_kerja is not None
    assert early.hasil_kerja.suggestion.thresholds.di_atas == Decimal(110)
    assert late.hasil_kerja.suggestion.thresholds.di_atas == Decimal(105)
    assert latest.hasil_kerja.suggestion.thresholds.di_atas == Decimal(105)
    assert late.reference_for("hasil_kerja.suggestion.thresholds.di_atas").title == "Keputusan Bupati Bungo"


def test_dated_values_must_increase() -> None:
    text = BASE + (
        "hasil_kerja: {suggestion: {thresholds: {di_atas: {values: "
        "[{valid_from: 2025-01-01, value: 105}, {valid_from: 2022-01-01, value: 110}]}}}}\n"
    )
    with pytest.raises(PolicyError, match="dates must increase"):
        load_policy_text(text)


def test_missing_file_and_empty_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="no such policy file"):
        load_policy(tmp_path / "nope.yaml")
    with pytest.raises(PolicyError, match="empty"):
        load_policy(write(tmp_path, ""))


@pytest.mark.parametrize(
    "text",
    [
        "id: !!python/object/apply:os.system ['echo hacked']\n",
        "id: !!python/name:os.system\n",
        "!!python/object:collections.OrderedDict {}\n",
        "id: !custom x\n",
    ],
)
def test_object_tags_are_rejected(text: str) -> None:
    with pytest.raises(PolicyError, match="not allowed"):
        load_policy_text(text)


def test_billion_laughs_is_rejected_without_expanding_it() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    with parser_events() as events, pytest.raises(PolicyError, match="more than 100000 values"):
        load_policy_text("\n".join(lines))
    assert events[0] < 200  # the document's own events: the aliases are counted, never expanded


def test_deep_nesting_is_rejected_after_reading_a_bounded_prefix() -> None:
    with parser_events() as events, pytest.raises(PolicyError, match="nesting deeper than 64"):
        load_policy_text("a: " + "[" * 10_000 + "]" * 10_000)
    assert events[0] <= 70  # the events up to the 65th level at most (recent libyaml refuses 1000 levels itself)


def test_large_file_is_rejected_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * (50 * 1024 * 1024) + b"\n")
    with bytes_read() as read, pytest.raises(PolicyError, match="more than the limit"):
        load_policy(path)
    assert read[0] <= (1 << 20) + 1  # the limit and one byte more, to tell that it is over


def test_limits_are_configurable() -> None:
    text = BASE + "hasil_kerja: {suggestion: {cap: 150}}\n"
    with pytest.raises(PolicyError, match="more than the limit of 10"):
        load_policy_text(text, limits=Limits(max_bytes=10))
    assert load_policy_text(text, limits=Limits(max_nodes=100_000)).id == "test"


def test_malformed_yaml_names_the_line() -> None:
    with pytest.raises(PolicyError) as err:
        load_policy_text("id: x\ntitle: [unclosed\n", source="broken.yaml")
    problem = err.value.problems[0]
    assert problem.source == "broken.yaml" and problem.line is not None and "not valid YAML" in problem.message


def test_policy_objects_are_frozen() -> None:
    policy = asn_kinerja.load_policy("permenpanrb-6-2022")
    with pytest.raises(AttributeError):
        policy.id = "other"  # type: ignore[misc]


def test_a_choice_may_be_dated_too() -> None:
    text = BASE + (
        "perilaku_kerja:\n  strategy:\n    values:\n      - {valid_from: 2022-01-01, value: supervisor_only}\n"
        "      - {valid_from: 2026-01-01, value: three_sixty}\n"
        "  weights: {atasan: 1}\n"
    )
    early = load_policy_text(text, on=dt.date(2025, 6, 1))
    assert early.perilaku_kerja is not None
    assert early.perilaku_kerja.strategy == "supervisor_only"
    with pytest.raises(PolicyError, match="three_sixty strategy needs its rules"):
        load_policy_text(text, on=dt.date(2026, 6, 1))
