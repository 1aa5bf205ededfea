"""What the subcommands share: the help formatter, the options several of them take, and how
those options become library inputs (``settings_from``) and a written report (``write_report``).

A new shared option goes here: its ``add_*`` function, its argument type, and the code that
reads it back from the namespace.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TextIO, TypeAlias

from cmkguard.cfninputs import ParameterArg, ParametersFile
from cmkguard.cli.outputs import output_target, write_outputs
from cmkguard.findings import ScanResult
from cmkguard.kms import is_region_name
from cmkguard.report import DESCRIPTIONS, OutputFormat
from cmkguard.report.sanitize import clean_line
from cmkguard.report.text import error_line
from cmkguard.settings import Settings
from cmkguard.tfinputs import VarArg, VarFile

PROG = "cmkguard"

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
Handler: TypeAlias = Callable[[argparse.Namespace], int]
"""Runs one subcommand and returns its exit status."""
Registrar: TypeAlias = Callable[[Subparsers], None]
"""Adds one or more subcommands; each sets ``func`` to a ``Handler`` with ``set_defaults``."""


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


# --- Terraform variables ---------------------------------------------------------------------


def name_value(text: str) -> tuple[str, str]:
    """``NAME=VALUE`` split at the first ``=`` (the value may hold more), name stripped."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {clean_line(text)!r}")
    return name.strip(), value


def var_arg(text: str) -> VarArg:
    """``--var NAME=VALUE``."""
    return VarArg(*name_value(text))


def var_file(text: str) -> VarFile:
    """``--var-file FILE``."""
    return VarFile(Path(text))


def add_variable_options(parser: argparse.ArgumentParser) -> None:
    """``--var-file`` and ``--var``, both into ``command_line``: read by ``variables_from``."""
    # Both append to one list so that their command-line order survives: Terraform applies
    # -var and -var-file in the order given, a later one winning.
    parser.add_argument(
        "--var-file",
        action="append",
        dest="command_line",
        type=var_file,
        default=[],
        metavar="FILE",
        help="a .tfvars or .tfvars.json file; repeatable, later ones (and --var) win",
    )
    parser.add_argument(
        "--var",
        action="append",
        dest="command_line",
        type=var_arg,
        metavar="NAME=VALUE",
        help="set a root module variable as `terraform -var` does; repeatable, later ones win",
    )


def region_name(text: str) -> str:
    """``--region``: one region code."""
    if not is_region_name(text):
        raise argparse.ArgumentTypeError(
            f"expected a region name like us-east-1, got {clean_line(text)!r}"
        )
    return text


