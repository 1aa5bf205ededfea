"""``cmkguard explain [CODE]``: a reason or warning code's catalogue entry, or the list."""

from __future__ import annotations

import argparse
import sys

from cmkguard.catalogue.entries import lookup
from cmkguard.cli.exits import EXIT_OK
from cmkguard.cli.options import HelpFormatter, Subparsers, common_options
from cmkguard.errors import UsageError
from cmkguard.report.explain import code_list, explain, valid_codes


def register(subparsers: Subparsers) -> None:
    """Add ``explain``."""
    parser = subparsers.add_parser(
        "explain",
        parents=[common_options()],
        help="explain a reason or warning code",
        formatter_class=HelpFormatter,
        description="Print what a reason or warning code checks, why it matters and how to fix "
        "it, with the control's mappings to other tools and frameworks. Without CODE, list "
        "every code.",
    )
    parser.add_argument("code", nargs="?", metavar="CODE", help="a reason or warning code")
    parser.set_defaults(func=explain_code)


def explain_code(args: argparse.Namespace) -> int:
    """Run ``cmkguard explain``."""
    if args.code is None:
        sys.stdout.write(code_list())
        return EXIT_OK
    entry = lookup(args.code)
    if entry is None:
        raise UsageError(f"unknown code {args.code!r}; valid codes: {valid_codes()}")
    sys.stdout.write(explain(entry))
    return EXIT_OK
