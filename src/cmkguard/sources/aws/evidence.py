"""Audit evidence calls (``cmkguard live --evidence``): AWS Config evaluation results of the
control's managed rules, and CloudTrail events that set a notebook's key. They are recorded for
the bundle and never change a verdict; a failure is recorded too, and the bundle says so.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from cmkguard.records import Json
from cmkguard.sources.aws.calls import CallError, Recorder, pages
from cmkguard.sources.aws.session import Target

TRAIL_EVENT_NAMES = ("CreateNotebookInstance", "UpdateNotebookInstance")
"""CloudTrail events whose ``requestParameters`` carry ``kmsKeyId``."""

COMPLIANCE_PAGE = 100
TRAIL_PAGE = 50


def collect_region_evidence(
    target: Target, region: str, recorder: Recorder, rule_ids: Sequence[str]
) -> None:
    """Record the Config rules whose managed rule identifier is in ``rule_ids`` (the control's,
    from ``catalogue.mappings``) and their results, and the CloudTrail events, of one region."""
    _config(target, region, recorder, rule_ids)
    _cloudtrail(target, region, recorder)


def _config(target: Target, region: str, recorder: Recorder, rule_ids: Sequence[str]) -> None:
    # Rules are found by their managed rule identifier, since their names are the account's own
    # choice (Security Hub names them securityhub-...-abc123).
    client = target.clients.get("config", region)
    names: list[str] = []
    for page in pages(recorder, target.account, client, "DescribeConfigRules"):
        if isinstance(page, CallError):
            return
        names.extend(_rule_names(page.get("ConfigRules"), rule_ids))
    for name in names:
        _drain(
            pages(
                recorder,
                target.account,
                client,
                "GetComplianceDetailsByConfigRule",
                ConfigRuleName=name,
                Limit=COMPLIANCE_PAGE,
            )
        )


def _rule_names(rules: Json, rule_ids: Sequence[str]) -> list[str]:
    names = []
    for rule in rules if isinstance(rules, list) else []:
        if not isinstance(rule, dict):
            continue
        source = rule.get("Source")
        if (
            isinstance(source, dict)
            and source.get("SourceIdentifier") in rule_ids
            and isinstance(rule.get("ConfigRuleName"), str)
        ):
            names.append(str(rule["ConfigRuleName"]))
    return names


def _cloudtrail(target: Target, region: str, recorder: Recorder) -> None:
    # LookupEvents takes one lookup attribute per call, so each event name is its own listing.
    client = target.clients.get("cloudtrail", region)
    for event_name in TRAIL_EVENT_NAMES:
        _drain(
            pages(
                recorder,
                target.account,
                client,
                "LookupEvents",
                LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": event_name}],
                MaxResults=TRAIL_PAGE,
            )
        )


def _drain(listing: Iterator[object]) -> None:
    # Each page is recorded as it is fetched; an error page ends the listing by itself.
    for _page in listing:
        pass
