"""``cmkguard scan``: Terraform source trees and plan/state JSON."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from cmkguard.cli.configuration import (
    add_config_options,
    configuration,
    configured_outputs,
    effective,
    excluded,
)
from cmkguard.cli.exits import EXIT_ERROR, EXIT_STATUSES
from cmkguard.cli.options import (
    PROG,
    HelpFormatter,
    Subparsers,
    add_environment_options,
    add_judging_options,
    add_parameter_options,
    add_report_options,
    add_resolve_options,
    add_variable_options,
    common_options,
    parameters_from,
    seconds,
    variables_from,
    write_report,
)
from cmkguard.findings import ScanResult
from cmkguard.report.sanitize import clean_line
from cmkguard.sources.terraform.environment import ENVIRONMENT_NAMES


def register(subparsers: Subparsers) -> None:
    """Add ``scan``."""
    parser = subparsers.add_parser(
        "scan",
        parents=[common_options()],
        help="scan Terraform source, plan/state JSON and CloudFormation templates",
        description="Scan Terraform and OpenTofu source trees, .tf/.tf.json/.tofu/.tofu.json "
        "files, `terraform show -json` "
        "plan or state files and CloudFormation templates (YAML/JSON, SAM, CDK cdk.out) for "
        "SageMaker notebook instances, and judge whether each is encrypted with a customer "
        "managed KMS key it can use.",
        epilog=EXIT_STATUSES,
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="directory, .tf/.tf.json/.tofu/.tofu.json file, plan/state JSON file or "
        "CloudFormation template",
    )
    add_scan_options(parser)
    add_report_options(parser)
    parser.add_argument(
        "--fail-on-empty",
        action="store_true",
        help="exit 2 when no notebook is found (for gates that must scan something)",
    )
    parser.set_defaults(func=scan)


def add_scan_options(parser: argparse.ArgumentParser) -> None:
    """What decides a static scan's verdicts, read by ``scanned``: ``scan`` and ``baseline
    write`` take the same, so that a baseline records what a scan would report."""
    add_variable_options(parser)
    add_parameter_options(parser)
    add_environment_options(parser)
    add_judging_options(parser)
    add_resolve_options(parser)
    add_config_options(parser)
    parser.add_argument(
        "--timeout",
        type=seconds,
        metavar="SECONDS",
        help="time limit of the whole scan: inputs and root modules not started by then are "
        "not judged and are named in an error, values still being evaluated are unknown (their "
        "notebooks UNKNOWN), and the scan is incomplete (exit status 2); the findings already "
        "made are reported; default: none",
    )


def scan(args: argparse.Namespace) -> int:
    """Run ``cmkguard scan``."""
    result = scanned(args)
    write_report(result, args)
    for notice in result.notices:
        print(f"{PROG}: warning: {clean_line(notice)}", file=sys.stderr)
    if result.findings:
        return result.exit_code()
    # An empty scan is usually a wrong path or a layout we do not read: never let it pass
    # unremarked, whatever the report format.
    where = ", ".join(clean_line(str(path)) for path in args.paths)
    print(f"{PROG}: no notebook found in {where}", file=sys.stderr)
    return EXIT_ERROR if args.fail_on_empty else result.exit_code()


def scanned(args: argparse.Namespace, environ: Mapping[str, str] = os.environ) -> ScanResult:
    """The accepted result of scanning ``args.paths`` with the flags and configuration file, in
    ``environ``. The tests' case runner scans through here too, so that a case's arguments mean
    what a user's do."""
    # Imported here, not at the top: the scanner pulls in the HCL parser and the control, which
    # `--help`, `--version` and `explain` do not need (and must survive without).
    from cmkguard import scan as scanner

    config = configuration(args, args.paths[0])
    configured_outputs(args, config)
    chosen = effective(args, config, environ)
    options = scanner.ScanOptions(
        command_line=variables_from(args),
        env=scan_environment(environ),
        settings=chosen.settings,
        acceptance=chosen.acceptance,
        parameters=parameters_from(args),
        workspace=chosen.workspace,
        region=chosen.region,
        resolve_keys=chosen.resolve_keys,
        profile=args.profile,
        timeout=args.timeout,
        modules=chosen.modules,
    )
    return excluded(scanner.scan_paths(tuple(args.paths), options), chosen.exclude)


def scan_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The part of ``environ`` a static scan reads: ``TF_VAR_name``, ``TF_WORKSPACE`` and the
    AWS provider's region variables."""
    # The rest of the environment (credentials, tokens) stays out of the scan and its reports.
    return {k: v for k, v in environ.items() if k.startswith("TF_VAR_") or k in ENVIRONMENT_NAMES}