def seconds(text: str) -> float:
    """``--timeout`` and ``--call-timeout``: a positive number of seconds."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    # NOTE: float() takes "inf" and "nan"; neither bounds anything.
    if not 0 < value < 10**7:
        raise argparse.ArgumentTypeError("expected a number of seconds greater than 0")
    return value


def add_environment_options(parser: argparse.ArgumentParser) -> None:
    """``--workspace``, ``--region`` and the module download options: what Terraform would
    take from its surroundings."""
    parser.add_argument(
        "--workspace",
        metavar="NAME",
        help="terraform.workspace when neither TF_WORKSPACE nor the root module's "
        ".terraform/environment selects one (default: default)",
    )
    parser.add_argument(
        "--region",
        type=region_name,
        metavar="REGION",
        help="the region of AWS provider configurations that set none (default: AWS_REGION, "
        "then AWS_DEFAULT_REGION; otherwise that region is unknown)",
    )
    # Imported here: the configuration module imports this one for the shared parser pieces.
    from cmkguard.cli.configuration import registry_url

    parser.add_argument(
        "--download-modules",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="fetch remote modules (registry, git, archive URLs) that terraform init has not, "
        "into the module cache, as terraform init would; nothing fetched is executed "
        "(default: off, and such a module call is an error)",
    )
    parser.add_argument(
        "--module-cache",
        type=Path,
        metavar="DIR",
        help="where --download-modules keeps fetched modules (default: "
        "$XDG_CACHE_HOME/cmkguard/modules, else ~/.cache/cmkguard/modules)",
    )
    parser.add_argument(
        "--registry-url",
        action="append",
        type=registry_url,
        default=None,
        metavar="HOST=URL",
        help="reach the module registry HOST at URL instead of https://HOST (a mirror, or "
        "http for a local test registry); repeatable",
    )


def add_resolve_options(parser: argparse.ArgumentParser) -> None:
    """``--resolve-keys`` and ``--profile``: look keys named only by text up online."""
    parser.add_argument(
        "--resolve-keys",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="look up the keys the input names only by text (literal key IDs, key ARNs, "
        'aliases, data "aws_kms_key"/"aws_kms_alias") with DescribeKey and GetKeyPolicy, in '
        "the notebook's region and the credentials' account, instead of passing them "
        "unverified; a refused or failed call makes the notebook UNKNOWN. Credentials and "
        "endpoint come from the standard AWS environment; --no-resolve-keys overrides the "
        "configuration file",
    )
    parser.add_argument(
        "--profile",
        metavar="NAME",
        help="the named AWS profile --resolve-keys uses (default: the default credentials)",
    )


def variables_from(args: argparse.Namespace) -> tuple[VarFile | VarArg, ...]:
    """``--var-file`` and ``--var`` in the order given."""
    return tuple(args.command_line)


def parameter_arg(text: str) -> ParameterArg:
    """``--parameter NAME=VALUE``."""
    return ParameterArg(*name_value(text))


def add_parameter_options(parser: argparse.ArgumentParser) -> None:
    """``--parameters-file`` and ``--parameter``, both into ``parameters``, in the order given
    (a later one wins): read by ``parameters_from``."""
    parser.add_argument(
        "--parameters-file",
        action="append",
        dest="parameters",
        type=lambda text: ParametersFile(Path(text)),
        default=[],
        metavar="FILE",
        help="CloudFormation parameter values: an AWS CLI parameters JSON file "
        "([{ParameterKey, ParameterValue}]) or a CodePipeline template configuration "
        '({"Parameters": {...}}); repeatable, later ones (and --parameter) win',
    )
    parser.add_argument(
        "--parameter",
        action="append",
        dest="parameters",
        type=parameter_arg,
        metavar="NAME=VALUE",
        help="set a CloudFormation template parameter; repeatable, later ones win",
    )


def parameters_from(args: argparse.Namespace) -> tuple[ParameterArg | ParametersFile, ...]:
    """``--parameters-file`` and ``--parameter`` in the order given."""
    return tuple(args.parameters)


# --- judging ---------------------------------------------------------------------------------


def add_judging_options(parser: argparse.ArgumentParser) -> None:
    """``--strict``, ``--allowed-key``, ``--deployer-principal``: read by ``settings_from``.

    Their defaults are ``None`` (not given), so that a configuration file's value stands unless
    a flag is given (``cli.configuration.effective``).
    """
    # Imported here: the configuration module imports this one for the shared parser pieces.
    from cmkguard.cli.configuration import allowed_key

    parser.add_argument(
        "--strict",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="report UNKNOWN instead of PASS when the key itself could not be verified "
        "(key-manager-unverified, key-properties-unverified); --no-strict overrides the "
        "configuration file",
    )
    parser.add_argument(
        "--allowed-key",
        "--allowed-key-arn",
        action="append",
        dest="allowed_key",
        type=allowed_key,
        default=None,
        metavar="KEY",
        help="allow only these keys (key ARNs, key IDs or alias ARNs; like the Config rule's "
        "kmsKeyArns); repeatable, replaces the configuration's allowed_keys",
    )
    parser.add_argument(
        "--deployer-principal",
        action="append",
        default=None,
        metavar="ARN",
        help="a principal that creates notebooks (e.g. a CI role); the key policy may grant it "
        "instead of the notebook's role; repeatable",
    )


def settings_from(args: argparse.Namespace) -> Settings:
    """The judging settings from the options ``add_judging_options`` added (flags only; ``scan``
    also reads the configuration file, through ``cli.configuration``)."""
    return Settings(
        strict=bool(args.strict),
        allowed_key_arns=frozenset(args.allowed_key or ()),
        deployer_principals=tuple(args.deployer_principal or ()),
    )


# --- the report ------------------------------------------------------------------------------


def add_report_options(parser: argparse.ArgumentParser) -> None:
    """``--format``, ``--output``, ``--no-color`` and the per-format options: read by
    ``write_report`` (``cli/outputs.py`` says how ``--output`` values are read)."""
    formats = ", ".join(f"{f.value} ({DESCRIPTIONS[f]})" for f in OutputFormat)
    parser.add_argument(
        "--format",
        type=OutputFormat,
        choices=list(OutputFormat),
        default=OutputFormat.TEXT,
        help=f"format of the report on standard output (default: text): {formats}",
    )
    parser.add_argument(
        "--output",
        action="append",
        type=output_target,
        default=[],
        metavar="FORMAT=FILE",
        help="also write a report in FORMAT to FILE, e.g. --output sarif=cmkguard.sarif; "
        "repeatable. A bare FILE (no known FORMAT= prefix) takes the --format report instead "
        "of standard output",
    )
    parser.add_argument("--no-color", action="store_true", help="never colour the text report")
    parser.add_argument(
        "--sarif-include-pass",
        action="store_true",
        help="SARIF: also report PASS notebooks (as kind: pass, level note)",
    )
    parser.add_argument(
        "--asff-account",
        metavar="ACCOUNT_ID",
        help="ASFF: the AWS account to file findings under when a finding has none (Terraform "
        "source and plans)",
    )
    parser.add_argument(
        "--asff-region",
        metavar="REGION",
        help="ASFF: the region to file findings in when a finding has none (default: "
        "AWS_REGION or AWS_DEFAULT_REGION)",
    )


def write_report(
    result: ScanResult, args: argparse.Namespace, *, evidence_digest: str | None = None
) -> None:
    """Write every report the options ``add_report_options`` added ask for. Unless the text
    report went to standard output, input errors are repeated on standard error."""
    color = _use_color(args.no_color, sys.stdout)
    text_on_stdout = write_outputs(
        result, args, color_on_stdout=color, evidence_digest=evidence_digest
    )
    if not text_on_stdout:
        for error in result.errors:
            print(error_line(error), file=sys.stderr)


def _use_color(no_color: bool, out: TextIO) -> bool:
    # https://no-color.org: a non-empty NO_COLOR turns colour off.
    return not no_color and not os.environ.get("NO_COLOR") and out.isatty()
