"""What the evidence bundle of a live scan holds (``cmkguard live --evidence DIR``), built in
memory and pure: every file as a relative path and its bytes, the manifest and sums included.

``writer.py`` puts it on disk, ``notes.py`` writes the plain-text files for people. The layout is
described in ``docs/evidence.md`` and in the bundle's own ``README.txt``. Nothing here calls AWS:
the live source hands over the ``ApiRecord`` of every call it made.
"""

from __future__ import annotations

import io
import json
import platform
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from importlib import metadata
from typing import Protocol

from cmkguard import __version__
from cmkguard.evidence import manifest as mf
from cmkguard.evidence.layout import README_NAME, TOOL_NAME, record_location
from cmkguard.evidence.notes import config_notes, not_queried_notes, readme
from cmkguard.evidence.scrub import redact_argv, scrub
from cmkguard.findings import ScanResult
from cmkguard.records import ApiRecord, Json
from cmkguard.report import OutputFormat, render


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


def bundle_files(scan: LiveScanLike, argv: Sequence[str], *, created: str) -> dict[str, bytes]:
    """Every file of the bundle, relative path to bytes, including the manifest and sums."""
    files: dict[str, bytes] = {}
    files["findings.json"] = _rendered(scan.result, OutputFormat.JSON)
    files["summary.txt"] = _rendered(scan.result, OutputFormat.TEXT)
    files["run.json"] = mf.pretty_json(_run_document(scan, argv))
    placed = place_records(scan.records)
    for path, record in placed.items():
        files[path] = mf.pretty_json(record_document(record))
    files.update(config_notes(scan.records))
    files.update(not_queried_notes(scan.records))
    files["errors.json"] = mf.pretty_json(_errors_document(scan.result, placed))
    files[README_NAME] = readme(
        scan.result, scan.records, (scan.started_at, scan.finished_at), created
    ).encode("utf-8")
    entries = mf.entries_for(sorted(files.items()))
    manifest = mf.Manifest({"name": TOOL_NAME, "version": __version__}, created, entries)
    files[mf.MANIFEST_NAME] = mf.manifest_bytes(manifest)
    hashes = {path: mf.sha256_hex(data) for path, data in files.items()}
    files[mf.SUMS_NAME] = mf.sums_text(hashes).encode("utf-8")
    return files


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
