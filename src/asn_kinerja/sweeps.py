"""Sweeps: one policy parameter varied over a list of values, with the predikat distribution at each value.

Each value becomes an overlay built in memory as YAML text (``extends:`` naming the base policy's built-in id or
its file), so that every value is validated exactly as a policy team's overlay file would be; the base policy is
never changed. An invalid value gives a :class:`~asn_kinerja.PolicyError` naming the key and the value.

>>> import asn_kinerja
>>> data = asn_kinerja.load_dataset("examples/bungo/data")
>>> s = asn_kinerja.sweep("permenpanrb-6-2022", data, key="hasil_kerja.suggestion.thresholds.di_atas",
...                       values=[100, 110, 120])
>>> [(p.value, p.counts[asn_kinerja.Predikat.SANGAT_BAIK], p.up, p.down) for p in s.points]
[('100', 11, 2, 0), ('110', 9, 0, 0), ('120', 8, 0, 1)]

**Weights must sum to 1.** Sweeping one weight alone would break that, so ``rebalance`` names the sibling key that
absorbs the difference: with ``rebalance="atasan"``, sweeping ``perilaku_kerja.weights.rekan`` to 0.4 sets atasan
to whatever keeps the total of ``perilaku_kerja.weights`` as in the base policy (1). Alternatively sweep a whole
mapping, e.g. ``key="perilaku_kerja.weights"`` with values ``"{atasan: 0.6, rekan: 0.2, bawahan: 0.2}"``; as in any
overlay, a mapping is merged key by key, so name every key (0 for a group you leave out).

**Values** are YAML scalars or flow collections, one line each: numbers (``0.3``), words (``median``),
``true``/``false`` or ``{...}``/``[...]``; a Python ``Decimal``, ``int``, ``float`` or ``bool`` is written as YAML.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

import attrs
import numpy as np

from asn_kinerja.comparison import Comparison, _evaluation
from asn_kinerja.dataset import Dataset, load_dataset
from asn_kinerja.dataset.columns import parse_number
from asn_kinerja.engine.html import paragraph
from asn_kinerja.engine.render import PREDIKAT_SHORT, dataset_header, policy_header, predikat_legend
from asn_kinerja.engine.result import Evaluation
from asn_kinerja.engine.table import Column, RawJson, ResultTable, json_document
from asn_kinerja.errors import PolicyError, Problem, excerpt
from asn_kinerja.model import Predikat
from asn_kinerja.policy import Policy, builtin_ids, load_policy, load_policy_text
from asn_kinerja.yamlschema.tree import MapNode, read_yaml

__all__ = ["MAX_POINTS", "Sweep", "SweepPoint", "points_table", "sweep", "values_between"]

#: The most values one sweep evaluates (each is a whole evaluation of the dataset).
MAX_POINTS = 1000
_SEGMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def values_between(start: Decimal | int | str, stop: Decimal | int | str, step: Decimal | int | str) -> list[Decimal]:
    """``start``, ``start + step``, … up to and including ``stop`` when a step lands on it; exact decimals.

    >>> [str(v) for v in values_between("0", "0.5", "0.1")]
    ['0.0', '0.1', '0.2', '0.3', '0.4', '0.5']
    >>> values_between(1, 0, 1)
    Traceback (most recent call last):
    ...
    asn_kinerja.errors.PolicyError: 1 problem in the policy:
      range: the range needs start ≤ stop and a step above 0, got 1:0:1
    """
    parsed = {name: parse_number(x) for name, x in (("start", start), ("stop", stop), ("step", step))}
    bad = [Problem(f"{name}: {got}", field="range") for name, got in parsed.items() if isinstance(got, str)]
    if bad:
        raise PolicyError(bad)
    a, b, d = (Decimal(str(x).strip()) for x in (start, stop, step))
    if d <= 0 or a > b:
        raise PolicyError(
            [Problem(f"the range needs start ≤ stop and a step above 0, got {start}:{stop}:{step}", field="range")]
        )
    count = int((b - a) / d) + 1
    if count > MAX_POINTS:
        raise PolicyError([Problem(f"the range has {count} values, more than {MAX_POINTS}", field="range")])
    return [a + i * d for i in range(count)]


def _text(value: object) -> str:
    """A value as YAML text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            raise ValueError(f"{value!r} is not a finite number")
        return format(number, "f")
    return str(value)


