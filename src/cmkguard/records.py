"""Raw API exchanges kept as audit evidence. Written by ``sources/aws``, read by ``evidence``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

Json: TypeAlias = str | int | float | bool | list["Json"] | dict[str, "Json"] | None


@dataclass(frozen=True, slots=True)
class ApiRecord:
    """One AWS API call as made: what was asked, what came back (or the error)."""

    account: str
    """Account the call was made in (12 digits; ``unknown`` before the identity is known)."""
    region: str
    """Region the call was sent to."""
    service: str
    """botocore service name, e.g. ``sagemaker``, ``kms``, ``config``, ``cloudtrail``, ``sts``."""
    operation: str
    """API operation name, e.g. ``DescribeNotebookInstance``."""
    request: dict[str, Json]
    """Request parameters (never credentials)."""
    response: Json
    """The response as JSON (datetimes as ISO 8601 strings, ``ResponseMetadata`` dropped);
    ``None`` when the call failed."""
    error: str | None
    """``Code: message`` of a failed call, else ``None``."""
    at: str
    """UTC time of the call, ISO 8601."""
