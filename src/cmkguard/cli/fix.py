"""``cmkguard fix``: propose (``--diff``) or make (``--write``) the edits that turn failing
notebooks into PASS; see ``docs/fix.md``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cmkguard.cli.configuration import add_config_options, configuration, effective
from cmkguard.cli.exits import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, FIX_EXIT_STATUSES
from cmkguard.cli.options import (
    PROG,
    HelpFormatter,
    Subparsers,
    add_environment_options,
    add_judging_options,
    add_variable_options,
    common_options,
    variables_from,
)
from cmkguard.cli.scan import scan_environment
from cmkguard.report.sanitize import clean, clean_line

if TYPE_CHECKING:
    from cmkguard.fix.run import FileChange


def register(subparsers: Subparsers) -> None:
    """Add ``fix``."""
    parser = subparsers.add_parser(
        "fix",
        parents=[common_options()],
        help="rewrite failing notebooks' Terraform to use a customer managed key",
        description="Propose the smallest edits to your own .tf files that make each failing "
        "notebook PASS: kms_key_id set to the key you name (--key) or to a new key "
        "(--create-key), the missing statements added to the key policy, a disabled key "
        "enabled where its flag is set. Every proposal is re-scanned in memory first and "
        "offered only if the notebook then passes. Prints a unified diff unless --write is given.",
        epilog=FIX_EXIT_STATUSES,
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "path", type=Path, metavar="PATH", help="Terraform source directory or .tf file"
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--diff",
        action="store_false",
        dest="write",
        help="print the changes as a unified diff and change nothing (the default)",
    )
    mode.add_argument("--write", action="store_true", help="apply the changes to the files")
    key = parser.add_mutually_exclusive_group()
    key.add_argument(
        "--key",
        metavar="EXPR",
        help="the key to set kms_key_id to: an expression (aws_kms_key.notebooks.arn, "
        "var.kms_key_arn) or a key ARN, key ID or alias, written as a string",
    )
    key.add_argument(
        "--create-key",
        action="store_true",
        help="declare a new customer managed key (rotation on, a policy for the notebooks' "
        "role and SageMaker) and alias in a new file beside the notebooks, one per directory "
        "and provider",
    )
    existing = parser.add_mutually_exclusive_group()
    existing.add_argument(
        "--plan",
        type=Path,
        metavar="FILE",
        help="`terraform show -json` of a plan: says which notebooks already exist (and "
        "would be replaced by a key change)",
    )
    existing.add_argument(
        "--state",
        type=Path,
        metavar="FILE",
        help="`terraform show -json` of the state: says which notebooks already exist",
    )
    add_variable_options(parser)
    add_environment_options(parser)
    add_judging_options(parser)
    add_config_options(parser)
    parser.set_defaults(func=fix, write=False)


def fix(args: argparse.Namespace) -> int:
    """Run ``cmkguard fix``."""
    # Imported here, as in `scan`: `--help` must not need the parser and the judge.
    from cmkguard import scan as scanner
    from cmkguard.fix import render
    from cmkguard.fix.context import KeyChoice
    from cmkguard.fix.kms_key_id import key_expression
    from cmkguard.fix.replacement import existing_notebooks
    from cmkguard.fix.run import plan_fixes

    path: Path = args.path
    if not path.is_dir() and not path.name.endswith((".tf", ".tofu", ".tf.json", ".tofu.json")):
        print(
            f"{PROG}: error: {clean_line(str(path))}: fix edits Terraform source; "
            "give a directory or a .tf file",
            file=sys.stderr,
        )
        return EXIT_ERROR
    existing = existing_notebooks(args.plan, args.state)
    if isinstance(existing, str):
        print(f"{PROG}: error: {clean_line(existing)}", file=sys.stderr)
        return EXIT_ERROR
    config = configuration(args, path)
    chosen = effective(args, config)
    options = scanner.ScanOptions(
        command_line=variables_from(args),
        env=scan_environment(os.environ),
        settings=chosen.settings,
        acceptance=chosen.acceptance,
        workspace=chosen.workspace,
        region=chosen.region,
        modules=chosen.modules,
    )
    choice = KeyChoice(key_expression(args.key) if args.key is not None else None, args.create_key)
    plan = plan_fixes(path, options, choice)
    report = render.report(plan, existing, write=args.write)
    sys.stdout.write(_clean_diff(report.stdout))
    sys.stderr.write(clean(report.stderr))
    if args.write and plan.changes and not _written(plan.changes):
        return EXIT_ERROR
    # A refusal concerns its own file: the other notebooks' fixes are still made.
    if report.refused or plan.scan.errors:
        return EXIT_ERROR
    if any(not n.fixed for n in plan.notebooks):
        return EXIT_FINDINGS
    if plan.changes and not args.write:
        return EXIT_FINDINGS
    return EXIT_OK


def _written(changes: Sequence[FileChange]) -> bool:
    """Write ``changes`` unless a file changed on disk since it was read (then nothing)."""
    from cmkguard.fix.diff import stale, write_changes

    changed = stale(changes)
    for rel in changed:
        print(
            f"{PROG}: error: {clean_line(rel)}: changed on disk since the scan; nothing was "
            "written, run fix again",
            file=sys.stderr,
        )
    if changed:
        return False
    write_changes(changes)
    return True


def _clean_diff(diff: str) -> str:
    """``clean`` for a unified diff, keeping a CRLF file's carriage returns at line ends: the
    diff must still apply (``patch``, ``git apply``) to the file it was made from."""
    return "\n".join(
        clean(line.removesuffix("\r")) + ("\r" if line.endswith("\r") else "")
        for line in diff.split("\n")
    )
