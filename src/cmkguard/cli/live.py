"""``cmkguard live`` and ``cmkguard verify-evidence``.

Handlers return the exit status and raise ``CmkguardError`` for the user's mistakes; only
``cli.main`` catches.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from cmkguard.cli.exits import EXIT_STATUSES
from cmkguard.cli.options import (
    PROG,
    HelpFormatter,
    Subparsers,
    add_judging_options,
    add_report_options,
    common_options,
    seconds,
    settings_from,
    write_report,
)
from cmkguard.kms import is_region_name
from cmkguard.report import OutputFormat
from cmkguard.report.sanitize import clean_line

if TYPE_CHECKING:
    from cmkguard.errors import InputError
    from cmkguard.findings import ScanResult

    # Only for the annotation: importing it at run time pulls in boto3, which `--help` and
    # the other subcommands must not pay for.
    from cmkguard.sources.aws.pipeline import Progress, RegionReport

_ROLE_ARN = re.compile(r"^arn:[a-z-]+:iam::\d{12}:role/[\w+=,.@/-]+$")
_ROLE_NAME = re.compile(r"^[\w+=,.@/-]{1,512}$")


def regions_argument(text: str) -> tuple[str, ...] | Literal["all"]:
    """``--regions``: ``all`` or a comma-separated list of region names."""
    if text.strip() == "all":
        return "all"
    names = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    bad = [name for name in names if not is_region_name(name)]
    if not names or bad:
        shown = clean_line(", ".join(bad) or text)
        raise argparse.ArgumentTypeError(
            f"expected 'all' or region names like us-east-1,eu-west-1; got {shown!r}"
        )
    return names


def _role_arn(text: str) -> str:
    if not _ROLE_ARN.match(text):
        raise argparse.ArgumentTypeError(
            "expected an IAM role ARN (arn:PARTITION:iam::ACCOUNT:role/NAME)"
        )
    return text


def _role_name(text: str) -> str:
    if not _ROLE_NAME.match(text) or text.startswith("arn:"):
        raise argparse.ArgumentTypeError(
            "expected an IAM role name, e.g. OrganizationAccountAccessRole"
        )
    return text


def _sha256_hex(text: str) -> str:
    if not re.fullmatch(r"[0-9a-fA-F]{64}", text.strip()):
        raise argparse.ArgumentTypeError("expected 64 hexadecimal digits (a SHA-256)")
    return text.strip().lower()


def _concurrency(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 256:
        raise argparse.ArgumentTypeError("expected a whole number from 1 to 256")
    return value


def register(subparsers: Subparsers) -> None:
    """Add ``live`` and ``verify-evidence``."""
    parser = subparsers.add_parser(
        "live",
        parents=[common_options()],
        help="judge the notebooks of live AWS accounts",
        description="Judge every SageMaker notebook instance of live AWS accounts: list the "
        "notebooks of each region, describe each one and each distinct KMS key once, and read "
        "the key policies. A refused or failed call makes the notebooks it concerns UNKNOWN, "
        "never PASS; a region or account that cannot be listed makes the scan incomplete "
        "(exit status 2). Credentials and endpoint come from the standard AWS environment "
        "(AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL ...).",
        epilog=EXIT_STATUSES,
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "--regions",
        type=regions_argument,
        metavar="r1,r2|all",
        help="regions to scan; 'all' = every region where SageMaker is available and enabled "
        "for the account (default: the session's region)",
    )
    parser.add_argument(
        "--profile",
        action="append",
        default=[],
        metavar="NAME",
        help="scan the account of this named profile; repeatable",
    )
    parser.add_argument(
        "--role-arn",
        action="append",
        type=_role_arn,
        default=[],
        metavar="ARN",
        help="assume this role from the default credentials and scan its account; repeatable",
    )
    parser.add_argument(
        "--org-role",
        type=_role_name,
        metavar="NAME",
        help="scan every ACTIVE account of the organization by assuming this role name in each "
        "(the management account itself with the default credentials)",
    )
    parser.add_argument(
        "--evidence",
        type=Path,
        metavar="DIR",
        help="also write an audit evidence bundle (raw API responses, AWS Config results, "
        "CloudTrail events, SHA-256 manifest) into DIR; checked before the scan starts, and "
        "the bundle's digest is printed to stderr when it is written",
    )
    parser.add_argument(
        "--concurrency",
        type=_concurrency,
        default=8,
        metavar="N",
        help="API calls in flight at once (default: 8)",
    )
    parser.add_argument(
        "--timeout",
        type=seconds,
        metavar="SECONDS",
        help="time limit of the whole scan: calls not started by then are not made, their "
        "notebooks are UNKNOWN and the scan is incomplete (exit status 2); default: none",
    )
    parser.add_argument(
        "--call-timeout",
        type=seconds,
        metavar="SECONDS",
        # NOTE: the figures are sources.aws.session's CALL_TIMEOUT and MAX_ATTEMPTS, written
        # out so that `--help` does not import boto3; tests/live/test_cli_live.py pins them.
        help="seconds to connect and to wait for each answer, per attempt; a call makes at "
        "most 4 attempts (default: 10)",
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="no progress on standard error (by default a line per region and a count, or a "
        "progress bar on a terminal)",
    )
    add_judging_options(parser)
    add_report_options(parser)
    parser.set_defaults(func=live)

    verify = subparsers.add_parser(
        "verify-evidence",
        parents=[common_options()],
        help="check an evidence bundle against its manifest",
        description="Re-hash every file of an evidence bundle written by `cmkguard live "
        "--evidence` and report any file changed, missing or added, and any finding in "
        "findings.json that the bundle's raw API responses contradict. Exit status 0 when the "
        "bundle is intact, 1 when it is not.",
        formatter_class=HelpFormatter,
    )
    verify.add_argument("directory", type=Path, metavar="DIR", help="the evidence bundle")
    verify.add_argument(
        "--expect-sha256",
        type=_sha256_hex,
        metavar="DIGEST",
        help="the bundle's digest recorded when it was written (printed by `live --evidence`): "
        "the SHA-256 of its SHA256SUMS must be exactly this, so that a bundle edited and "
        "consistently re-hashed is caught",
    )
    verify.set_defaults(func=verify_evidence)


def live(args: argparse.Namespace) -> int:
    """Run ``cmkguard live``."""
    # Imported here: the live scan pulls in boto3.
    from cmkguard.live import LiveOptions, scan_live

    fmt: OutputFormat = args.format
    settings = settings_from(args)
    if args.evidence is not None:
        from cmkguard.evidence import check_target

        # Refuse a wrong DIR now, not after a scan that can take hours.
        check_target(args.evidence)
    bar = fmt is OutputFormat.TEXT and sys.stderr.isatty()
    with _progress(bar=bar, quiet=args.quiet) as (progress, on_region):
        scan = scan_live(
            LiveOptions(
                regions=args.regions,
                profiles=tuple(args.profile),
                role_arns=tuple(args.role_arn),
                org_role=args.org_role,
                concurrency=args.concurrency,
                collect_evidence=args.evidence is not None,
                settings=settings,
                progress=progress,
                on_region=on_region,
                timeout=args.timeout,
                **({} if args.call_timeout is None else {"call_timeout": args.call_timeout}),
            )
        )
    if not args.quiet:
        print(_count_line(scan.result), file=sys.stderr, flush=True)
    digest = None
    if args.evidence is not None:
        from cmkguard.evidence import write_bundle

        # The bundle first, so that the HTML report can show its digest.
        digest = write_bundle(args.evidence, scan, [PROG, *sys.argv[1:]])
        print(
            f"evidence: wrote {clean_line(str(args.evidence))} (sha256 of SHA256SUMS: {digest}; "
            "record it to check the bundle later with verify-evidence --expect-sha256)",
            file=sys.stderr,
        )
    write_report(scan.result, args, evidence_digest=digest)
    return scan.result.exit_code()


@contextlib.contextmanager
def _progress(*, bar: bool, quiet: bool) -> Iterator[tuple[Progress | None, RegionReport | None]]:
    """Progress for people on standard error, unless ``quiet``: a line as each region's listing
    ends (also when stderr is a file or a CI log, where a silent scan looks hung), and on a
    terminal with the text format a bar as well."""
    if quiet:
        yield None, None
        return
    if not bar:
        lock = threading.Lock()

        def line(scope: str, notebooks: int, error: InputError | None) -> None:
            with lock:
                print(_region_line(scope, notebooks, error), file=sys.stderr, flush=True)

        yield None, line
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
    from rich.progress import Progress as Bar

    with Bar(
        TextColumn("scanning"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as shown:
        task = shown.add_task("scan", total=None)

        def update(done: int, total: int) -> None:
            shown.update(task, completed=done, total=total)

        def printed(scope: str, notebooks: int, error: InputError | None) -> None:
            shown.console.print(
                _region_line(scope, notebooks, error), markup=False, highlight=False
            )

        yield update, printed


def _region_line(scope: str, notebooks: int, error: InputError | None) -> str:
    noun = "notebook" if notebooks == 1 else "notebooks"
    state = "" if error is None else ", listing incomplete"
    return f"{PROG}: {clean_line(scope)}: {notebooks} {noun} listed{state}"


def _count_line(result: ScanResult) -> str:
    regions = len(result.inputs)
    errors = len(result.errors)
    incomplete = f", {errors} {'error' if errors == 1 else 'errors'}" if errors else ""
    notebooks = len(result.findings)
    return (
        f"{PROG}: {notebooks} {'notebook' if notebooks == 1 else 'notebooks'} judged in "
        f"{regions} {'region' if regions == 1 else 'regions'}{incomplete}"
    )


def verify_evidence(args: argparse.Namespace) -> int:
    """Run ``cmkguard verify-evidence DIR``: 0 intact, 1 changed/missing/extra files."""
    from cmkguard.evidence.verify import verify_bundle

    report = verify_bundle(args.directory, expect_sha256=args.expect_sha256)
    for line in report.lines():
        print(line)
    return 0 if report.ok else 1
