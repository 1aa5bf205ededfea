"""The command line. ``main`` is the single exit point and the only place that catches.

Subcommands are added by the registrars in ``REGISTRARS``; each adds its subparser and sets
``func`` to a handler ``(argparse.Namespace) -> int`` returning the exit status.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import io
import os
import sys
import textwrap
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TextIO, TypeAlias, cast

from cmkguard import __version__
from cmkguard.catalogue.entries import lookup
from cmkguard.errors import CmkguardError, UsageError
from cmkguard.findings import ScanResult
from cmkguard.kms import KeyIdKind, parse_key_identifier
from cmkguard.report import OutputFormat, render
from cmkguard.report.explain import code_list, explain, valid_codes
from cmkguard.report.sanitize import clean, clean_line
from cmkguard.report.text import error_line
from cmkguard.settings import Settings
from cmkguard.tfinputs import VarArg, VarFile

PROG = "cmkguard"

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
Handler: TypeAlias = Callable[[argparse.Namespace], int]
"""Runs one subcommand and returns its exit status."""
Registrar: TypeAlias = Callable[[Subparsers], None]
"""Adds one or more subcommands; each sets ``func`` to a ``Handler`` with ``set_defaults``."""

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130
# A reader that stops early (``cmkguard scan . | head``): report what the shell reports for any
# program killed by SIGPIPE (128 + 13), so it is never mistaken for a verdict.
EXIT_BROKEN_PIPE = 141

EXIT_STATUS_TABLE: tuple[tuple[int, str], ...] = (
    (EXIT_OK, "every notebook is PASS"),
    (EXIT_FINDINGS, "at least one notebook is FAIL or UNKNOWN"),
    (
        EXIT_ERROR,
        "usage error, an input that could not be read, or a live scan left incomplete "
        "(the findings that could be made are still reported)",
    ),
)
"""The exit statuses a run reports, for ``--help`` and ``docs/cli.md``."""

EXIT_STATUSES = "exit status:\n" + "\n".join(
    textwrap.fill(
        meaning, 79, initial_indent=f"  {code}  ", subsequent_indent="     ", break_on_hyphens=False
    )
    for code, meaning in EXIT_STATUS_TABLE
)


class HelpFormatter(argparse.HelpFormatter):
    """Wraps prose without splitting hyphenated codes (``key-manager-unverified``), and keeps
    paragraphs with indented lines (the exit status table) as written."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs = []
        for paragraph in text.split("\n\n"):
            if "\n " in paragraph:
                paragraphs.append(textwrap.indent(paragraph, indent))
            else:
                paragraphs.append(
                    textwrap.fill(
                        " ".join(paragraph.split()),
                        width,
                        initial_indent=indent,
                        subsequent_indent=indent,
                        break_on_hyphens=False,
                    )
                )
        return "\n\n".join(paragraphs)


def common_options() -> argparse.ArgumentParser:
    """A parent parser with the options every subcommand accepts (``--debug``).

    Pass it as ``parents=[common_options()]`` to ``subparsers.add_parser``. Its default is
    suppressed so that ``cmkguard --debug SUB`` is not overridden by the subparser.
    """
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show a traceback on an internal error",
    )
    return parent


def _var_arg(text: str) -> VarArg:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {clean_line(text)!r}")
    return VarArg(name.strip(), value)


def _var_file(text: str) -> VarFile:
    return VarFile(Path(text))


def _key_arn(text: str) -> str:
    if parse_key_identifier(text).kind is not KeyIdKind.KEY_ARN:
        raise argparse.ArgumentTypeError(
            f"expected a KMS key ARN (arn:PARTITION:kms:REGION:ACCOUNT:key/ID), "
            f"got {clean_line(text)!r}"
        )
    return text


def add_judging_options(parser: argparse.ArgumentParser) -> None:
    """``--strict``, ``--allowed-key-arn``, ``--deployer-principal``: read by ``settings_from``."""
    parser.add_argument(
        "--strict",
        action="store_true",
        help="report UNKNOWN instead of PASS when the key itself could not be verified "
        "(key-manager-unverified, key-properties-unverified)",
    )
    parser.add_argument(
        "--allowed-key-arn",
        action="append",
        type=_key_arn,
        default=[],
        metavar="ARN",
        help="allow only these key ARNs (like the Config rule's kmsKeyArns); repeatable",
    )
    parser.add_argument(
        "--deployer-principal",
        action="append",
        default=[],
        metavar="ARN",
        help="a principal that creates notebooks (e.g. a CI role); the key policy may grant it "
        "instead of the notebook's role; repeatable",
    )


