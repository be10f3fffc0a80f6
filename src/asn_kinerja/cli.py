"""The ``asn-kinerja`` command line.

Exit status: 0 on success, 2 on bad input (a policy or data problem, printed on stderr without a traceback).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, Protocol, TextIO, TypeAlias

from asn_kinerja import __version__
from asn_kinerja._argtypes import count_arg, decimal_arg, output_arg, period_arg, plot_arg, range_arg, size_arg
from asn_kinerja._files import write_stream, write_text
from asn_kinerja._pages import prefer_small_pages, reuse_freed_memory
from asn_kinerja.dataset import load_dataset
from asn_kinerja.dataset.limits import DatasetLimits
from asn_kinerja.engine import evaluate
from asn_kinerja.engine.organisation import unit_table
from asn_kinerja.engine.result import Evaluation
from asn_kinerja.engine.table import ResultTable
from asn_kinerja.errors import AsnKinerjaError, DataError, PolicyError, Problem
from asn_kinerja.policy import builtin_ids, builtin_policies, load_policy, policy_in_force
from asn_kinerja.policy.model import Policy

__all__ = ["main"]


def _write(text: str, output: str | None) -> None:
    """Write to stdout, or to ``output`` (:func:`asn_kinerja._files.write_text`: atomically to a regular file or
    a new path, through a symlink to its target, directly to a character device or a FIFO)."""
    if output is None:
        sys.stdout.write(text)
        return
    write_text(output, text)


class _Rendered(Protocol):
    """A result the command line writes as JSON, CSV or a table (an evaluation, a comparison, a sweep)."""

    def to_json(self) -> str: ...
    def to_csv(self) -> str: ...
    def write_csv(self, file: TextIO) -> None: ...
    def to_table(self) -> str: ...


def _write_result(result: _Rendered, fmt: str, output: str | None) -> None:
    """Write ``result`` as ``fmt`` to stdout or to ``output`` (as :func:`_write`); CSV to a file is written while it is
    made (:func:`asn_kinerja._files.write_stream`), never held whole."""
    if fmt == "csv" and output is not None:
        write_stream(output, result.write_csv)
        return
    _write({"json": result.to_json, "csv": result.to_csv, "table": result.to_table}[fmt](), output)


def _write_parquet(table: ResultTable, output: str | None) -> None:
    """A result table as a Parquet file, written to ``output`` as every output is (a file is needed: it is binary)."""
    if output is None:
        raise DataError([Problem("--format parquet writes a file: give --output", field="--output")])
    table.write_parquet(output)


def _policy_for(arg: str | None, dataset_start: object) -> Policy:
    if arg is not None:
        return load_policy(arg)
    import datetime as dt

    assert isinstance(dataset_start, dt.date)
    return policy_in_force(dataset_start)


def _limits(args: argparse.Namespace) -> DatasetLimits:
    """The dataset's limits, with ``--max-table-size`` where it is given."""
    if args.max_table_size is None:
        return DatasetLimits()
    return DatasetLimits(max_table_bytes=args.max_table_size)


def _cmd_evaluate_periods(args: argparse.Namespace) -> int:
    from asn_kinerja.dataset.periods import load_periods
    from asn_kinerja.engine.periods import evaluate_periods

    if args.by_unit or args.format in ("csv", "parquet"):
        raise DataError(
            [Problem("a folder of periods is reported as a table or JSON, without --by-unit", source=str(args.data))]
        )
    datasets = load_periods(args.data, limits=_limits(args))
    policy = load_policy(args.policy) if args.policy is not None else None
    series = evaluate_periods(policy, datasets)
    shown = policy if policy is not None else series.evaluations[-1].policy
    text = series.to_json(shown) if args.format == "json" else series.to_table(shown)
    _write(text, args.output)
    return 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from asn_kinerja.dataset.periods import is_period_folder

    if is_period_folder(args.data):
        return _cmd_evaluate_periods(args)
    dataset = load_dataset(args.data, limits=_limits(args))
    policy = _policy_for(args.policy, dataset.period.start)
    result = evaluate(policy, dataset)
    if args.by_unit:
        if not isinstance(result, Evaluation):
            raise PolicyError(
                [Problem(f"--by-unit reports the {policy.id} regime's units only under permenpanrb-6-2022")]
            )
        if args.format == "parquet":
            _write_parquet(unit_table(result.units()), args.output)
            return 0
        units = {"json": result.units_to_json, "csv": result.units_to_csv, "table": result.units_to_table}
        _write(units[args.format](), args.output)
    elif args.format == "parquet":
        _write_parquet(result.table(), args.output)
    elif args.format == "json" and isinstance(result, Evaluation) and args.output is not None:
        write_stream(args.output, result.write_json)
    else:
        _write_result(result, args.format, args.output)
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    path = Path(args.target)
    if path.is_dir() or path.name == "dataset.yaml":
        dataset = load_dataset(path, limits=_limits(args))
        policy = _policy_for(args.policy, dataset.period.start)
        evaluate(policy, dataset)  # every check that evaluating makes
        print(f"ok: {dataset!r}, evaluated under policy {policy.id!r}")
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
    from asn_kinerja.dataset.survey import read_survey_csv
    from asn_kinerja.report.ikm import format_table
    from asn_kinerja.rules import skm_2017

    survey = read_survey_csv(args.survey)
    result = skm_2017.ikm_from_responses(survey, missing=args.missing, population=args.population)
    _write(format_table(result) + "\n", args.output)
    return 0