@attrs.frozen
class SweepPoint:
    """The outcome at one value: the overlay policy, the predikat counts, how many moved up and down against the
    base policy, and how many units meet or violate their distribution guidance. ``rebalanced`` is the value
    given to the rebalancing key, if any."""

    value: str
    policy: Policy
    counts: Mapping[Predikat, int]
    up: int
    down: int
    units_ok: int
    units_violated: int
    rebalanced: Decimal | None = None

    def to_dict(self) -> dict[str, Any]:
        """The point as a row of :func:`points_table` gives it (JSON-ready)."""
        record: dict[str, Any] = points_table((self,)).records()[0]
        return record


def points_table(points: Sequence[SweepPoint], *, base: SweepPoint | None = None) -> ResultTable:
    """Sweep points as a result table, one row each (after ``base``, whose moves are none): the value, the value
    given to the rebalancing key, the counts per predikat (by identifier), the moves against the base policy and
    the units meeting and violating their guidance."""
    rows = [*([] if base is None else [base]), *points]
    moves = [p is not base for p in rows]
    return ResultTable(
        (
            Column.text("value", [p.value for p in rows]),
            Column.text("rebalanced", [p.rebalanced for p in rows]),
            *(Column.integer(q.value, [p.counts[q] for p in rows]) for q in Predikat),
            Column.integer("moved_up", [p.up if m else None for p, m in zip(rows, moves, strict=True)]),
            Column.integer("moved_down", [p.down if m else None for p, m in zip(rows, moves, strict=True)]),
            Column.integer("units_ok", [p.units_ok for p in rows]),
            Column.integer("units_violated", [p.units_violated for p in rows]),
        )
    )