def add_report_options(parser: argparse.ArgumentParser) -> None:
    """``--format``, ``--output``, ``--no-color``: read by ``write_report``."""
    parser.add_argument(
        "--format",
        type=OutputFormat,
        choices=list(OutputFormat),
        default=OutputFormat.TEXT,
        help="output format (default: text)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help="write the report to FILE instead of standard output",
    )
    parser.add_argument("--no-color", action="store_true", help="never colour the text report")


def settings_from(args: argparse.Namespace) -> Settings:
    """The judging settings from the options ``add_judging_options`` added."""
    return Settings(
        strict=args.strict,
        allowed_key_arns=frozenset(args.allowed_key_arn),
        deployer_principals=tuple(args.deployer_principal),
    )


def write_report(result: ScanResult, args: argparse.Namespace) -> None:
    """Render ``result`` as the options ``add_report_options`` added say. When the report does
    not go to a person's terminal as text, its input errors are repeated on standard error."""
    fmt: OutputFormat = args.format
    with _output(args.output) as out:
        render(result, fmt, out, color=_use_color(args.no_color, out))
    if args.output is not None or fmt is not OutputFormat.TEXT:
        for error in result.errors:
            print(error_line(error), file=sys.stderr)


def _register_scan(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "scan",
        parents=[common_options()],
        help="scan Terraform source and plan/state JSON",
        description="Scan Terraform source trees, .tf/.tf.json files and `terraform show -json` "
        "plan or state files for SageMaker notebook instances, and judge whether each is "
        "encrypted with a customer managed KMS key it can use.",
        epilog=EXIT_STATUSES,
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="directory, .tf/.tf.json file, or plan/state JSON file",
    )
    # Both append to one list so that their command-line order survives: Terraform applies
    # -var and -var-file in the order given, a later one winning.
    parser.add_argument(
        "--var-file",
        action="append",
        dest="command_line",
        type=_var_file,
        default=[],
        metavar="FILE",
        help="a .tfvars or .tfvars.json file; repeatable, later ones (and --var) win",
    )
    parser.add_argument(
        "--var",
        action="append",
        dest="command_line",
        type=_var_arg,
        metavar="NAME=VALUE",
        help="set a root module variable as `terraform -var` does; repeatable, later ones win",
    )
    add_judging_options(parser)
    add_report_options(parser)
    parser.set_defaults(func=_scan)


def _register_explain(subparsers: Subparsers) -> None:
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
    parser.set_defaults(func=_explain)


REGISTRARS: tuple[Registrar, ...] = (_register_scan, _register_explain)
"""Every subcommand of this module, in the order ``--help`` lists them."""


def _transitional_registrars() -> tuple[Registrar, ...]:
    # NOTE: cmkguard.cli_live (live, verify-evidence) is first-party and is being written
    # alongside this module. Until it lands, find_spec keeps this CLI and its tests working
    # without it; afterwards, import it at the top and add ``cli_live.register`` to REGISTRARS.
    # Called from build_parser, inside main's catch, so a broken import is one error line.
    if importlib.util.find_spec("cmkguard.cli_live") is None:
        return ()
    module = importlib.import_module("cmkguard.cli_live")
    return (cast(Registrar, module.register),)


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
    for register in (*REGISTRARS, *_transitional_registrars()):
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


def _tf_vars(environ: Mapping[str, str]) -> dict[str, str]:
    # Only TF_VAR_ names matter to a scan; the rest of the environment (credentials) stays out.
    return {k: v for k, v in environ.items() if k.startswith("TF_VAR_")}


def _scan(args: argparse.Namespace) -> int:
    # Imported here, not at the top: the scanner pulls in the HCL parser and the control, which
    # `--help`, `--version` and `explain` do not need (and must survive without).
    from cmkguard import scan as scanner

    options = scanner.ScanOptions(
        command_line=tuple(args.command_line),
        env=_tf_vars(os.environ),
        settings=settings_from(args),
    )
    result = scanner.scan_paths(tuple(args.paths), options)
    write_report(result, args)
    return result.exit_code()


@contextlib.contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    """Standard output, or ``path`` opened only now that there is a report to write."""
    if path is None:
        yield sys.stdout
        return
    try:
        handle = path.open("w", encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror}") from error
    with handle:
        yield handle


def _use_color(no_color: bool, out: TextIO) -> bool:
    # https://no-color.org: a non-empty NO_COLOR turns colour off.
    return not no_color and not os.environ.get("NO_COLOR") and out.isatty()


def _explain(args: argparse.Namespace) -> int:
    if args.code is None:
        sys.stdout.write(code_list())
        return EXIT_OK
    entry = lookup(args.code)
    if entry is None:
        raise UsageError(f"unknown code {args.code!r}; valid codes: {valid_codes()}")
    sys.stdout.write(explain(entry))
    return EXIT_OK


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