def _cmd_angka_kredit(args: argparse.Namespace) -> int:
    from decimal import Decimal

    from asn_kinerja.rules import angka_kredit_2023 as ak

    periods = [(args.jenjang, predikat, months) for predikat, months in args.periods]
    result = ak.akumulasi(periods)
    previous = args.previous if args.previous is not None else Decimal(0)
    policy = load_policy(args.policy)
    rules = policy.angka_kredit
    requirements = None
    if rules is not None and rules.requirements:
        requirements = {k: (r.pangkat, r.jenjang) for k, r in rules.requirements.items()}
    total = previous + result.total
    progress = ak.progress(args.jenjang, total, requirements=requirements)
    lines = [f"Angka kredit — jenjang {ak.parse_jenjang(args.jenjang)} (PermenPANRB 1/2023)", ""]
    for (_, predikat, months), value in zip(periods, result.per_period, strict=True):
        lines.append(f"  {predikat:<20} {months:>2} bulan  {value:>8}")
    lines.append(f"  {'jumlah periode ini':<29}  {result.total:>8}   (exact sum rounded once)")
    if result.differs:
        lines.append(f"  {'jumlah nilai terbulat':<29}  {result.total_of_rounded:>8}   (sum of the printed values)")
    if args.previous is not None:
        lines.append(f"  {'angka kredit sebelumnya':<29}  {previous:>8}")
    lines.append(f"  {'kumulatif':<29}  {total:>8}")
    lines.append("")
    lines.append(
        f"Kenaikan pangkat: {progress.pangkat_required} needed, {progress.pangkat_remaining} remaining"
        + (" — met" if progress.pangkat_met else "")
    )
    if progress.jenjang_required is not None:
        lines.append(
            f"Kenaikan jenjang: {progress.jenjang_required} needed, {progress.jenjang_remaining} remaining"
            + (" — met" if progress.jenjang_met else "")
        )
    else:
        lines.append("Kenaikan jenjang: none above this jenjang")
    lines.append(f"(requirements from policy {policy.id}: {policy.reference_for('angka_kredit')})")
    _write("\n".join(lines) + "\n", args.output)
    return 0


def _save_plot(figure: object, path: str | None) -> None:
    if path is not None:
        figure.savefig(path)  # type: ignore[attr-defined]


def _cmd_compare(args: argparse.Namespace) -> int:
    from asn_kinerja.comparison import compare

    result = compare(args.a, args.b, load_dataset(args.data))
    if args.plot:
        from asn_kinerja.plot import comparison_distribution

        _save_plot(comparison_distribution(result), args.plot)
    _write_result(result, args.format, args.output)
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from asn_kinerja.comparison import compare
    from asn_kinerja.report import comparison_report, evaluation_report

    dataset = load_dataset(args.data)
    policy = _policy_for(args.policy, dataset.period.start)
    if args.compare is not None:
        page = comparison_report(compare(policy, args.compare, dataset), lang=args.lang)
    else:
        result = evaluate(policy, dataset)
        if not isinstance(result, Evaluation):
            raise PolicyError(
                [
                    Problem(
                        f"policy {policy.id!r} is of the {policy.regime} regime: the report works on permenpanrb-6-2022"
                    )
                ]
            )
        page = evaluation_report(result, lang=args.lang)
    _write(page, args.output)
    return 0


