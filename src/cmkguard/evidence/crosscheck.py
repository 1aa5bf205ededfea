"""Does ``findings.json`` agree with the raw API responses of its own bundle?

Hashes prove that files are the ones listed, not that the listed verdicts follow from the listed
evidence: an edited ``findings.json`` re-hashed with its manifest verifies. This check reads the
bundle as an auditor would and reports every finding the responses contradict:

- every notebook the responses name (``ListNotebookInstances`` pages, successful
  ``DescribeNotebookInstance`` answers) has exactly one finding, and every finding names a
  notebook the responses show: nothing dropped, nothing invented, nothing twice;
- a ``PASS`` rests on a ``DescribeNotebookInstance`` answer with a ``KmsKeyId``, a
  ``DescribeKey`` answer for that identifier in the notebook's account showing a customer
  managed, enabled, ``SYMMETRIC_DEFAULT`` / ``ENCRYPT_DECRYPT`` key in the notebook's region,
  and an answered ``GetKeyPolicy`` for that key;
- the summary counts are those of the finding list.

The key policy is not re-evaluated here: its verdict depends on settings (deployer principals)
that the bundle does not hold. The check reads JSON only and never follows a symbolic link.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from cmkguard.evidence.manifest import read_nofollow
from cmkguard.kms import parse_key_identifier
from cmkguard.records import Json

FINDINGS_NAME: Final = "findings.json"
"""The JSON report inside the bundle."""

MAX_READ: Final = 64 * 1024 * 1024
"""Largest bundle file read for the cross-check; a bigger one is reported, not read."""

_CUSTOMER_KEY: Final = {
    "KeyManager": "CUSTOMER",
    "KeyState": "Enabled",
    "KeyUsage": "ENCRYPT_DECRYPT",
}


@dataclass(slots=True)
class _Evidence:
    """What the raw responses of a bundle show, indexed for the findings."""

    listed: set[str] = field(default_factory=set)
    """Notebook ARNs of ``ListNotebookInstances`` pages."""
    described: dict[str, tuple[str, str, Json]] = field(default_factory=dict)
    """Notebook ARN to (account, region, ``KmsKeyId``) of successful descriptions."""
    keys: dict[tuple[str, str], Mapping[str, Json]] = field(default_factory=dict)
    """(account, identifier as asked) to the ``KeyMetadata`` answered."""
    policies: set[tuple[str, str]] = field(default_factory=set)
    """(account, key ARN) of answered ``GetKeyPolicy`` calls."""


def cross_check(root: Path, files: Mapping[str, str]) -> list[str]:
    """Contradictions between ``findings.json`` and the API records, one sentence each.

    ``files`` maps the bundle's relative paths to their kind (``file``, ``symlink`` ...), as
    ``manifest.walk_tree`` found them; only regular files are read.
    """
    problems: list[str] = []
    report = _read_json(root, FINDINGS_NAME, files, problems)
    if report is None:
        return problems
    findings = _findings(report)
    if findings is None:
        return [f"{FINDINGS_NAME} is not a cmkguard JSON report"]
    evidence = _Evidence()
    for path in sorted(files):
        if path.startswith("api/") and path.endswith(".json"):
            record = _read_json(root, path, files, problems)
            if isinstance(record, dict):
                _index(record, evidence)
    problems.extend(_coverage(findings, evidence))
    problems.extend(_passes_backed(findings, evidence))
    problems.extend(_summary(report, findings))
    return problems


def _read_json(root: Path, path: str, files: Mapping[str, str], problems: list[str]) -> Json | None:
    if files.get(path) != "file":
        problems.append(f"{path} is missing or not a regular file")
        return None
    try:
        data = read_nofollow(root / path, MAX_READ)
    except OSError as exc:
        problems.append(f"{path} cannot be read: {exc.strerror or exc}")
        return None
    if data is None:
        problems.append(f"{path} is larger than {MAX_READ} bytes and was not cross-checked")
        return None
    try:
        value: Json = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        problems.append(f"{path} is not JSON")
        return None
    return value


def _findings(report: Json) -> list[dict[str, Json]] | None:
    if not isinstance(report, dict) or not isinstance(report.get("findings"), list):
        return None
    items = report["findings"]
    assert isinstance(items, list)  # noqa: S101  # narrowed just above; mypy cannot see it
    if not all(isinstance(item, dict) and isinstance(item.get("address"), str) for item in items):
        return None
    return [item for item in items if isinstance(item, dict)]


def _index(record: dict[str, Json], evidence: _Evidence) -> None:
    """Add one record file's successful answer to ``evidence``."""
    account, region = str(record.get("account")), str(record.get("region"))
    operation, response = record.get("operation"), record.get("response")
    request = record.get("request")
    if record.get("error") is not None or not isinstance(response, dict):
        return
    if operation == "ListNotebookInstances":
        for item in _dicts(response.get("NotebookInstances")):
            if isinstance(item.get("NotebookInstanceArn"), str):
                evidence.listed.add(str(item["NotebookInstanceArn"]))
    elif operation == "DescribeNotebookInstance" and isinstance(
        response.get("NotebookInstanceArn"), str
    ):
        arn = str(response["NotebookInstanceArn"])
        evidence.described[arn] = (account, region, response.get("KmsKeyId"))
    elif operation == "DescribeKey" and isinstance(request, dict):
        metadata = response.get("KeyMetadata")
        if isinstance(request.get("KeyId"), str) and isinstance(metadata, dict):
            evidence.keys[(account, str(request["KeyId"]))] = metadata
    elif (
        operation == "GetKeyPolicy"
        and isinstance(request, dict)
        and isinstance(response.get("Policy"), str)
        and isinstance(request.get("KeyId"), str)
    ):
        evidence.policies.add((account, str(request["KeyId"])))


