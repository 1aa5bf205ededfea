"""The plain-text files of the evidence bundle that speak to people: ``README.txt``, and the
notes saying where the control's AWS Config rules are absent or a service was not queried (a
missing folder must not read as "nothing to show")."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from cmkguard import __version__
from cmkguard.evidence.layout import (
    GLOBAL_REGION,
    RULE_IDS,
    TOOL_NAME,
    filing_account,
    region_component,
    safe_component,
)
from cmkguard.findings import ScanResult
from cmkguard.records import ApiRecord, Json
from cmkguard.report.explain import control_identity
from cmkguard.report.json import FORMAT_VERSION


def config_notes(records: Sequence[ApiRecord]) -> dict[str, bytes]:
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


def not_queried_notes(records: Sequence[ApiRecord]) -> dict[str, bytes]:
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


def readme(
    result: ScanResult, records: Sequence[ApiRecord], ran: tuple[str, str], created: str
) -> str:
    """``README.txt``: the control's identity (from the catalogue), the scan, every kind of file
    and how to verify the hashes."""
    summary = result.summary
    started_at, finished_at = ran
    scopes = sorted({(filing_account(r), region_component(r)) for r in records})
    scanned = "".join(f"  account {a}, region {r}\n" for a, r in scopes) or "  (no API calls)\n"
    return f"""\
cmkguard evidence bundle
========================

{control_identity()}
Written {created} by {TOOL_NAME} {__version__}; scan ran {started_at} to {finished_at}.
Findings: {summary.total} notebooks, {summary.passed} PASS, {summary.failed} FAIL,
{summary.unknown} UNKNOWN; {summary.errors} scan errors.

Account/region pairs with API calls:
{scanned}
Files
-----
README.txt     this file.
findings.json  the verdict on every notebook (the JSON report, format_version {FORMAT_VERSION}).
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
