"""Hostile and malformed policies: only PolicyError ever escapes the loader, quickly and with a clear message.

(a) a corpus of malformed files kept in ``tests/corpus/policies`` (one case a file, named after what it is), read
with libyaml's parser and with PyYAML's pure Python one (the fallback); (b) hypothesis: random bytes, random text,
mutations of the built-in policy file; (c) time bounds on bombs and oversized inputs; (d) the limits are
configurable; (e) regression tests of the bugs this suite found.
"""

from __future__ import annotations

import codecs
import contextlib
import copy
import datetime as dt
import enum
import json
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asn_kinerja import Limits, Policy, PolicyError, load_policy, load_policy_text
from asn_kinerja.policy import loader
from asn_kinerja.yamlschema import tree as yamltree
from asn_kinerja.yamlschema.converter import convert, doc, iter_schema
from complexity import bytes_read, growth, parser_events

CORPUS = Path(__file__).parent / "corpus" / "policies"
BUILTIN = Path(__file__).parents[1] / "src" / "asn_kinerja" / "policy" / "builtin" / "permenpanrb-6-2022.yaml"
BUILTIN_TEXT = BUILTIN.read_text("utf-8")
BUILTIN_DATA = yaml.safe_load(BUILTIN_TEXT)
HEAD = "id: fuzz\ntitle: Fuzz\nextends: permenpanrb-6-2022\n"

# The corpus files that are valid and must load; every other one must be rejected with a PolicyError.
VALID = {
    "booleans-yes-off-on.yaml",  # YAML 1.1 booleans where booleans are expected
    "encoding-utf8-bom-valid-policy.yaml",  # a UTF-8 byte order mark is allowed
    "extends-valid-overlay-of-corpus-file.yaml",
    "tags-str-on-number-valid.yaml",  # the standard !!str tag on a text field
}
# Files whose problem lies in the file they extend: the message names that file.
NAMED_ELSEWHERE = {"extends-malformed-base.yaml": "syntax-unclosed-flow-mapping.yaml"}
# A standard tag on the wrong kind of value: rejected by the schema, not by the reader.
STANDARD_TAG_MISUSED = {"tags-str-on-number-field.yaml", "tags-int-on-date-field.yaml"}
PARSERS = {"libyaml": yaml.CSafeLoader, "python": yaml.SafeLoader}


def dump(value: object, **options: Any) -> str:
    """YAML text of a value, by libyaml's emitter (PyYAML's own is slow)."""
    return yaml.dump(value, Dumper=yaml.CSafeDumper, **options)  # type: ignore[no-any-return]


@contextlib.contextmanager
def parser(name: str) -> Iterator[None]:
    """Read YAML with libyaml's parser (the default when PyYAML has it) or the pure Python one (the fallback)."""
    with mock.patch.object(yamltree, "_LOADER", PARSERS[name]):
        yield


def rejected(call: Callable[[], object]) -> PolicyError:
    with pytest.raises(PolicyError) as err:
        call()
    return err.value


def bounded_rejection(call: Callable[[], object]) -> tuple[PolicyError, int, int]:
    """The error of a rejected call, the YAML events it read and the bytes it read from files.

    Work measured in events and bytes, not seconds: the bounds hold on a machine however busy.
    """
    with parser_events() as events, bytes_read() as read:
        err = rejected(call)
    return err, events[0], read[0]


# Work that rejecting any input may take with the default limits: every value up to max_nodes (a key and its value
# are two events), and the file up to max_bytes and one byte more.
MAX_EVENTS = 2 * Limits().max_nodes + 100
MAX_READ = Limits().max_bytes + 1


def load_or_policy_error(call: Callable[[], Policy]) -> None:
    """The fuzz oracle: the call returns a Policy or raises a PolicyError, nothing else."""
    error: PolicyError | None = None
    try:
        policy: object = call()
    except PolicyError as err:
        error, policy = err, None
    if error is None:
        assert isinstance(policy, Policy)
    else:
        assert error.problems and str(error).startswith(f"{len(error.problems)} problem")


# --- (a) the corpus --------------------------------------------------------------------------------------------------

CORPUS_FILES = sorted(CORPUS.glob("*.yaml"))


def test_the_corpus_is_there() -> None:
    names = {p.name for p in CORPUS_FILES}
    assert len(names) >= 30
    assert names >= VALID | set(NAMED_ELSEWHERE)


@pytest.mark.parametrize("name", sorted(PARSERS))
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.stem)
def test_corpus_file(path: Path, name: str) -> None:
    with parser(name):
        if path.name in VALID:
            assert isinstance(load_policy(path), Policy)
            return
        err = rejected(lambda: load_policy(path))
    assert NAMED_ELSEWHERE.get(path.name, str(path)) in str(err)
    assert all(p.source is not None for p in err.problems)


