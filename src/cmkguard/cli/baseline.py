"""``cmkguard baseline write FILE PATH...``: record today's findings so only new ones fail."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cmkguard import baseline
from cmkguard.cli.configuration import action_parser
from cmkguard.cli.exits import EXIT_ERROR, EXIT_OK
from cmkguard.cli.options import (
    Subparsers,
)
from cmkguard.cli.scan import add_scan_options, scanned
from cmkguard.errors import UsageError
from cmkguard.report.text import error_line


def register(subparsers: Subparsers) -> None:
    """Add ``baseline write``."""
    write = action_parser(
        subparsers,
        ("baseline", "record today's findings so that only new ones fail"),
        ("write", "scan PATHs and write every FAIL/UNKNOWN finding no suppression accepts"),
        "Scan PATHs as `cmkguard scan` does and write every FAIL/UNKNOWN finding no suppression "
        "accepts to FILE: address, root module, reason codes and a fingerprint of them, no line "
        "numbers. `scan --baseline FILE` then fails only on findings the file does not list. Exit "
        "status 0, or 2 when an input could not be read (the file is still written, without "
        "that input's findings).",
    )
    write.add_argument("file", type=Path, metavar="FILE", help="the baseline file to write")
    write.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="what to scan, as for `scan`"
    )
    add_scan_options(write)
    write.set_defaults(func=write_baseline)


def write_baseline(args: argparse.Namespace) -> int:
    """Run ``cmkguard baseline write``."""

    # A baseline of a baselined run would drop what the old file already lists.
    args.baseline = None
    result = scanned(args)
    entries = baseline.entries(result.findings)
    try:
        args.file.write_text(baseline.dumps(entries), encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {args.file}: {error.strerror}") from error
    for problem in result.errors:
        print(error_line(problem), file=sys.stderr)
    print(f"cmkguard: wrote {len(entries)} findings to {args.file}", file=sys.stderr)
    return EXIT_ERROR if result.errors else EXIT_OK
