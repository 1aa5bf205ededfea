"""The command line. ``main`` is the single exit point and the only place that catches.

Subcommands are added by the registrars in ``REGISTRARS``, one module each (``scan``,
``explain``, ``live``); each adds its subparser and sets ``func`` to a handler
``(argparse.Namespace) -> int`` returning the exit status. Options several subcommands share
live in ``options``, the exit statuses in ``exits``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import traceback
from collections.abc import Mapping, Sequence
from typing import cast

from cmkguard import __version__
from cmkguard.cli import baseline, configuration, explain, fix, live, scan
from cmkguard.cli.exits import (
    EXIT_BROKEN_PIPE,
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_STATUS_TABLE,
    EXIT_STATUSES,
    FIX_EXIT_STATUS_TABLE,
)
from cmkguard.cli.options import (
    PROG,
    Handler,
    HelpFormatter,
    Registrar,
    Subparsers,
    common_options,
    settings_from,
    write_report,
)
from cmkguard.errors import CmkguardError
from cmkguard.report.sanitize import clean, clean_line

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_ERROR",
    "EXIT_FINDINGS",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_STATUSES",
    "EXIT_STATUS_TABLE",
    "FIX_EXIT_STATUS_TABLE",
    "PROG",
    "REGISTRARS",
    "Handler",
    "HelpFormatter",
    "Registrar",
    "Subparsers",
    "build_parser",
    "common_options",
    "main",
    "settings_from",
    "subcommands",
    "write_report",
]

REGISTRARS: tuple[Registrar, ...] = (
    scan.register,
    fix.register,
    baseline.register,
    configuration.register,
    explain.register,
    live.register,
)
"""Every subcommand, in the order ``--help`` lists them."""


def build_parser() -> argparse.ArgumentParser:
    """The whole command-line parser, every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Prove every SageMaker notebook instance is encrypted with a customer "
        "managed KMS key.",
        epilog=EXIT_STATUSES,
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show a traceback on an internal error"
    )
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for register in REGISTRARS:
        register(subparsers)
    return parser


def subcommands(parser: argparse.ArgumentParser) -> Mapping[str, argparse.ArgumentParser]:
    """The subcommand parsers of ``parser`` by name, in registration order (for the docs)."""
    # argparse offers no public accessor for its subparsers; _SubParsersAction is typed in
    # typeshed and stable since Python 3.2.
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return cast(Mapping[str, argparse.ArgumentParser], action.choices)
    return {}


def _exit_status(code: object) -> int:
    """The status of an argparse ``SystemExit`` (``--help``, ``--version``, usage errors)."""
    if code is None:
        return EXIT_OK
    return code if isinstance(code, int) else EXIT_ERROR


def _silence_stdout() -> None:
    # After EPIPE, Python would fail again flushing stdout at exit; point it at /dev/null.
    # https://docs.python.org/3/library/signal.html#note-on-sigpipe
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status. Never raises: argparse's own exits
    (``--help``, ``--version``, usage errors) become statuses too."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        # A terminal or pipe that cannot encode a character (an ASCII locale and the evidence
        # arrow, a hostile name) must not turn a report into an internal error.
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    # Read before parsing, so that --debug holds whatever happens later, in any subcommand.
    debug = "--debug" in arguments
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(arguments)
        except SystemExit as exit_:
            return _exit_status(exit_.code)
        handler = cast(Handler, args.func)
        return handler(args)
    except CmkguardError as error:
        print(f"{PROG}: error: {clean_line(error.diagnostics())}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as error:
        detail = clean_line(f"{type(error).__name__}: {error}")
        if debug:
            sys.stderr.write(clean(traceback.format_exc()))
            print(f"{PROG}: internal error: {detail}", file=sys.stderr)
        else:
            print(
                f"{PROG}: internal error: {detail} (run with --debug for a traceback)",
                file=sys.stderr,
            )
        return EXIT_ERROR