@pytest.mark.parametrize(
    "path", [p for p in CORPUS_FILES if p.name.startswith("tags-") and p.name not in VALID], ids=lambda p: p.stem
)
def test_object_and_custom_tags_are_rejected(path: Path) -> None:
    err = rejected(lambda: load_policy(path))
    if path.name in STANDARD_TAG_MISUSED:
        assert "expected" in str(err)
    else:
        assert "is not allowed: policies hold plain data only" in str(err)


def test_corpus_messages_are_specific() -> None:
    """A few files, each rejected for its own reason, at the right line."""

    def problem(stem: str) -> str:
        err = rejected(lambda: load_policy(CORPUS / f"{stem}.yaml"))
        return str(err)

    assert "UTF-16 text" in problem("encoding-utf16-le-with-bom")
    assert "UTF-32 text (it starts with a UTF-32 byte order mark)" in problem("encoding-utf32-le-with-bom")
    assert "not UTF-8 text (invalid start byte at byte 85)" in problem("encoding-latin1-not-utf8")
    assert ":4: not valid YAML: unacceptable character #x0000" in problem("encoding-nul-byte")
    assert "holds one YAML document, found more" in problem("documents-two-policies")
    assert "the policy file is empty" in problem("documents-separator-only")
    assert "a key must be plain text" in problem("keys-flow-mapping")
    assert "unknown alias *a" in problem("alias-recursive-sequence")
    assert "'DI ATAS' means the same as 'di_atas'" in problem("keys-duplicate-enum-spellings")
    assert "ambiguous: YAML 1.1 reads a leading 0 as octal" in problem("numbers-octal-leading-zero")
    assert "in decimal digits, got int 0x64" in problem("numbers-hexadecimal")
    assert "in decimal digits, got float .nan" in problem("numbers-nan")
    assert "out of range" in problem("numbers-huge-exponent")
    assert "got '110' (written as text: remove the quotes)" in problem("numbers-quoted")
    assert "write 1.0e+3, not 1e3" in problem("numbers-exponent-without-dot")
    assert "expected text, got bool no (quote it" in problem("booleans-norway-problem")
    assert "expected true or false, got bool maybe" in problem("booleans-explicit-tag-on-text")
    assert "not a valid date" in problem("dates-february-30")
    assert "expected a date YYYY-MM-DD, got timestamp 2022-01-01T10:00:00" in problem("dates-with-time")
    assert "extends 'extends-cycle-a.yaml': a cycle of extends (" in problem("extends-cycle-a")
    assert "a cycle of extends" in problem("extends-itself")
    assert "no such built-in policy or file" in problem("extends-name-too-long")
    assert "nesting deeper than 64 levels" in problem("shape-deep-block-mappings")
    assert "more than 100000 values" in problem("alias-billion-laughs-mappings")


# --- (b) hypothesis --------------------------------------------------------------------------------------------------

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**60), max_value=10**60),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.text(max_size=20),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.sampled_from(
        [
            "yes", "no", "on", "off", "~", "null", ".nan", ".inf", "-.inf", "0x1F", "0o17", "017", "0b101", "1:30",
            "1e3", "1.0e+999999", "2022-02-30", "2022-01-01T10:00:00", "<<", "*a", "&a", "!!python/none", "'", '"',
            "[", "{", "- ", ": ", "#", "|", ">", "%", "@", "`", "\t", "\x00", "\ufeff", "\u2028", "di_atas", "atasan",
            "supervisor_only", "permenpanrb-6-2022", "extends", "values", "valid_from",
        ]
    ),
)  # fmt: skip
KEYS = st.one_of(
    st.sampled_from(["id", "title", "extends", "values", "valid_from", "value", "reference", "di_atas", "atasan"]),
    st.text(min_size=1, max_size=8),
)
TREES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)
# Scalars as written in a file, unquoted: what a YAML emitter would never write.
RAW_SCALARS = st.one_of(
    st.sampled_from(
        [
            "017", "0100", "00", "0x1F", "0o17", "0b101", "1:30", "1_000", "1.", ".5", "+1", "-0", "1.0e+999999",
            "1.0e+9999999", "1.0e-999999", "1.0e+99999999999999999999", "9" * 60, "9" * 5000, ".nan", ".inf",
            "-.inf", "!!int abc", "!!int 017", "!!float x", "!!float 1e400", "!!bool maybe", "!!bool yes",
            "!!timestamp x", "!!str 5", "!!null x", "!!int", "2022-02-30", "2022-01-01T10:00:00", "0000-01-01",
            "9999-12-31", "yes", "off", "Y", "~", "''", '"\\ud800"', '"\\0"', '"\\x01"', "*undefined", "&anchor 1",
            "!!binary aGk=", "!custom x",
            "[]", "{}", "[1, 2]", "{atasan: 1}", "<<",
        ]
    ),
    st.integers(-(10**70), 10**70).map(str),
    st.decimals(allow_nan=False, allow_infinity=False).map(lambda d: f"{d:f}" if abs(d.adjusted()) < 80 else str(d)),
)  # fmt: skip
TEXT_SNIPPETS = st.one_of(
    RAW_SCALARS,
    SCALARS.map(lambda v: dump(v, default_flow_style=True).removesuffix("...\n").strip()),
    st.sampled_from(["&a x", "*a", "[*a]", "{a: 1}", "[", "]", "{", "}", "? x", "<<: *a", "!!set {a}", "|-", ">+"]),
)


