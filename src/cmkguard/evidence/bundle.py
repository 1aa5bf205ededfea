"""Write the auditor's evidence bundle of a live scan (``cmkguard live --evidence DIR``).

The bundle is built in memory (``bundle_files``, pure), then written into a fresh staging
directory next to ``DIR`` and renamed into place, so that an interrupted run never leaves half a
bundle and a previous bundle is replaced whole. The layout is described in ``docs/evidence.md``
and in the bundle's own ``README.txt``.

Nothing here calls AWS: the live source hands over the ``ApiRecord`` of every call it made.
"""

from __future__ import annotations

import io
import json
import os
import platform
import secrets
import shutil
import stat
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Final, Protocol

from cmkguard import __version__
from cmkguard.errors import UsageError
from cmkguard.evidence import manifest as mf
from cmkguard.evidence.layout import (
    GLOBAL_REGION,
    README_NAME,
    RULE_IDS,
    filing_account,
    record_location,
    region_component,
    safe_component,
)
from cmkguard.evidence.scrub import redact_argv, scrub
from cmkguard.findings import ScanResult
from cmkguard.records import ApiRecord, Json
from cmkguard.report import OutputFormat, render

TOOL_NAME: Final = "cmkguard"


class LiveScanLike(Protocol):
    """What the bundle needs from a live scan (``cmkguard.live.LiveScan`` has these)."""

    @property
    def result(self) -> ScanResult:
        """The findings and errors of the scan."""

    @property
    def records(self) -> Sequence[ApiRecord]:
        """Every AWS API call made, in the order made (pages of one listing in page order)."""

    @property
    def identities(self) -> Sequence[Mapping[str, object]]:
        """``GetCallerIdentity`` outputs (``UserId``, ``Account``, ``Arn``), one per account."""

    @property
    def started_at(self) -> str:
        """UTC start of the scan, ISO 8601."""

    @property
    def finished_at(self) -> str:
        """UTC end of the scan, ISO 8601."""