def split_values(text: str) -> list[str]:
    """Split ``--values`` at the commas outside brackets and braces: ``"0.1,{a: 1, b: 2}"`` gives two values.

    >>> split_values("0.1, 0.2,{atasan: 0.7, rekan: 0.3}")
    ['0.1', '0.2', '{atasan: 0.7, rekan: 0.3}']
    """
    out, depth, current = [], 0, ""
    for ch in text:
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(current.strip())
            current = ""
        else:
            current += ch
    out.append(current.strip())
    return out


def _cmd_sweep(args: argparse.Namespace) -> int:
    from asn_kinerja.sweeps import sweep, values_between

    values: list[object] = (
        list(values_between(*args.range)) if args.range is not None else list(split_values(args.values))
    )
    result = sweep(args.policy, load_dataset(args.data), key=args.key, values=values, rebalance=args.rebalance)
    if args.plot:
        from asn_kinerja.plot import sweep_distribution

        _save_plot(sweep_distribution(result), args.plot)
    _write_result(result, args.format, args.output)
    return 0


_OUTPUT_HELP = (
    "write to this file instead of standard output: atomically to a regular file or a new path, to the target of "
    "a symlink, straight through to a character device or a FIFO (/dev/stdout, a pipe); anything else is refused"
)


class _UsageError(Exception):
    """A bad command line: reported on one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, reporting a bad argument as one line (raised, so that :func:`main` returns 2)."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{self.prog.removeprefix('asn-kinerja ')}: {message} (see --help)")


#: The subcommands of the parser (argparse's action that adds them).
_Subcommands: TypeAlias = "argparse._SubParsersAction[_Parser]"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="asn-kinerja",
        description="Evaluate the performance of ASN (PermenPANRB 6/2022 and earlier regimes) under YAML policies.",
    )
    parser.add_argument("--version", action="version", version=f"asn-kinerja {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_evaluating(sub)
    _add_rules(sub)
    _add_studies(sub)
    return parser


def _add_evaluating(sub: _Subcommands) -> None:
    """The commands that evaluate and check: evaluate, validate, policies."""
    ev = sub.add_parser("evaluate", help="evaluate a dataset folder and print the results")
    ev.add_argument(
        "data",
        help="a dataset folder (dataset.yaml with CSV or Parquet files), an Excel workbook (.xlsx), or a folder of "
        "period dataset folders",
    )
    ev.add_argument(
        "--policy",
        help=f"a built-in id ({', '.join(builtin_ids())}) or a YAML file; default: the "
        "built-in policy in force at the start of the dataset's period",
    )
    ev.add_argument(
        "--format", choices=["table", "json", "csv", "parquet"], default="table", help="parquet: needs --output"
    )
    ev.add_argument("--output", type=output_arg, help=_OUTPUT_HELP)
    _add_max_table_size(ev)
    ev.add_argument(
        "--by-unit",
        action="store_true",
        help="report per unit: predikat distribution against the guidance, development needs, cascading defects",
    )
    ev.set_defaults(func=_cmd_evaluate)

    va = sub.add_parser("validate", help="check a policy file or a dataset folder and report every problem")
    va.add_argument("target", help="a policy YAML file, a built-in id, or a dataset folder")
    va.add_argument(
        "--policy",
        help="for a dataset folder: the policy it is evaluated under to check it (by default the built-in policy "
        "in force at the start of its period), as `evaluate` does",
    )
    _add_max_table_size(va)
    va.set_defaults(func=_cmd_validate)

    po = sub.add_parser("policies", help="list the built-in policies with their validity and legal reference")
    po.set_defaults(func=_cmd_policies)


def _add_max_table_size(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--max-table-size",
        type=size_arg,
        metavar="SIZE",
        help="the largest table file read (bytes, or with K, M, G, T: e.g. 3G); default 2G, a safety limit "
        "(DatasetLimits.max_table_bytes)",
    )


def _add_rules(sub: _Subcommands) -> None:
    """The commands of single rules: ikm, angka-kredit."""
    ik = sub.add_parser("ikm", help="citizen satisfaction index (PermenPANRB 14/2017) of a survey CSV file")
    ik.add_argument("survey", help="CSV with a header: optional respondent id, then u1 … u9 (answers 1–4)")
    ik.add_argument(
        "--missing",
        choices=["error", "skip"],
        default="error",
        help="an empty answer is an error (default) or skipped for its unsur",
    )
    ik.add_argument("--population", type=count_arg, help="people served, to check the sample size (Krejcie & Morgan)")
    ik.add_argument("--output", type=output_arg, help=_OUTPUT_HELP)
    ik.set_defaults(func=_cmd_ikm)

    akp = sub.add_parser("angka-kredit", help="angka kredit of a functional position over periods, and progress")
    akp.add_argument("jenjang", help="e.g. ahli_pertama, terampil, mahir")
    akp.add_argument(
        "periods", nargs="+", type=period_arg, help="PREDIKAT[:MONTHS] per period, e.g. sangat_baik:12 baik:2"
    )
    akp.add_argument("--previous", type=decimal_arg, help="angka kredit accumulated before these periods")
    akp.add_argument("--policy", default="permenpanrb-6-2022", help="policy with the requirement table")
    akp.add_argument("--output", type=output_arg, help=_OUTPUT_HELP)
    akp.set_defaults(func=_cmd_angka_kredit)


def _add_studies(sub: _Subcommands) -> None:
    """The commands that study policies: compare, report, sweep."""
    co = sub.add_parser("compare", help="compare two policies on a dataset: transitions, units, who moves and why")
    co.add_argument("a", help="policy A (the baseline): a built-in id or a YAML file")
    co.add_argument("b", help="policy B (the alternative): a built-in id or a YAML file")
    co.add_argument("data", help="a dataset folder (with dataset.yaml)")
    co.add_argument("--format", choices=["table", "json", "csv"], default="table", help="csv: the changed employees")
    co.add_argument("--output", type=output_arg, help=_OUTPUT_HELP)
    co.add_argument(
        "--plot", type=plot_arg, metavar="FILE.png", help="also draw the two distributions side by side (plot extra)"
    )
    co.set_defaults(func=_cmd_compare)

    rp = sub.add_parser("report", help="one self-contained HTML report of an evaluation, or of a comparison")
    rp.add_argument("data", help="a dataset folder (with dataset.yaml)")
    rp.add_argument(
        "--policy", help="a built-in id or a YAML file; default: the built-in policy in force (policy A with --compare)"
    )
    rp.add_argument("--compare", metavar="POLICY_B", help="report the comparison of --policy (A) with this policy (B)")
    rp.add_argument("--lang", choices=["id", "en"], default="id", help="the report's language (default: id)")
    rp.add_argument("--output", type=output_arg, required=True, help=_OUTPUT_HELP)
    rp.set_defaults(func=_cmd_report)

    sw = sub.add_parser("sweep", help="vary one policy parameter and report the predikat distribution at each value")
    sw.add_argument("policy", help="the base policy: a built-in id or a YAML file")
    sw.add_argument("data", help="a dataset folder (with dataset.yaml)")
    sw.add_argument("--key", required=True, help="the key path in the policy YAML, e.g. perilaku_kerja.weights.rekan")
    values = sw.add_mutually_exclusive_group(required=True)
    values.add_argument("--values", help="YAML values separated by commas, e.g. 0.1,0.2 or {atasan: 0.7, rekan: 0.3}")
    values.add_argument(
        "--range", type=range_arg, help="START:STOP:STEP, exact decimals, STOP included when a step lands on it"
    )
    sw.add_argument(
        "--rebalance",
        metavar="KEY",
        help="a sibling key that absorbs the difference so that the mapping keeps its total (weights: 1)",
    )
    sw.add_argument("--format", choices=["table", "json", "csv"], default="table")
    sw.add_argument("--output", type=output_arg, help=_OUTPUT_HELP)
    sw.add_argument(
        "--plot", type=plot_arg, metavar="FILE.png", help="also draw the counts per predikat against the value"
    )
    sw.set_defaults(func=_cmd_sweep)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 for a bad argument, with a one-line reason)."""
    prefer_small_pages()
    reuse_freed_memory()
    try:
        args = _parser().parse_args(argv)
    except _UsageError as exc:
        print(f"asn-kinerja: {exc}", file=sys.stderr)
        return 2
    try:
        status: int = args.func(args)
    except AsnKinerjaError as exc:
        print(f"asn-kinerja: {exc}", file=sys.stderr)
        return 2
    except ImportError as exc:  # an optional extra (plot, pandas, arrow) that is not installed
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