@pytest.mark.parametrize("name", sorted(PARSERS))
@FUZZ
@given(data=st.binary(max_size=400))
def test_random_bytes(tmp_path_factory: pytest.TempPathFactory, name: str, data: bytes) -> None:
    path = tmp_path_factory.getbasetemp() / "fuzz-bytes.yaml"
    path.write_bytes(data)
    with parser(name):
        load_or_policy_error(lambda: load_policy(path))
        load_or_policy_error(lambda: load_policy_text(HEAD + data.decode("utf-8", "replace")))


@pytest.mark.parametrize("name", sorted(PARSERS))
@FUZZ
@given(text=st.text(st.characters(exclude_categories=()), max_size=300))  # surrogates too
def test_random_text(name: str, text: str) -> None:
    with parser(name):
        load_or_policy_error(lambda: load_policy_text(text))
        load_or_policy_error(lambda: load_policy_text(HEAD + text))


def _mutate_lines(lines: list[str], data: st.DataObject) -> list[str]:
    lines = list(lines)
    for _ in range(data.draw(st.integers(1, 6), label="mutations")):
        if not lines:
            lines.append("")
        i = data.draw(st.integers(0, len(lines) - 1), label="line")
        op = data.draw(st.sampled_from(["delete", "duplicate", "swap", "value", "insert", "indent", "nest"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = data.draw(st.integers(0, len(lines) - 1), label="other line")
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "value" and ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            lines[i] = f"{key}: {data.draw(TEXT_SNIPPETS, label='value')}"
        elif op == "insert":
            depth = data.draw(st.integers(0, 6), label="depth")
            key = dump(data.draw(KEYS, label="key")).removesuffix("...\n").strip()
            lines.insert(i, "  " * depth + f"{key}: {data.draw(TEXT_SNIPPETS, label='value')}")
        elif op == "indent":
            lines[i] = "  " * data.draw(st.integers(-2, 3), label="shift") + lines[i].lstrip(" ")
        elif op == "nest" and ": " in lines[i]:  # wrap a value in a flow sequence or mapping
            key, value = lines[i].split(": ", 1)
            wrapper = data.draw(st.sampled_from(["[{}]", "{{x: {}}}", "[[{}]]", "{{values: [{}]}}"]), label="wrapper")
            lines[i] = f"{key}: " + wrapper.format(value)
    return lines


@FUZZ
@given(data=st.data())
def test_mutations_of_the_builtin_file(data: st.DataObject) -> None:
    text = "\n".join(_mutate_lines(BUILTIN_TEXT.splitlines(), data)) + "\n"
    load_or_policy_error(lambda: load_policy_text(text, source="mutant.yaml"))


def _insert_at_random(tree: Any, data: st.DataObject) -> Any:
    """Walk down from the root at random, then replace or add one value there."""
    node = tree
    for _ in range(data.draw(st.integers(0, 6), label="depth")):
        children = list(node) if isinstance(node, dict) else list(range(len(node))) if isinstance(node, list) else []
        child = data.draw(st.sampled_from(children), label="into") if children else None
        if child is None or not isinstance(node[child], dict | list):
            break
        node = node[child]
    if isinstance(node, dict):
        node[data.draw(KEYS, label="key")] = data.draw(TREES, label="value")
    elif isinstance(node, list) and node:
        node[data.draw(st.integers(0, len(node) - 1))] = data.draw(TREES, label="value")
    return tree


@FUZZ
@given(data=st.data())
def test_random_structures_in_the_builtin_policy(data: st.DataObject) -> None:
    tree = copy.deepcopy(BUILTIN_DATA)
    for _ in range(data.draw(st.integers(1, 4), label="changes")):
        tree = _insert_at_random(tree, data)
    if data.draw(st.booleans(), label="as overlay"):
        tree.update({"id": "fuzz", "extends": "permenpanrb-6-2022"})
    flow = data.draw(st.sampled_from([None, True, False]), label="flow style")
    text = dump(tree, default_flow_style=flow, allow_unicode=data.draw(st.booleans(), label="unicode"))
    load_or_policy_error(lambda: load_policy_text(text, source="structure.yaml"))


@FUZZ
@given(tree=TREES)
def test_random_structures(tree: Any) -> None:
    load_or_policy_error(lambda: load_policy_text(dump(tree)))
    if isinstance(tree, dict):
        load_or_policy_error(lambda: load_policy_text(HEAD + dump({"hasil_kerja": tree})))


def _flow(value: object) -> str:
    return dump(value, default_flow_style=True, width=10**6).removesuffix("...\n").strip()


ANYTHING = st.one_of(RAW_SCALARS, SCALARS.map(_flow), TREES.map(_flow))
RAW_NUMBERS = st.one_of(
    st.sampled_from(["017", "0x1F", "1:30", "1.0e+9999999", "9" * 5000, ".nan"]),  # the most hostile, more often
    st.sampled_from(
        [
            "0", "1", "100", "017", "0100", "00", "0x1F", "0o17", "0b101", "1:30", "1:30.5", "1_000", "1.", ".5",
            "-0.0", "1.0e+3", "1e3", "1.0e+999999", "1.0e+9999999", "1.0e-9999999", "1.0e+99999999999999999999",
            "9" * 51, "9" * 5000, "0." + "0" * 60 + "1", ".nan", ".inf", "-.inf", "!!int abc", "!!int 017",
            "!!float x", "!!float 1e400", "'5'",
        ]
    ),
    st.integers(-(10**60), 10**60).map(str),
    st.decimals(allow_nan=False, allow_infinity=False).map(lambda d: f"{d:f}" if abs(d.adjusted()) < 70 else str(d)),
)  # fmt: skip
RAW_BOOLS = st.sampled_from(["true", "no", "on", "OFF", "y", "maybe", "!!bool maybe", "!!bool 1", "1", "'true'"])
RAW_DATES = st.one_of(
    st.dates(min_value=dt.date(1, 1, 1)).map(str),
    st.sampled_from(["2022-02-30", "2022-13-01", "2022-01-01T10:00:00", "2022-1-1", "'2022-01-01'", "!!timestamp x"]),
)


def _raw_value(typ: Any) -> st.SearchStrategy[str]:
    """YAML text for a value of a schema type: mostly plausible (and hostile) for the type, sometimes anything."""
    origin, args = typing.get_origin(typ), typing.get_args(typ)
    if origin in (typing.Union, types.UnionType):
        return st.one_of([_raw_value(a) for a in args if a is not type(None)] + [st.just("null")])
    if origin is typing.Literal:
        plausible: st.SearchStrategy[str] = st.sampled_from([str(a) for a in args])
    elif origin is tuple:
        plausible = st.lists(_raw_value(args[0]), max_size=4).map(lambda items: "[" + ", ".join(items) + "]")
    elif origin in (Mapping, dict):
        key_type, value_type = args
        if isinstance(key_type, type) and issubclass(key_type, enum.Enum):
            words = [str(m.value) for m in key_type] + [str(m) for m in key_type] + [m.name for m in key_type]
            keys: st.SearchStrategy[str] = st.sampled_from(words) | st.text(min_size=1, max_size=6)
        else:
            keys = st.text(min_size=1, max_size=6)
        entry = st.tuples(keys.map(json.dumps), _raw_value(value_type)).map(": ".join)
        plausible = st.lists(entry, max_size=5).map(lambda items: "{" + ", ".join(items) + "}")
    elif typ in (int, Decimal):
        plausible = RAW_NUMBERS
    elif typ is bool:
        plausible = RAW_BOOLS
    elif typ is dt.date:
        plausible = RAW_DATES
    elif isinstance(typ, type) and issubclass(typ, enum.Enum):
        plausible = st.sampled_from([str(m.value) for m in typ] + [m.name for m in typ])
    elif attrs.has(typ):
        fields = [f for f in attrs.fields(typ) if not f.metadata.get("internal")]
        entry = st.sampled_from(fields).flatmap(lambda f: _raw_value(f.type).map(lambda v: f"{f.name}: {v}"))
        plausible = st.lists(entry, max_size=4).map(lambda items: "{" + ", ".join(items) + "}")
    else:
        plausible = ANYTHING
    if typ in (int, Decimal, bool, dt.date) or (isinstance(typ, type) and issubclass(typ, enum.Enum)):
        dated = st.lists(st.tuples(RAW_DATES, plausible), min_size=0, max_size=3).map(
            lambda pairs: "{values: [" + ", ".join(f"{{valid_from: {d}, value: {v}}}" for d, v in pairs) + "]}"
        )
        plausible = plausible | dated
    return st.one_of(plausible, plausible, plausible, ANYTHING)


SCHEMA_LEAVES = {key: typ for key, _, typ in iter_schema(Policy) if not attrs.has(typ)}  # sections made on the way
# Keys holding numbers (or mappings of numbers) are drawn three times as often: their conversion is the subtlest.
SCHEMA_KEYS = sorted(k for k in SCHEMA_LEAVES if k != "extends") + 2 * sorted(
    k for k, typ in SCHEMA_LEAVES.items() if {int, Decimal} & {typ, *typing.get_args(typ)}
)


@FUZZ
@given(data=st.data())
def test_random_values_at_schema_keys(data: st.DataObject) -> None:
    """Overlays that set known keys of the schema to values plausible (or hostile) for their type."""
    overlay: dict[str, Any] = {"id": "fuzz", "title": "Fuzz", "extends": "permenpanrb-6-2022"}
    for _ in range(data.draw(st.integers(1, 5), label="keys")):
        key = data.draw(st.sampled_from(SCHEMA_KEYS), label="key")
        *sections, name = key.split(".")
        node = overlay
        for part in sections:
            if not isinstance(node.get(part), dict):
                node[part] = {}
            node = node[part]
        node[name] = data.draw(_raw_value(SCHEMA_LEAVES[key]), label=key)

    def render(value: object) -> str:
        if isinstance(value, dict):
            return "{" + ", ".join(f"{k}: {render(v)}" for k, v in value.items()) + "}"
        return str(value)

    text = "".join(f"{k}: {render(v)}\n" for k, v in overlay.items())
    load_or_policy_error(lambda: load_policy_text(text, source="schema.yaml"))


def test_loading_never_changes_the_cached_builtin_policy() -> None:
    tree_before = loader._builtin_tree("permenpanrb-6-2022")
    fresh = yamltree.read_yaml(BUILTIN_TEXT, source="permenpanrb-6-2022.yaml (built-in)")
    policy_before = load_policy("permenpanrb-6-2022")
    for text in (
        HEAD + "hasil_kerja: {suggestion: {thresholds: {di_atas: 120}}}\n",
        HEAD + "hasil_kerja: {suggestion: {thresholds: {di_atas: 80}}}\n",  # rejected: unordered thresholds
        HEAD + "perilaku_kerja: {weights: {atasan: 1, atasan: 2}}\n",  # rejected: duplicate key
        HEAD + "matrix: {di_atas: {di_atas: baik}}\n",
    ):
        with contextlib.suppress(PolicyError):
            load_policy_text(text)
    assert loader._builtin_tree("permenpanrb-6-2022") is tree_before
    assert tree_before == fresh
    assert load_policy("permenpanrb-6-2022") == policy_before


# --- (c) time bounds -------------------------------------------------------------------------------------------------


def _billion_laughs(levels: int = 10) -> str:
    """An alias bomb: level k holds ten aliases of level k - 1, so the last one stands for 10**levels values."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


BOMBS: dict[str, tuple[Callable[[], str], str]] = {
    "billion-laughs": (_billion_laughs, "more than 100000 values (aliases counted at each use)"),
    "flow-sequences-10k": (lambda: "a: " + "[" * 10_000 + "]" * 10_000, "nesting deeper than 64 levels"),
    "flow-mappings-10k": (lambda: "{a: " * 10_000 + "x" + "}" * 10_000, "nesting deeper than 64 levels"),
    "block-sequences-10k": (lambda: "- " * 10_000 + "x\n", "nesting deeper than 64 levels"),
    "block-mappings-10k": (lambda: "".join(" " * i + "a:\n" for i in range(10_000)), "more than the limit of 1048576"),
    "1M-keys": (lambda: "".join(f"k{i}:\n" for i in range(1_000_000)), "more than the limit of 1048576"),
    "flow-keys-up-to-the-byte-limit": (
        lambda: "{" + ",".join(f"{i:x}" for i in range(250_000))[: (1 << 20) - 2] + "}",
        "more than 100000 values",
    ),
    "block-keys-up-to-the-byte-limit": (
        lambda: "".join(f"{i:x}:\n" for i in range(250_000))[: 1 << 20],
        "more than 100000 values",
    ),
}


@pytest.mark.parametrize("source", ["text", "file"])
@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_bombs_are_rejected_fast(tmp_path: Path, bomb: str, source: str) -> None:
    make, message = BOMBS[bomb]
    text = make()
    if source == "file":
        path = tmp_path / "bomb.yaml"
        path.write_text(text, "utf-8")
        err, events, read = bounded_rejection(lambda: load_policy(path))
        assert str(path) in str(err)
    else:
        err, events, read = bounded_rejection(lambda: load_policy_text(text, source="bomb.yaml"))
        assert "bomb.yaml" in str(err)
    assert message in str(err)
    assert "raise Limits." in str(err)
    assert events <= MAX_EVENTS and read <= MAX_READ, (events, read)


def test_block_nesting_10k_deep_is_rejected_fast_even_within_the_byte_limit() -> None:
    text = "".join(" " * i + "a:\n" for i in range(10_000))  # 50 MB of indentation
    err, events, _ = bounded_rejection(lambda: load_policy_text(text, limits=Limits(max_bytes=64 << 20)))
    assert "<string>:65: nesting deeper than 64 levels" in str(err)
    assert events <= 200, events  # the first 65 levels, not the 10 000


def test_a_50_mb_file_is_rejected_fast_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as file:
        file.write(HEAD.encode())
        file.write(b"description: " + b"x" * (50 * 1024 * 1024) + b"\n")
    err, events, read = bounded_rejection(lambda: load_policy(path))
    assert f"{path}: the file is {path.stat().st_size} bytes, more than the limit of 1048576" in str(err)
    assert events == 0 and read <= MAX_READ, (events, read)  # refused by its size: at most the limit is read
    # The same file named by extends: (regression: it used to be read whole before its size was checked).
    child = tmp_path / "child.yaml"
    child.write_text("id: c\ntitle: C\nextends: big.yaml\n", "utf-8")
    err, events, read = bounded_rejection(lambda: load_policy(child))
    assert "big.yaml: the file is" in str(err) and "more than the limit" in str(err)
    assert read <= child.stat().st_size + MAX_READ, read


def test_the_bytes_read_are_counted(tmp_path: Path) -> None:
    """The counter behind the bounds above sees the policy reader's reads (else a bound of 0 would be vacuous)."""
    path = tmp_path / "policy.yaml"
    path.write_text(HEAD, "utf-8")
    with bytes_read() as read, parser_events() as events:
        load_policy(path)
    assert read[0] >= len(HEAD.encode()) and events[0] > 0


def test_a_50_mb_string_is_rejected_fast() -> None:
    err, events, _ = bounded_rejection(lambda: load_policy_text(HEAD + "# " + "x" * (50 * 1024 * 1024)))
    assert "more than the limit of 1048576" in str(err)
    assert events == 0


# --- (d) configurable limits -----------------------------------------------------------------------------------------


def test_max_bytes_lower_and_higher() -> None:
    size = len(BUILTIN_TEXT.encode())
    assert isinstance(load_policy_text(BUILTIN_TEXT, limits=Limits(max_bytes=size)), Policy)
    err = rejected(lambda: load_policy_text(BUILTIN_TEXT, limits=Limits(max_bytes=size - 1)))
    assert f"the file is {size} bytes, more than the limit of {size - 1}; raise Limits.max_bytes" in str(err)
    padded = BUILTIN_TEXT + "# " + "x" * (2 << 20) + "\n"
    assert "more than the limit of 1048576" in str(rejected(lambda: load_policy_text(padded)))
    assert isinstance(load_policy_text(padded, limits=Limits(max_bytes=4 << 20)), Policy)


def test_max_bytes_applies_to_files_and_to_the_files_they_extend(tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    base.write_text(BUILTIN_TEXT.replace("id: permenpanrb-6-2022", "id: base"), "utf-8")
    child = tmp_path / "child.yaml"
    child.write_text("id: child\ntitle: Child\nextends: base.yaml\n", "utf-8")
    size = base.stat().st_size
    assert load_policy(child, limits=Limits(max_bytes=size)).id == "child"
    err = rejected(lambda: load_policy(child, limits=Limits(max_bytes=size - 1)))
    assert f"base.yaml: the file is {size} bytes, more than the limit of {size - 1}" in str(err)


def _depth(node: yamltree.Node) -> int:
    """Nesting of mappings and sequences, as Limits.max_depth counts it."""
    if isinstance(node, yamltree.ScalarNode):
        return 0
    children = [v for _, v in node.items] if isinstance(node, yamltree.MapNode) else list(node.items)
    return 1 + max(map(_depth, children), default=0)


def _values(node: yamltree.Node) -> int:
    """Values read, keys included, as Limits.max_nodes counts them (there are no aliases in the built-in file)."""
    if isinstance(node, yamltree.ScalarNode):
        return 1
    if isinstance(node, yamltree.MapNode):
        return 1 + sum(1 + _values(v) for _, v in node.items)
    return 1 + sum(map(_values, node.items))


BUILTIN_TREE = yamltree.read_yaml(BUILTIN_TEXT) or yamltree.ScalarNode("", "null", "", 0)


def test_max_depth_lower_and_higher() -> None:
    depth = _depth(BUILTIN_TREE)  # 4 or so: hasil_kerja → suggestion → thresholds / reference
    assert isinstance(load_policy_text(BUILTIN_TEXT, limits=Limits(max_depth=depth)), Policy)
    err = rejected(lambda: load_policy_text(BUILTIN_TEXT, limits=Limits(max_depth=depth - 1)))
    assert f"nesting deeper than {depth - 1} levels; raise Limits.max_depth if genuine" in str(err)
    deep = HEAD + "description: " + "[" * 10_000 + "]" * 10_000 + "\n"
    assert "nesting deeper than 64" in str(rejected(lambda: load_policy_text(deep)))
    err = rejected(lambda: load_policy_text(deep, limits=Limits(max_depth=20_000)))
    assert [p.message for p in err.problems] == ["expected text, got a list"]


def test_max_nodes_lower_and_higher() -> None:
    nodes = _values(BUILTIN_TREE)
    assert isinstance(load_policy_text(BUILTIN_TEXT, limits=Limits(max_nodes=nodes)), Policy)
    err = rejected(lambda: load_policy_text(BUILTIN_TEXT, limits=Limits(max_nodes=nodes - 1)))
    assert f"more than {nodes - 1} values (aliases counted at each use); raise Limits.max_nodes" in str(err)
    laughs = _billion_laughs(levels=6)  # 1.2 million values
    assert "more than 100000 values" in str(rejected(lambda: load_policy_text(laughs)))
    err = rejected(lambda: load_policy_text(laughs, limits=Limits(max_nodes=2_000_000)))
    assert "unknown key 'a0'" in str(err) and "more than" not in str(err)


def test_limits_are_documented() -> None:
    assert yamltree.__doc__ is not None and "**Limits.**" in yamltree.__doc__
    for name, default in (("max_bytes", 1 << 20), ("max_depth", 64), ("max_nodes", 100_000)):
        assert getattr(Limits(), name) == default
        assert f"``{name}``" in yamltree.__doc__


# --- (e) regressions -------------------------------------------------------------------------------------------------


def test_many_keys_in_one_mapping_are_read_in_linear_time() -> None:
    """Duplicate keys were looked for by scanning the keys read so far: 30 000 keys took 19 s."""

    def text(n: int) -> str:
        return HEAD + "description: {" + ", ".join(f"k{i}: {i}" for i in range(n)) + "}\n"

    err = rejected(lambda: load_policy_text(text(45_000)))
    assert [p.message for p in err.problems] == ["expected text, got a mapping"]
    texts = {n: text(n) for n in (4_500, 45_000)}
    # Ten times the keys: about ten times the work when linear, a hundred times when quadratic.
    assert growth(lambda n: rejected(lambda: load_policy_text(texts[n])), 4_500, 45_000) < 30
    err = rejected(lambda: load_policy_text(HEAD + "description:\n  a: 1\n  b: 2\n  a: 3\n  a: 4\n"))
    assert [(p.line, p.field, p.message) for p in err.problems if "duplicate" in p.message] == [
        (7, "description.a", "duplicate key 'a' (first on line 5)"),
        (8, "description.a", "duplicate key 'a' (first on line 5)"),
    ]


@pytest.mark.parametrize(
    "value", ["1.0e+999999", "1.0e+99999999999999999999999", "1.0e-999999", "1" + "0" * 60, "9" * 5000]
)
def test_numbers_out_of_range_are_rejected(value: str) -> None:
    """A weight of 1.0e+999999 raised decimal.Overflow when the weights were summed."""
    err = rejected(lambda: load_policy_text(HEAD + f"perilaku_kerja: {{weights: {{atasan: {value}}}}}\n"))
    assert "out of range: a number in a policy has at most 50 significant digits" in str(err)


@attrs.frozen(kw_only=True)
class _Counts:
    n: int = doc("A whole number.")
    flag: bool = doc("A flag.", default=True)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("n: 010", "010 is ambiguous: YAML 1.1 reads a leading 0 as octal"),  # int("010", 0) raised ValueError
        ("n: 0x1F", "expected a whole number in decimal digits, got int 0x1F"),
        ("n: 1:30", "expected a whole number in decimal digits, got int 1:30"),
        ("n: !!int abc", "expected a whole number in decimal digits, got int abc"),
        ("n: " + "9" * 5000, "out of range"),  # int() of more than 4300 digits raised ValueError
        ("n: 1.5", "expected a whole number, got float 1.5"),
        ("n: '7'", "expected a whole number, got '7' (written as text: remove the quotes)"),
        ("n: 1\nflag: !!bool maybe", "expected true or false, got bool maybe"),  # read as false before
    ],
)
def test_whole_numbers_and_flags(text: str, message: str) -> None:
    tree = yamltree.read_yaml(text, source="counts.yaml")
    err = rejected(lambda: convert(tree, _Counts))
    assert message in str(err)
    assert convert(yamltree.read_yaml("n: 1000\nflag: off"), _Counts)[0] == _Counts(n=1000, flag=False)
    assert "without underscores" in str(rejected(lambda: convert(yamltree.read_yaml("n: 1_000"), _Counts)))


def test_two_spellings_of_one_enum_key_are_a_duplicate() -> None:
    """``{sesuai: baik, Sesuai Ekspektasi: kurang}`` silently kept the later value."""
    text = HEAD + "matrix: {sesuai: {di_bawah: kurang, sesuai: baik, di_atas: baik, Sesuai Ekspektasi: kurang}}\n"
    err = rejected(lambda: load_policy_text(text))
    assert "matrix.sesuai.Sesuai Ekspektasi: duplicate key: 'Sesuai Ekspektasi' means the same as 'sesuai'" in str(err)


@pytest.mark.parametrize("name", ["a" * 5000 + ".yaml", "x/" * 3000 + "p.yaml", "nul\x00.yaml"])
def test_impossible_paths_are_policy_errors(name: str) -> None:
    """An extends: name too long for the file system raised OSError (File name too long)."""
    err = rejected(lambda: load_policy_text(f"id: x\ntitle: X\nextends: {json.dumps(name)}\n"))
    assert "no such built-in policy or file" in str(err)
    assert "no such policy file" in str(rejected(lambda: load_policy(name)))


def test_unreadable_file_is_a_policy_error(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(HEAD, "utf-8")
    with mock.patch("asn_kinerja._files.os.open", side_effect=PermissionError(13, "Permission denied")):
        err = rejected(lambda: load_policy(path))
    assert f"{path}: cannot read the file: Permission denied" in str(err)


def test_text_with_a_lone_surrogate_is_a_policy_error() -> None:
    """load_policy_text('...\\ud800') raised UnicodeEncodeError while measuring the size."""
    err = rejected(lambda: load_policy_text(HEAD + "description: \ud800\n"))
    assert "<string>:4: not valid Unicode text (a lone surrogate U+D800" in str(err)
    for name in PARSERS:
        with parser(name):
            err = rejected(lambda: load_policy_text(HEAD + 'description: "\\udc00"\n'))
            assert "<string>:4:" in str(err)


def test_encoding_messages_name_the_line_and_the_remedy() -> None:
    err = rejected(lambda: yamltree.read_yaml(codecs.BOM_UTF16_LE + HEAD.encode("utf-16-le"), source="w.yaml"))
    assert str(err).endswith("w.yaml:1: UTF-16 text (it starts with a UTF-16 byte order mark): save it as UTF-8")
    err = rejected(lambda: yamltree.read_yaml(HEAD.encode() + b"description: caf\xe9\n", source="l.yaml"))
    assert "l.yaml:4: not UTF-8 text (invalid continuation byte at byte" in str(err)
    assert yamltree.read_yaml(codecs.BOM_UTF8 + b"a: 1\n").get("a").text == "1"  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["---\n", "~\n", "--- # nothing\n...\n"])
def test_a_document_with_nothing_but_a_separator_is_empty(text: str) -> None:
    assert "the policy file is empty" in str(rejected(lambda: load_policy_text(text)))


def test_deeply_nested_overlays_merge_without_recursion(tmp_path: Path) -> None:
    """With max_depth raised, merging two deep mappings exhausted Python's recursion limit (RecursionError)."""
    deep = "hasil_kerja: " + "{a: " * 3000 + "x" + "}" * 3000 + "\n"
    limits = Limits(max_depth=10_000)
    base, overlay = (yamltree.read_yaml(deep, limits=limits) for _ in range(2))
    assert isinstance(base, yamltree.MapNode) and isinstance(overlay, yamltree.MapNode)
    merged = loader.merge(base, overlay)
    assert merged.size == base.size  # the same 3000 levels, merged level by level
    # Loaded as files, the base is not a valid policy: that is said at the overlay's extends line, nothing echoed.
    (tmp_path / "base.yaml").write_text("id: b\ntitle: B\nextends: permenpanrb-6-2022\n" + deep, "utf-8")
    child = tmp_path / "child.yaml"
    child.write_text("id: c\ntitle: C\nextends: base.yaml\n" + deep, "utf-8")
    err = rejected(lambda: load_policy(child, limits=limits))
    assert "extends 'base.yaml': that file is not a valid policy" in str(err)


def test_merge_keeps_the_order_and_changes_neither_tree() -> None:
    texts = ("a: {x: 1, y: {p: 1, q: 2}}\nb: 2\ndescription: d\n", "c: 3\na: {y: {q: 9, r: 8}, z: 7}\n")
    base, overlay = (yamltree.read_yaml(t) for t in texts)
    assert isinstance(base, yamltree.MapNode) and isinstance(overlay, yamltree.MapNode)
    merged = loader.merge(base, overlay)
    assert merged.keys() == ["a", "b", "c"]
    a = merged.get("a")
    assert isinstance(a, yamltree.MapNode) and a.keys() == ["x", "y", "z"]
    y = a.get("y")
    assert isinstance(y, yamltree.MapNode)
    assert [(k, v.text) for k, v in y.items] == [("p", "1"), ("q", "9"), ("r", "8")]  # type: ignore[union-attr]
    assert merged.size == 1 + sum(v.size for _, v in merged.items)
    assert (base, overlay) == tuple(yamltree.read_yaml(t) for t in texts)
    policy = load_policy_text(HEAD + "hasil_kerja: {suggestion: {cap: 150}}\n")
    assert policy.hasil_kerja is not None and policy.hasil_kerja.suggestion.cap == Decimal(150)