def write_bundle(
    directory: Path, scan: LiveScanLike, argv: Sequence[str], *, created: str | None = None
) -> None:
    """Write the evidence bundle of ``scan`` into ``directory``.

    ``directory`` must be absent, empty, or a previous cmkguard bundle (which is replaced whole);
    anything else raises ``UsageError`` and nothing is written. ``created`` fixes the manifest
    time (tests); by default it is now.
    """
    target = Path(os.path.abspath(directory))
    try:
        _check_target(target)
        files = bundle_files(scan, argv, created=created or _now())
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = _write_staging(target, files)
        try:
            _swap_into_place(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    except OSError as exc:
        # A disk that refuses the bundle is the user's to fix, not an internal error.
        where = exc.filename or target
        raise UsageError(f"{where}: cannot write evidence: {exc.strerror or exc}") from None


def bundle_files(scan: LiveScanLike, argv: Sequence[str], *, created: str) -> dict[str, bytes]:
    """Every file of the bundle, relative path to bytes, including the manifest and sums."""
    files: dict[str, bytes] = {}
    files["findings.json"] = _rendered(scan.result, OutputFormat.JSON)
    files["summary.txt"] = _rendered(scan.result, OutputFormat.TEXT)
    files["run.json"] = mf.pretty_json(_run_document(scan, argv))
    placed = place_records(scan.records)
    for path, record in placed.items():
        files[path] = mf.pretty_json(record_document(record))
    files.update(_config_notes(scan.records))
    files.update(_not_queried_notes(scan.records))
    files["errors.json"] = mf.pretty_json(_errors_document(scan.result, placed))
    files[README_NAME] = _readme(scan, created).encode("utf-8")
    entries = mf.entries_for(sorted(files.items()))
    manifest = mf.Manifest({"name": TOOL_NAME, "version": __version__}, created, entries)
    files[mf.MANIFEST_NAME] = mf.manifest_bytes(manifest)
    hashes = {path: mf.sha256_hex(data) for path, data in files.items()}
    files[mf.SUMS_NAME] = mf.sums_text(hashes).encode("utf-8")
    return files


def bundle_digest(directory: Path) -> str:
    """SHA-256 of the bundle's ``SHA256SUMS``: one value that pins the whole bundle.

    Record it somewhere the bundle's holder cannot edit (a ticket, a signed message) so that a
    consistent re-hash of edited files cannot pass unnoticed.
    """
    return mf.hash_file_nofollow(directory / mf.SUMS_NAME).sha256


# --- records -------------------------------------------------------------------------------


def place_records(records: Iterable[ApiRecord]) -> dict[str, ApiRecord]:
    """Give every record its file path under ``api/``, in record order.

    Paginated calls are numbered per listing (``page-0001``); calls about one object are named
    after it; a repeated name gets ``-2``, ``-3``. Every component is sanitised.
    """
    placed: dict[str, ApiRecord] = {}
    # NOTE: compared case-folded, so that the bundle unpacks intact on case-insensitive
    # file systems (macOS, Windows) too.
    taken: set[str] = set()
    pages: defaultdict[tuple[str, str], int] = defaultdict(int)
    for record in records:
        folder, stem, paged = record_location(record)
        if paged:
            pages[(folder, stem)] += 1
            stem = f"{stem}-{pages[(folder, stem)]:04d}"
        path = f"{folder}/{stem}.json"
        repeat = 1
        while path.casefold() in taken:
            repeat += 1
            path = f"{folder}/{stem}-{repeat}.json"
        taken.add(path.casefold())
        placed[path] = record
    return placed


def record_document(record: ApiRecord) -> dict[str, Json]:
    """The content of one record file: the call as made, with credentials dropped and
    CloudTrail event strings parsed so that ``requestParameters.kmsKeyId`` is readable."""
    response = record.response
    if record.service == "cloudtrail" and record.operation == "LookupEvents":
        response = _parse_cloudtrail_events(response)
    return {
        "account": record.account,
        "region": record.region,
        "service": record.service,
        "operation": record.operation,
        "request": scrub(dict(record.request)),
        "response": scrub(response),
        "error": record.error,
        "at": record.at,
    }


def _parse_cloudtrail_events(response: Json) -> Json:
    if not isinstance(response, dict) or not isinstance(response.get("Events"), list):
        return response
    events: list[Json] = []
    for event in response["Events"]:  # type: ignore[union-attr]  # checked just above
        if isinstance(event, dict) and isinstance(event.get("CloudTrailEvent"), str):
            try:
                parsed: Json = json.loads(str(event["CloudTrailEvent"]))
            except json.JSONDecodeError:
                parsed = event["CloudTrailEvent"]
            event = {**event, "CloudTrailEvent": parsed}
        events.append(event)
    return {**response, "Events": events}


def _config_notes(records: Sequence[ApiRecord]) -> dict[str, bytes]:
    """``config/RULES-NOT-PRESENT.txt`` (or ``RULES-NOT-DETERMINED.txt``) per account/region
    whose ``DescribeConfigRules`` shows one of the control's managed rules absent."""
    found: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    failures: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    for record in records:
        if (record.service, record.operation) != ("config", "DescribeConfigRules"):
            continue
        scope = (record.account, record.region)
        found.setdefault(scope, set())  # a listing with no rules still marks the region queried
        if record.error is not None:
            # NOTE: asking for rules by name answers NoSuchConfigRuleException when one is absent;
            # that is an answer ("not present"), not a failure to find out.
            if not record.error.startswith("NoSuchConfigRuleException"):
                failures[scope].append(record.error)
            continue
        found[scope].update(_managed_rule_ids(record.response))
    notes: dict[str, bytes] = {}
    for (account, region), present in found.items():
        folder = f"api/{safe_component(account)}/{safe_component(region)}/config"
        if failures[(account, region)]:
            text = (
                f"Whether the AWS Config rules of this control exist in account {account}, "
                f"region {region}, could not be determined: DescribeConfigRules failed.\n"
                + "".join(f"  {error}\n" for error in failures[(account, region)])
                + "Rules checked for:\n"
                + "".join(f"  {rule}\n" for rule in RULE_IDS)
            )
            notes[f"{folder}/RULES-NOT-DETERMINED.txt"] = text.encode("utf-8")
            continue
        absent = [rule for rule in RULE_IDS if rule not in present]
        if absent:
            text = (
                f"AWS Config rules NOT PRESENT in account {account}, region {region}:\n"
                + "".join(f"  {rule}\n" for rule in absent)
                + "DescribeConfigRules (see the files beside this one) lists no rule with this\n"
                "managed rule identifier, so AWS Config holds no evaluation results for it here.\n"
            )
            notes[f"{folder}/RULES-NOT-PRESENT.txt"] = text.encode("utf-8")
    return notes


def _managed_rule_ids(response: Json) -> set[str]:
    ids: set[str] = set()
    rules = response.get("ConfigRules") if isinstance(response, dict) else None
    for rule in rules if isinstance(rules, list) else []:
        source = rule.get("Source") if isinstance(rule, dict) else None
        if isinstance(source, dict) and isinstance(source.get("SourceIdentifier"), str):
            ids.add(str(source["SourceIdentifier"]))
    return ids


def _not_queried_notes(records: Sequence[ApiRecord]) -> dict[str, bytes]:
    """Say so where a scanned region has no Config or CloudTrail calls at all: a missing folder
    must not read as "nothing to show"."""
    services: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    for record in records:
        if region_component(record) != GLOBAL_REGION:
            services[(record.account, record.region)].add(record.service)
    notes: dict[str, bytes] = {}
    for (account, region), seen in services.items():
        if "sagemaker" not in seen:
            continue
        for service, what in (
            ("config", "AWS Config rules and evaluation results"),
            ("cloudtrail", "CloudTrail CreateNotebookInstance/UpdateNotebookInstance events"),
        ):
            if service not in seen:
                path = f"api/{safe_component(account)}/{safe_component(region)}/{service}"
                text = f"{what} were not queried in account {account}, region {region}.\n"
                notes[f"{path}/NOT-QUERIED.txt"] = text.encode("utf-8")
    return notes


# --- run, errors, findings, README ---------------------------------------------------------


def _run_document(scan: LiveScanLike, argv: Sequence[str]) -> dict[str, Json]:
    try:
        botocore: str | None = metadata.version("botocore")
    except metadata.PackageNotFoundError:
        botocore = None
    return {
        "tool": {"name": TOOL_NAME, "version": __version__},
        "argv": list(redact_argv(argv)),
        "started_at": scan.started_at,
        "finished_at": scan.finished_at,
        "identities": [scrub(_json_mapping(identity)) for identity in scan.identities],
        "scanned": list(scan.result.inputs),
        "runtime": {
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "botocore": botocore,
        },
    }


def _json_mapping(value: Mapping[str, object]) -> Json:
    return {str(k): _to_json(v) for k, v in value.items()}


def _to_json(value: object) -> Json:
    """Plain JSON for identity values; anything else (a datetime, say) becomes its ``str``."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [_to_json(item) for item in value]
    if isinstance(value, Mapping):
        return {str(k): _to_json(v) for k, v in value.items()}
    return str(value)


def _errors_document(result: ScanResult, placed: Mapping[str, ApiRecord]) -> dict[str, Json]:
    return {
        "failed_calls": [
            {
                "file": path,
                "account": record.account,
                "region": record.region,
                "service": record.service,
                "operation": record.operation,
                "error": record.error,
                "at": record.at,
            }
            for path, record in sorted(placed.items())
            if record.error is not None
        ],
        "scan_errors": [
            {"path": error.path, "line": error.line, "message": error.message}
            for error in result.errors
        ],
    }


def _rendered(result: ScanResult, fmt: OutputFormat) -> bytes:
    out = io.StringIO()
    render(result, fmt, out, color=False)
    return out.getvalue().encode("utf-8")


def _readme(scan: LiveScanLike, created: str) -> str:
    summary = scan.result.summary
    scopes = sorted({(filing_account(r), region_component(r)) for r in scan.records})
    scanned = "".join(f"  account {a}, region {r}\n" for a, r in scopes) or "  (no API calls)\n"
    return f"""\
cmkguard evidence bundle
========================

Control: SageMaker notebook instances encrypted with a customer managed KMS key
(sagemaker_notebook_instance_encrypted_with_kms_cmk; AWS Config
SAGEMAKER_NOTEBOOK_INSTANCE_KMS_KEY_CONFIGURED, Security Hub SageMaker.21).

Written {created} by {TOOL_NAME} {__version__}; scan ran {scan.started_at} to {scan.finished_at}.
Findings: {summary.total} notebooks, {summary.passed} PASS, {summary.failed} FAIL,
{summary.unknown} UNKNOWN; {summary.errors} scan errors.

Account/region pairs with API calls:
{scanned}
Files
-----
README.txt     this file.
findings.json  the verdict on every notebook (cmkguard JSON report, format_version 1).
summary.txt    the same findings as a report for people.
run.json       tool version, command line, scan start/end, the caller identities used
               (STS GetCallerIdentity) and the Python/botocore versions.
errors.json    every API call that failed (with its file under api/) and every scan error
               (a region or account that could not be listed).
api/ACCOUNT/REGION/SERVICE/OPERATION/NAME.json
               every AWS API call made, one file each: "request", "response" (as AWS
               returned it, ResponseMetadata dropped), "error" ("Code: message" when the call
               failed), "at" (UTC time), and account/region/service/operation.
               sagemaker/ListNotebookInstances/page-0001.json ...   the notebook listing
               sagemaker/DescribeNotebookInstance/NOTEBOOK.json     each notebook (KmsKeyId)
               kms/DescribeKey/KEY.json                              each key (KeyManager,
                                                                     KeyState, KeySpec)
               kms/GetKeyPolicy/KEY.json                             each key's policy
               config/DescribeConfigRules/page-0001.json ...         the account's Config rules
               config/GetComplianceDetailsByConfigRule/RULE-page-0001.json ...
                                                                     Config evaluation results
               config/RULES-NOT-PRESENT.txt    the control's Config rules absent in that region
               config/RULES-NOT-DETERMINED.txt the rule listing failed there
               cloudtrail/LookupEvents/CreateNotebookInstance-page-0001.json ... and
               UpdateNotebookInstance-page-0001.json: CloudTrail events; each CloudTrailEvent
               is stored parsed (AWS returns it as a JSON string) so requestParameters.kmsKeyId
               is readable.
               SERVICE/NOT-QUERIED.txt         that service was not asked in that region.
api/ACCOUNT/global/sts/GetCallerIdentity.json        who made the calls.
manifest.json  SHA-256 and size of every file above (canonical JSON, format
               cmkguard-evidence/1).
SHA256SUMS     SHA-256 of every file including manifest.json.

Names that are not plain letters, digits, '.', '_' and '-' are shown with unsafe characters
replaced by '_' and followed by '~' and the first 12 hex digits of the SHA-256 of the
original name; the original is inside the file ("request").

Credentials are never written: any request or response field whose name looks like a secret
(SecretAccessKey, SessionToken, Credentials, passwords, tokens other than NextToken) is
dropped, and so are the values of command-line flags named like secrets or tokens.

Verifying
---------
    cd THIS-DIRECTORY && sha256sum -c SHA256SUMS
or
    cmkguard verify-evidence THIS-DIRECTORY

Both report any changed or missing file; verify-evidence also reports files that are not
listed and checks that manifest.json and SHA256SUMS agree. The hashes show the files are
unchanged since the bundle was written, not who wrote it: keep the SHA-256 of SHA256SUMS
(`sha256sum SHA256SUMS`) where the holder of the bundle cannot change it, or sign SHA256SUMS.
"""


# --- writing safely ------------------------------------------------------------------------


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _check_target(target: Path) -> None:
    """Refuse anything but a missing or empty directory or a previous bundle."""
    cwd = Path.cwd()
    if target == cwd or target in cwd.parents:
        # The bundle is swapped in by renaming; renaming the working directory away would leave
        # the shell that ran us in a deleted folder.
        raise UsageError(f"{target}: is the current directory or holds it; name a new folder")
    try:
        info = target.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise UsageError(f"{target}: evidence directory is a symbolic link; give the real path")
    if not stat.S_ISDIR(info.st_mode):
        raise UsageError(f"{target}: exists and is not a directory")
    if not any(target.iterdir()):
        return
    problem = _previous_bundle_problem(target)
    if problem is not None:
        raise UsageError(
            f"{target}: not empty and not a cmkguard evidence bundle ({problem}); "
            "choose a new or empty directory"
        )


def _previous_bundle_problem(target: Path) -> str | None:
    """Why ``target`` is not a previous bundle we may delete, or ``None`` when it is.

    Every file must be one the old manifest lists (or the manifest and sums themselves), so that
    replacing a bundle can never delete a file someone put there.
    """
    manifest_path = target / mf.MANIFEST_NAME
    if not manifest_path.is_file() or manifest_path.is_symlink():
        return f"no {mf.MANIFEST_NAME}"
    try:
        old = mf.parse_manifest(manifest_path.read_bytes())
    except (OSError, mf.ManifestError) as exc:
        return str(exc)
    expected = {*old.files, mf.MANIFEST_NAME, mf.SUMS_NAME}
    for relpath, kind in mf.walk_tree(target):
        if kind != "file":
            return f"{relpath!r} is a {kind}"
        if relpath not in expected:
            return f"{relpath!r} is not listed in its manifest"
    return None


def _write_staging(target: Path, files: Mapping[str, bytes]) -> Path:
    staging = target.parent / f".{target.name}.cmkguard-new-{secrets.token_hex(6)}"
    staging.mkdir()  # fails if it exists: we only ever write into a directory we just made
    try:
        for relpath, data in files.items():
            if not mf.is_safe_relpath(relpath):
                raise ValueError(f"unsafe bundle path {relpath!r}")  # a bug, never input
            _write_new_file(staging, relpath, data)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _write_new_file(root: Path, relpath: str, data: bytes) -> None:
    """Create ``root/relpath`` (and its folders) without following any symbolic link."""
    folder = root
    for part in relpath.split("/")[:-1]:
        folder = folder / part
        try:
            folder.mkdir()
        except FileExistsError:
            if not stat.S_ISDIR(folder.lstat().st_mode):
                raise
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(root / relpath, flags, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _swap_into_place(staging: Path, target: Path) -> None:
    if not target.exists():
        staging.rename(target)
        return
    old = target.parent / f".{target.name}.cmkguard-old-{secrets.token_hex(6)}"
    target.rename(old)
    try:
        staging.rename(target)
    except BaseException:
        old.rename(target)
        raise
    shutil.rmtree(old)


__all__ = [
    "LiveScanLike",
    "bundle_digest",
    "bundle_files",
    "place_records",
    "record_document",
    "write_bundle",
]
