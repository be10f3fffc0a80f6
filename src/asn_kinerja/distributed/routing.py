"""Routing: which unit each row is stored under (its own column, or its owner's looked up in a Dask join), what
each partition holds, and the employees a piece's rows refer to that another piece holds (its guests)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from asn_kinerja.distributed.keys import OWNER, PERIOD, as_text, has, isin, require
from asn_kinerja.model import RaterGroup

__all__ = ["find_guests", "normalised_ids", "owner_routes", "partition_summary"]

_SEP = "\x1f"
_EXTERNAL = RaterGroup.PENGGUNA_LAYANAN


def normalised_ids(frame: Any, columns: Sequence[str]) -> Any:
    """The period and the given id columns as stripped text (a partition, for the planning queries)."""
    pd = require("pandas")
    out = {"_period": as_text(frame[PERIOD])}
    for col in columns:
        out[col] = as_text(frame[col]) if has(frame, col) else pd.Series(pd.NA, index=frame.index, dtype="string")
    return pd.DataFrame(out, index=frame.index)


def owner_routes(given: dict[str, Any], route: str) -> dict[str, str]:
    """The routing column of each table; a child table without one gets its owner's unit by a Dask join."""
    routes: dict[str, str] = {}
    for name in given:
        if name == "units":
            routes[name] = "unit_id"
        elif has(given[name], route):
            routes[name] = route
        elif name in ("employees", "surveys"):
            routes[name] = "unit_id"
    employees = given["employees"]
    emp_route = routes["employees"]
    directory = employees[[PERIOD, "employee_id", emp_route]].map_partitions(
        _directory_keys, emp_route, meta={"_period": "string", "_owner": "string", "_route": "string"}
    )
    for name in ("rhk", "ratings", "evaluations", "adjustments", "indicators"):
        if name not in given or name in routes:
            continue
        owner = OWNER[name][0]
        frame = given[name].map_partitions(_with_keys, owner)
        if name == "indicators":
            rhk = given["rhk"]
            keys = rhk[[PERIOD, "rhk_id", routes["rhk"]]].map_partitions(
                _directory_keys,
                routes["rhk"],
                "rhk_id",
                meta={"_period": "string", "_owner": "string", "_route": "string"},
            )
        else:
            keys = directory
        merged = frame.merge(keys, how="left", on=["_period", "_owner"]).drop(columns=["_period", "_owner"])
        given[name] = merged.rename(columns={"_route": f"_{route}"})
        routes[name] = f"_{route}"
    return routes


def _directory_keys(frame: Any, route: str, key: str = "employee_id") -> Any:
    pd = require("pandas")
    return pd.DataFrame(
        {"_period": as_text(frame[PERIOD]), "_owner": as_text(frame[key]), "_route": as_text(frame[route])}
    ).dropna(subset=["_owner"])


def _with_keys(frame: Any, owner: str) -> Any:
    out = frame.copy()
    out["_period"] = as_text(frame[PERIOD])
    out["_owner"] = as_text(frame[owner])
    return out


def partition_summary(part: Any, name: str, route: str) -> dict[str, Any]:
    """What planning needs of one partition: its (period, route) keys, rows without a route, and the employees
    its rows refer to that may be outside its piece (superiors, raters)."""
    pd = require("pandas")
    period = as_text(part[PERIOD])
    where = as_text(part[route])
    keys = pd.DataFrame({"_period": period, "_route": where})
    missing = (keys["_route"].isna() | keys["_period"].isna()).to_numpy()
    pairs = _distinct(keys[~missing])
    out: dict[str, Any] = {"keys": pairs, "missing": int(missing.sum()), "examples": []}
    if missing.any():
        owner = OWNER[name][0]
        shown = as_text(part[owner])[missing] if has(part, owner) else keys["_route"][missing]
        out["examples"] = [None if x is pd.NA else str(x) for x in shown.iloc[:3]]
    if name == "employees":
        unit = as_text(part["unit_id"]) if has(part, "unit_id") else pd.Series(pd.NA, index=part.index, dtype="string")
        sizes = _distinct(pd.DataFrame({"_period": period, "_unit": unit}).dropna(), counts=True)
        out["counts"] = {(str(p), str(u)): int(n) for p, u, n in sizes.itertuples(index=False)}
        stored = _distinct(pd.DataFrame({"_period": period, "_route": where, "_unit": unit}).dropna())
        stored = stored[stored["_route"] != stored["_unit"]]
        out["links"] = [(str(p), str(r), str(u)) for p, r, u in stored.itertuples(index=False)]
    refs = []
    if name == "employees" and has(part, "superior_id"):
        refs.append(_outside(keys, len(pairs), as_text(part["employee_id"]), as_text(part["superior_id"])))
    if name == "ratings" and has(part, "rater_id"):
        rater = as_text(part["rater_id"])
        if has(part, "group"):
            group = as_text(part["group"])
            names = group.dropna().unique()
            external = {g for g in names if _is_external(str(g))}
            if external:
                rater = rater.mask(group.isin(list(external)))
        ratee = as_text(part["ratee_id"]) if has(part, "ratee_id") else pd.Series(pd.NA, index=part.index)
        refs.append(_outside(keys, len(pairs), ratee, rater))
    if refs:
        out["refs"] = _distinct(pd.concat(refs, ignore_index=True))
    return out


