"""Which regions of an account to scan.

``all`` means the regions where SageMaker is available (botocore's endpoint data for the
account's partition) and that are enabled for the account: ``account:ListRegions`` with
``ENABLED``/``ENABLED_BY_DEFAULT``, or ``ec2:DescribeRegions`` (which lists only enabled regions)
when the Account API is refused or unavailable.
"""

from __future__ import annotations

from typing import Literal

from cmkguard.errors import InputError
from cmkguard.records import Json
from cmkguard.sources.aws.calls import CallError, Recorder, call, pages
from cmkguard.sources.aws.session import Target

RegionChoice = tuple[str, ...] | Literal["all"] | None
"""Regions as asked: a list, ``"all"``, or ``None`` for the session's own region."""


def resolve_regions(
    target: Target, choice: RegionChoice, recorder: Recorder
) -> tuple[tuple[str, ...], list[InputError]]:
    """The regions to scan in ``target``, and any error deciding them.

    When the enabled regions cannot be listed at all, every region where SageMaker is available
    is scanned and the failure is an error: the regions that are in fact disabled then fail
    loudly instead of being skipped in silence.
    """
    scope = f"aws:{target.account}"
    if choice is None:
        region = target.clients.session.region_name
        if not region:
            return (), [
                InputError(
                    scope,
                    None,
                    f"{target.source}: no region configured; pass --regions or set AWS_REGION "
                    "(or the profile's region)",
                )
            ]
        return (region,), []
    if choice != "all":
        return tuple(dict.fromkeys(choice)), []
    available = target.clients.session.get_available_regions(
        "sagemaker", partition_name=target.partition
    )
    enabled = _enabled_regions(target, recorder)
    if isinstance(enabled, CallError):
        return tuple(available), [
            InputError(
                scope,
                None,
                f"cannot list the enabled regions ({enabled}); scanning every region where "
                "SageMaker is available",
            )
        ]
    return tuple(r for r in available if r in enabled), []


def _enabled_regions(target: Target, recorder: Recorder) -> frozenset[str] | CallError:
    found: set[str] = set()
    for page in pages(
        recorder,
        target.account,
        target.clients.get("account"),
        "ListRegions",
        RegionOptStatusContains=["ENABLED", "ENABLED_BY_DEFAULT"],
        MaxResults=50,
    ):
        if isinstance(page, CallError):
            return _ec2_regions(target, recorder)
        found.update(_names(page.get("Regions"), "RegionName"))
    return frozenset(found)


def _ec2_regions(target: Target, recorder: Recorder) -> frozenset[str] | CallError:
    answer = call(recorder, target.account, target.clients.get("ec2"), "DescribeRegions")
    if isinstance(answer, CallError):
        return answer
    return frozenset(_names(answer.get("Regions"), "RegionName"))


def _names(items: Json, field: str) -> list[str]:
    if not isinstance(items, list):
        return []
    return [str(i[field]) for i in items if isinstance(i, dict) and isinstance(i.get(field), str)]