@attrs.frozen(eq=False)
class Sweep:
    """A sweep of ``key`` over values: ``base`` is the base policy's evaluation, ``points`` one
    :class:`SweepPoint` per value, in the order given."""

    base: Evaluation
    key: str
    rebalance: str | None
    points: tuple[SweepPoint, ...]

    def __len__(self) -> int:
        return len(self.points)

    def __repr__(self) -> str:
        values = ", ".join(p.value for p in self.points[:6]) + (", …" if len(self.points) > 6 else "")
        return f"<Sweep of {self.key} over {self.base.policy.id}: {len(self.points)} values ({values})>"

    @property
    def rebalance_key(self) -> str | None:
        """The full key path that absorbs the difference, if any."""
        return None if self.rebalance is None else f"{self.key.rsplit('.', 1)[0]}.{self.rebalance}"

    def base_value(self) -> str | None:
        """The swept key's value in the base policy, as text (``None`` if the base does not set it)."""
        found = _lookup(self.base.policy, self.key)
        return None if found is None else _text(found) if isinstance(found, int | float | Decimal | bool) else None

    def evaluation(self, i: int) -> Evaluation:
        """The full evaluation at the ``i``-th value (evaluated again: a sweep keeps only the counts)."""
        return _evaluation(self.points[i].policy, self.base.dataset)

    def compare(self, i: int) -> Comparison:
        """The comparison of the base policy (A) with the policy at the ``i``-th value (B)."""
        return Comparison.of(self.base, self.evaluation(i))

    # --- result tables and renderings --------------------------------------------------------------------
    def _base_point(self) -> SweepPoint:
        """The base policy as the first row of the table (``value`` "base (…)", no moves)."""
        units = self.base.units()
        return SweepPoint(
            value=f"base ({self.base_value() or '—'})",
            policy=self.base.policy,
            counts=self.base.counts(),
            up=0,
            down=0,
            units_ok=sum(u.ok is True for u in units),
            units_violated=sum(u.ok is False for u in units),
        )

    def table(self) -> ResultTable:
        """The base row, then one row per value: see :func:`points_table`."""
        return points_table(self.points, base=self._base_point())

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready sweep (the data of :meth:`to_json`)."""
        data: dict[str, Any] = json.loads(self.to_json(indent=None))
        return data

    def to_json(self, *, indent: int | None = 2) -> str:
        """The sweep as JSON text: base policy, dataset, key, the base's value and counts (by predikat
        identifier), then the rows of :func:`points_table`, one per value."""
        base = self._base_point()
        return json_document(
            {
                "policy": policy_header(self.base.policy),
                "dataset": dataset_header(self.base.dataset),
                "key": self.key,
                "rebalance": self.rebalance_key,
                "base": {
                    "value": self.base_value(),
                    "predikat": {p.value: c for p, c in base.counts.items()},
                    "units_ok": base.units_ok,
                    "units_violated": base.units_violated,
                },
                "points": RawJson(points_table(self.points).to_json(indent=indent, level=1)),
            },
            indent=indent,
        )

    def _heads(self, names: Mapping[Predikat, str]) -> dict[str, str]:
        """The columns people read (``rebalanced`` only where a key absorbs the difference), with their heads."""
        heads = {"value": self.key.rsplit(".", 1)[-1]}
        if self.rebalance is not None:
            heads["rebalanced"] = self.rebalance
        heads |= {p.value: names[p] for p in Predikat}
        return heads | {"moved_up": "up", "moved_down": "down", "units_ok": "units ok", "units_violated": "violated"}

    def rows(self) -> list[dict[str, Any]]:
        """One dict per row of :meth:`table`: the base first (``value`` "base …"), then each value."""
        return self.table().records()

    def to_csv(self) -> str:
        """CSV text of :meth:`table`: the base row, then one row per value."""
        return self.table().to_csv()

    def write_csv(self, file: TextIO) -> None:
        """Write :meth:`to_csv`'s text to an open text file, piece by piece.

        >>> import io, asn_kinerja
        >>> data = asn_kinerja.load_dataset("examples/bungo/data")
        >>> s = asn_kinerja.sweep("permenpanrb-6-2022", data, key="distribution.count_leader", values=[False])
        >>> file = io.StringIO()
        >>> s.write_csv(file)
        >>> file.getvalue() == s.to_csv()
        True
        """
        self.table().write_csv(file)

    def _title(self) -> str:
        ds = self.base.dataset
        extra = "" if self.rebalance_key is None else f" ({self.rebalance_key} absorbs the difference)"
        return f"{ds.agency} — periode {ds.period.id} — sweep of {self.key} over {self.base.policy.id}{extra}"

    def to_table(self) -> str:
        """A plain-text table: the predikat counts at each value, moves against the base, unit verdicts."""
        heads = self._heads(PREDIKAT_SHORT)
        return self.table().to_text(
            heads,
            title=self._title(),
            right=[c for c in heads if c not in ("value", "rebalanced")],
            footer=[
                f"({predikat_legend()})",
                "up/down: employees moved against the base policy; units ok/violated: the distribution guidance of "
                "SE MenPANRB 3/2023 (reported, never applied)",
            ],
        )

    def _repr_html_(self) -> str:
        heads = self._heads({p: p.label for p in Predikat})
        table = self.table().to_html(heads, caption=self._title(), right=list(heads)[1:])
        note = paragraph(
            "up/down: employees moved against the base policy; units: distribution guidance met or violated "
            "(reported, never applied)"
        )
        return f"<div>\n{table}\n{note}\n</div>"

    def to_frame(self) -> Any:
        """A ``pandas.DataFrame`` of :func:`points_table`, one row per value (the ``pandas`` extra)."""
        return points_table(self.points).to_frame()


def _lookup(policy: Policy, key: str) -> Any:
    """The value at ``key`` in a policy object (mapping keys matched by their YAML name), or ``None``."""
    obj: Any = policy
    for seg in key.split("."):
        if isinstance(obj, Mapping):
            obj = next((v for k, v in obj.items() if getattr(k, "value", k) == seg), None)
        elif attrs.has(type(obj)) and seg in attrs.fields_dict(type(obj)):
            obj = getattr(obj, seg)
        else:
            return None
        if obj is None:
            return None
    return obj


def _base(policy: Policy | str | Path) -> tuple[Policy, str]:
    """The base policy and how an overlay names it in ``extends:`` (a built-in id or an absolute path)."""
    if isinstance(policy, Policy):
        if policy.source == f"{policy.id}.yaml (built-in)" and policy.id in builtin_ids():
            return policy, policy.id
        path = Path(policy.source)
        if path.is_file():
            return policy, str(path.resolve())
        raise PolicyError(
            [
                Problem(
                    "a sweep builds overlays that extend the base policy: give a built-in id or a policy file "
                    f"(this policy was read from {policy.source})",
                    source=policy.source,
                )
            ]
        )
    loaded = load_policy(policy)
    if isinstance(policy, str) and policy in builtin_ids():
        return loaded, policy
    return loaded, str(Path(policy).resolve())


def _nested(key: str, entries: Sequence[tuple[str, str]]) -> list[str]:
    """YAML lines setting each (last segment, text) under the parent path of ``key``."""
    parts = key.split(".")
    lines = [f"{'  ' * depth}{seg}:" for depth, seg in enumerate(parts[:-1])]
    indent = "  " * (len(parts) - 1)
    return lines + [f"{indent}{leaf}: {text}" for leaf, text in entries]


def sweep(
    policy: Policy | str | Path,
    dataset: Dataset | str | Path,
    *,
    key: str,
    values: Iterable[object],
    rebalance: str | None = None,
) -> Sweep:
    """Evaluate ``dataset`` under ``policy`` with ``key`` (a dotted key path of the policy YAML) set to each of
    ``values`` in turn; see the module for the values and for ``rebalance``.

    ``policy`` is a built-in id, a YAML file, or a policy loaded from one of those (a sweep's overlays extend it
    by name). Every invalid value is reported, in one :class:`~asn_kinerja.PolicyError` naming the key.
    """
    if not all(_SEGMENT.fullmatch(seg) for seg in key.split(".")):
        raise PolicyError([Problem(f"not a key path (names joined by dots): {key!r}", field="key")])
    if rebalance is not None and not _SEGMENT.fullmatch(rebalance):
        raise PolicyError([Problem(f"not a key name: {rebalance!r}", field="rebalance")])
    base_policy, extends = _base(policy)
    data = dataset if isinstance(dataset, Dataset) else load_dataset(dataset)
    problems: list[Problem] = []
    texts = _value_texts(key, values, problems)
    overlays = _Overlays(base_policy, extends, key, rebalance)
    base = _evaluation(base_policy, data)
    policies = [made for made in (overlays.policy(text, problems) for text in texts) if made is not None]
    if problems:
        raise PolicyError(problems)
    points = tuple(_point(base, text, made, rebalanced) for text, made, rebalanced in policies)
    return Sweep(base=base, key=key, rebalance=rebalance, points=points)


def _value_texts(key: str, values: Iterable[object], problems: list[Problem]) -> list[str]:
    """The values as one-line YAML texts, each problem added to ``problems``; raises when no value is left."""
    texts = []
    for value in values:
        try:
            text = _text(value)
        except ValueError as exc:
            problems.append(Problem(str(exc), field=key))
            continue
        if "\n" in text or "\r" in text or not text.strip():
            problems.append(Problem(f"a value is one line of YAML, got {text!r}", field=key))
            continue
        try:
            tree = read_yaml(f"v: {text}\n", source=f"value of {key}")
        except PolicyError:
            tree = None
        if not isinstance(tree, MapNode) or tree.keys() != ["v"]:
            problems.append(Problem(f"{text!r} is not one YAML value", field=key))
            continue
        texts.append(text)
    if len(texts) > MAX_POINTS:
        problems.append(Problem(f"{len(texts)} values, more than {MAX_POINTS}", field=key))
    if not texts and not problems:
        problems.append(Problem("no values to sweep", field=key))
    if not texts:
        raise PolicyError(problems)
    return texts


class _Overlays:
    """Builds the overlay policy of each value: the swept key set, and the rebalancing key given what keeps the
    mapping's total as in the base policy."""

    def __init__(self, base: Policy, extends: str, key: str, rebalance: str | None) -> None:
        self.base, self.extends, self.key, self.rebalance = base, extends, key, rebalance
        self.parent = key.rsplit(".", 1)[0] if "." in key else ""
        self.leaf = key.rsplit(".", 1)[-1]
        self.siblings: dict[str, Decimal] = {}
        if rebalance is not None:
            found = _lookup(base, self.parent) if self.parent else None
            if not isinstance(found, Mapping) or not all(isinstance(v, Decimal) for v in found.values()):
                raise PolicyError(
                    [Problem(f"rebalance needs {key!r} to be a number in a mapping of numbers", field=key)]
                )
            if rebalance == self.leaf:
                raise PolicyError([Problem("the rebalancing key must differ from the swept key", field="rebalance")])
            self.siblings = {str(getattr(k, "value", k)): v for k, v in found.items()}
        self.total = sum(self.siblings.values(), Decimal(0))

    def _rebalanced(self, text: str, problems: list[Problem]) -> Decimal | None:
        """The rebalancing key's value at ``text`` (``None`` with a problem added where there is none)."""
        key, rebalance = self.key, self.rebalance
        if isinstance(parse_number(text), str):
            problems.append(Problem(f"{key} = {excerpt(text)}: rebalancing needs a number", field=key))
            return None
        rest = sum((v for k, v in self.siblings.items() if k not in (self.leaf, rebalance)), Decimal(0))
        rebalanced = self.total - rest - Decimal(text.strip())
        if rebalanced < 0:
            where = f"{self.parent}.{rebalance}"
            problems.append(Problem(f"{key} = {text}: {where} would be {rebalanced}, below 0", field=where))
            return None
        return rebalanced

    def policy(self, text: str, problems: list[Problem]) -> tuple[str, Policy, Decimal | None] | None:
        """The overlay policy at ``text`` with the rebalanced value, or ``None`` with the problems added."""
        key, base = self.key, self.base
        entries = [(self.leaf, text)]
        rebalanced = None
        if self.rebalance is not None:
            rebalanced = self._rebalanced(text, problems)
            if rebalanced is None:
                return None
            entries.append((self.rebalance, format(rebalanced, "f")))
        overlay = "\n".join(
            [
                f"id: {json.dumps(f'{base.id}@{key}={text}')}",
                f"title: {json.dumps(f'{base.title} — {key} = {text}')}",
                f"extends: {json.dumps(self.extends)}",
                *_nested(key, entries),
                "",
            ]
        )
        try:
            made = load_policy_text(overlay, source=f"<sweep {key} = {text}>", on=base.effective_on)
        except PolicyError as exc:
            problems += [Problem(f"{key} = {text}: the overlay is not a valid policy", field=key), *exc.problems]
            return None
        return text, made, rebalanced


def _point(base: Evaluation, text: str, made: Policy, rebalanced: Decimal | None) -> SweepPoint:
    """The outcome under the overlay policy ``made``, against the base evaluation."""
    result = _evaluation(made, base.dataset)
    both = (base.predikat >= 0) & (result.predikat >= 0)
    units = result.units()
    return SweepPoint(
        value=text,
        policy=made,
        counts=result.counts(),
        up=int(np.count_nonzero(both & (result.predikat < base.predikat))),
        down=int(np.count_nonzero(both & (result.predikat > base.predikat))),
        units_ok=sum(u.ok is True for u in units),
        units_violated=sum(u.ok is False for u in units),
        rebalanced=rebalanced,
    )