def _is_external(group: str) -> bool:
    try:
        return RaterGroup.parse(group) is _EXTERNAL
    except ValueError:
        return False


def _distinct(frame: Any, *, counts: bool = False) -> Any:
    """The distinct rows of a frame of text columns without empty cells (with ``counts``: and how many of each, in
    a column ``n``): the columns' codes combined into one integer key, so one sort of integers."""
    pd = require("pandas")
    if not len(frame):
        out = frame.iloc[:0].reset_index(drop=True)
        return out.assign(n=np.zeros(0, dtype=np.int64)) if counts else out
    key = np.zeros(len(frame), dtype=np.int64)
    for col in frame.columns:
        codes, uniques = pd.factorize(frame[col])
        key = key * (len(uniques) + 1) + codes
    _, first, number = np.unique(key, return_index=True, return_counts=True)
    order = np.argsort(first)
    out = frame.iloc[first[order]].reset_index(drop=True)
    return out.assign(n=number[order]) if counts else out


def _outside(keys: Any, pairs: int, own: Any, ref: Any) -> Any:
    """(period, route, ref) for references not among ``own`` ids under the same (period, route) in this
    partition: those may be in another piece (the rest are in this one whatever the plan)."""
    pd = require("pandas")
    if pairs <= 1:  # the usual partition: one period and one unit folder
        keep = ref.notna().to_numpy(dtype=bool, na_value=False) & ~isin(ref, own)
    else:
        base = keys["_period"].fillna("") + _SEP + keys["_route"].fillna("") + _SEP
        keep = ref.notna().to_numpy(dtype=bool, na_value=False) & ~isin(base + ref, (base + own).dropna())
    return pd.DataFrame({"_period": keys["_period"][keep], "_route": keys["_route"][keep], "ref": ref[keep]})


def _lookup(frame: Any, wanted: Mapping[str, frozenset[str]]) -> Any:
    """The rows of a partition of employees whose id is wanted in their period (stripped text)."""
    pd = require("pandas")
    period = as_text(frame[PERIOD])
    ident = as_text(frame["employee_id"])
    keep = pd.Series(False, index=frame.index)
    for pid, ids in wanted.items():
        keep |= (period == pid).fillna(False).to_numpy(dtype=bool) & isin(ident, ids)
    rows = frame[keep]
    out = pd.DataFrame(
        {
            "_period": period[keep],
            "employee_id": ident[keep],
            "name": as_text(rows["name"]) if has(rows, "name") else pd.NA,
            "unit_id": as_text(rows["unit_id"]) if has(rows, "unit_id") else pd.NA,
            "superior_id": as_text(rows["superior_id"]) if has(rows, "superior_id") else pd.NA,
        }
    )
    return out.astype("string")


def find_guests(
    given: Mapping[str, Any], ref_frames: list[Any], unit_piece: Mapping[tuple[str, str], int], pd: Any, dask: Any
) -> dict[int, Any]:
    """Per piece: the employees its rows refer to that another piece holds (one small lookup in ``employees``)."""
    columns = ["employee_id", "name", "unit_id", "superior_id"]
    if not ref_frames:
        return {}
    refs = pd.concat(ref_frames, ignore_index=True).drop_duplicates()
    if not len(refs):
        return {}
    refs["_piece"] = [
        unit_piece.get((str(p), str(r)), -1) for p, r in zip(refs["_period"], refs["_route"], strict=True)
    ]
    refs = refs[["_period", "_piece", "ref"]].drop_duplicates()
    wanted = {str(pid): frozenset(str(x) for x in rows["ref"]) for pid, rows in refs.groupby("_period")}
    employees = given["employees"]
    cols = [c for c in (PERIOD, *columns) if has(employees, c)]
    meta = {"_period": "string", **dict.fromkeys(columns, "string")}
    found = employees[cols].map_partitions(_lookup, dask.delayed(wanted), meta=meta).compute()
    found = found.drop_duplicates(subset=["_period", "employee_id"])
    found["_home"] = [
        unit_piece.get((str(p), str(u)), -1) for p, u in zip(found["_period"], found["unit_id"], strict=True)
    ]
    joined = refs.merge(found, left_on=["_period", "ref"], right_on=["_period", "employee_id"], how="inner")
    joined = joined[joined["_home"] != joined["_piece"]]
    return {int(k): rows[columns].reset_index(drop=True) for k, rows in joined.groupby("_piece")}