def _dicts(value: Json) -> Iterator[dict[str, Json]]:
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict):
            yield item


def _coverage(findings: list[dict[str, Json]], evidence: _Evidence) -> Iterator[str]:
    """Each notebook of the responses has one finding; each finding is such a notebook."""
    counts = Counter(str(f["address"]) for f in findings)
    for address, count in sorted(counts.items()):
        if count > 1:
            yield f"{FINDINGS_NAME} has {count} findings for {address}"
        if address not in evidence.listed and address not in evidence.described:
            yield f"{FINDINGS_NAME} has a finding for {address}, which no API response names"
    for address in sorted((evidence.listed | evidence.described.keys()) - counts.keys()):
        yield f"{address} is in the API responses but has no finding in {FINDINGS_NAME}"


def _passes_backed(findings: list[dict[str, Json]], evidence: _Evidence) -> Iterator[str]:
    for finding in findings:
        if finding.get("status") == "PASS":
            address = str(finding["address"])
            why = _pass_gap(address, evidence)
            if why is not None:
                yield f"{FINDINGS_NAME} says PASS for {address}, but {why}"


def _pass_gap(address: str, evidence: _Evidence) -> str | None:
    """Why the responses do not support a PASS for ``address``; ``None`` when they do."""
    described = evidence.described.get(address)
    if described is None:
        return "no successful DescribeNotebookInstance shows it"
    account, region, key_text = described
    if not isinstance(key_text, str) or not key_text:
        return "DescribeNotebookInstance shows no KmsKeyId"
    metadata = evidence.keys.get((account, key_text))
    if metadata is None:
        return f"no successful DescribeKey of {key_text} in account {account}"
    for name, wanted in _CUSTOMER_KEY.items():
        if metadata.get(name) != wanted:
            return f"DescribeKey of {key_text} shows {name} {metadata.get(name)!r}"
    spec = metadata.get("KeySpec", metadata.get("CustomerMasterKeySpec"))
    if spec != "SYMMETRIC_DEFAULT":
        return f"DescribeKey of {key_text} shows KeySpec {spec!r}"
    key_arn = metadata.get("Arn")
    if not isinstance(key_arn, str) or parse_key_identifier(key_arn).region != region:
        return f"DescribeKey of {key_text} shows key {key_arn!r}, not a key in {region}"
    if (account, key_arn) not in evidence.policies:
        return f"no successful GetKeyPolicy of {key_arn}"
    return None


def _summary(report: Json, findings: list[dict[str, Json]]) -> Iterator[str]:
    summary = report.get("summary") if isinstance(report, dict) else None
    if not isinstance(summary, dict):
        yield f"{FINDINGS_NAME} has no summary"
        return
    statuses = Counter(f.get("status") for f in findings)
    expected = {
        "total": len(findings),
        "passed": statuses["PASS"],
        "failed": statuses["FAIL"],
        "unknown": statuses["UNKNOWN"],
    }
    for name, count in expected.items():
        if summary.get(name) != count:
            yield f"{FINDINGS_NAME} summary says {name} {summary.get(name)!r}, its findings {count}"
