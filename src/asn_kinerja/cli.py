"""The ``asn-kinerja`` command line.

Exit status: 0 on success, 2 on bad input (a policy or data problem, printed on stderr without a traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from asn_kinerja import __version__
from asn_kinerja.dataset import load_dataset
from asn_kinerja.engine import evaluate
from asn_kinerja.errors import AsnKinerjaError, DataError, Problem
from asn_kinerja.policy import builtin_ids, builtin_policies, load_policy, policy_in_force
from asn_kinerja.policy.model import Policy

__all__ = ["main"]


def _write(text: str, output: str | None) -> None:
    """Write to stdout, or to ``output`` atomically (a temporary file renamed into place)."""
    if output is None:
        sys.stdout.write(text)
        return
    target = Path(output)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent if str(target.parent) else ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _policy_for(arg: str | None, dataset_start: object) -> Policy:
    if arg is not None:
        return load_policy(arg)
    import datetime as dt

    assert isinstance(dataset_start, dt.date)
    return policy_in_force(dataset_start)


def _cmd_evaluate(args: argparse.Namespace) -> int:
    dataset = load_dataset(args.data)
    policy = _policy_for(args.policy, dataset.period.start)
    result = evaluate(policy, dataset)
    if args.format == "json":
        text = result.to_json()
    elif args.format == "csv":
        text = result.to_csv()
    else:
        text = result.to_table()
    _write(text, args.output)
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    path = Path(args.target)
    if path.is_dir() or path.name == "dataset.yaml":
        dataset = load_dataset(path)
        print(f"ok: {dataset!r}")
    else:
        policy = load_policy(args.target)
        print(f"ok: policy {policy.id!r} ({policy.regime}), valid from {policy.valid_from.isoformat()}")
    return 0


def _cmd_policies(args: argparse.Namespace) -> int:
    del args
    for policy in builtin_policies():
        until = policy.valid_until.isoformat() if policy.valid_until else "now"
        print(f"{policy.id}\t{policy.valid_from.isoformat()} – {until}\t{policy.reference}")
    return 0


def _cmd_ikm(args: argparse.Namespace) -> int:
    from asn_kinerja.rules import skm_2017

    survey = skm_2017.read_survey_csv(args.survey)
    result = skm_2017.ikm_from_responses(survey, missing=args.missing, population=args.population)
    _write(skm_2017.format_table(result) + "\n", args.output)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="asn-kinerja",
        description="Evaluate the performance of ASN (PermenPANRB 6/2022 and earlier regimes) under YAML policies.",
    )
    parser.add_argument("--version", action="version", version=f"asn-kinerja {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    ev = sub.add_parser("evaluate", help="evaluate a dataset folder and print the results")
    ev.add_argument("data", help="a dataset folder (with dataset.yaml)")
    ev.add_argument(
        "--policy",
        help=f"a built-in id ({', '.join(builtin_ids())}) or a YAML file; default: the "
        "built-in policy in force at the start of the dataset's period",
    )
    ev.add_argument("--format", choices=["table", "json", "csv"], default="table")
    ev.add_argument("--output", help="write to this file (atomically) instead of standard output")
    ev.set_defaults(func=_cmd_evaluate)

    va = sub.add_parser("validate", help="check a policy file or a dataset folder and report every problem")
    va.add_argument("target", help="a policy YAML file, a built-in id, or a dataset folder")
    va.set_defaults(func=_cmd_validate)

    po = sub.add_parser("policies", help="list the built-in policies with their validity and legal reference")
    po.set_defaults(func=_cmd_policies)

    ik = sub.add_parser("ikm", help="citizen satisfaction index (PermenPANRB 14/2017) of a survey CSV file")
    ik.add_argument("survey", help="CSV with a header: optional respondent id, then u1 … u9 (answers 1–4)")
    ik.add_argument(
        "--missing",
        choices=["error", "skip"],
        default="error",
        help="an empty answer is an error (default) or skipped for its unsur",
    )
    ik.add_argument("--population", type=int, help="people served, to check the sample size (Krejcie & Morgan)")
    ik.add_argument("--output", help="write to this file instead of standard output")
    ik.set_defaults(func=_cmd_ikm)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        status: int = args.func(args)
    except AsnKinerjaError as exc:
        print(f"asn-kinerja: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(
            f"asn-kinerja: {DataError([Problem(exc.strerror or str(exc), source=exc.filename)])}",
            file=sys.stderr,
        )
        return 2
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
