"""Where each API record goes in the bundle, and how names from AWS become safe file names.

``NAMING`` is the one table of per-operation file naming; an operation not in it is still
written, numbered ``call-0001`` in its folder.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from cmkguard.catalogue.mappings import CONFIG_RULE_IDS
from cmkguard.kms import KeyIdKind, parse_key_identifier
from cmkguard.records import ApiRecord, Json

TOOL_NAME: Final = "cmkguard"
"""The writer named in the manifest, ``run.json`` and the README."""

README_NAME: Final = "README.txt"
"""The auditor's guide at the bundle root."""

GLOBAL_REGION: Final = "global"
"""The region folder of calls to global services (STS identity, Organizations)."""

GLOBAL_SERVICES: Final = frozenset({"sts", "organizations", "iam", "account"})
"""Services whose calls are filed under ``global`` whatever endpoint region answered."""

RULE_IDS: Final = CONFIG_RULE_IDS
"""The AWS Config managed rules of this control (``Source.SourceIdentifier``)."""

_SAFE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$")
_UNSAFE_RUN = re.compile(r"[^A-Za-z0-9._-]+")
# NOTE: Windows refuses these device names as a file or folder name whatever the case and
# whatever follows the first dot (``con.json``, ``NUL.txt``), and drops a trailing dot; see
# https://learn.microsoft.com/windows/win32/fileio/naming-a-file#naming-conventions
_WINDOWS_RESERVED = re.compile(
    r"^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\.|$)",
    re.IGNORECASE,
)


def safe_component(name: str) -> str:
    """``name`` as one safe path component.

    Names of letters, digits, ``.``, ``_`` and ``-`` (not starting with ``.`` or ``-``, not
    ending with ``.``, at most 100 characters, and no Windows device name such as ``con`` or
    ``com1.json``) are kept. Others keep a readable form with unsafe runs replaced by ``_``, then
    ``~`` and 12 hex digits of the SHA-256 of the original, so that two names never share a
    file; with nothing readable left, the hash alone.
    """
    if _SAFE.match(name) and not name.endswith(".") and not _WINDOWS_RESERVED.match(name):
        return name
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    readable = _UNSAFE_RUN.sub("_", name).strip("._-")[:60]
    if _WINDOWS_RESERVED.match(readable):
        readable = f"_{readable}"  # ``com1.json~HASH`` would still be the device ``com1``
    return f"{readable}~{digest}" if readable else digest


@dataclass(frozen=True, slots=True)
class Naming:
    """How the files of one operation are named."""

    label: Callable[[Mapping[str, Json]], str | None] | None = None
    """Names the object the call is about, from its request."""
    paged: bool = False
    """Calls are pages of a listing: numbered ``page-0001`` (after the label, if any)."""
    single: bool = False
    """One file named after the operation, in the service folder (``sts/GetCallerIdentity``)."""


def _field(name: str) -> Callable[[Mapping[str, Json]], str | None]:
    def label(request: Mapping[str, Json]) -> str | None:
        value = request.get(name)
        return value if isinstance(value, str) and value else None

    return label


def _key_label(request: Mapping[str, Json]) -> str | None:
    """The bare key ID of a key ARN (the key's folder already names region and account);
    other identifiers as given."""
    key = request.get("KeyId")
    if not isinstance(key, str) or not key:
        return None
    parsed = parse_key_identifier(key)
    if parsed.kind is KeyIdKind.KEY_ARN and parsed.key_id is not None:
        return parsed.key_id
    return key


def _event_name(request: Mapping[str, Json]) -> str | None:
    attributes = request.get("LookupAttributes")
    for attribute in attributes if isinstance(attributes, list) else []:
        if (
            isinstance(attribute, dict)
            and attribute.get("AttributeKey") == "EventName"
            and isinstance(attribute.get("AttributeValue"), str)
        ):
            return str(attribute["AttributeValue"])
    return None


NAMING: Mapping[tuple[str, str], Naming] = MappingProxyType(
    {
        ("sagemaker", "ListNotebookInstances"): Naming(paged=True),
        ("sagemaker", "DescribeNotebookInstance"): Naming(label=_field("NotebookInstanceName")),
        ("kms", "DescribeKey"): Naming(label=_key_label),
        ("kms", "GetKeyPolicy"): Naming(label=_key_label),
        ("kms", "GetKeyRotationStatus"): Naming(label=_key_label),
        ("kms", "ListAliases"): Naming(paged=True),
        ("config", "DescribeConfigRules"): Naming(paged=True),
        ("config", "GetComplianceDetailsByConfigRule"): Naming(
            label=_field("ConfigRuleName"), paged=True
        ),
        ("cloudtrail", "LookupEvents"): Naming(label=_event_name, paged=True),
        ("sts", "GetCallerIdentity"): Naming(single=True),
        ("sts", "AssumeRole"): Naming(label=_field("RoleArn")),
        ("organizations", "ListAccounts"): Naming(paged=True),
        ("account", "ListRegions"): Naming(paged=True),
        ("ec2", "DescribeRegions"): Naming(single=True),
    }
)
"""File naming per (service, operation)."""


def region_component(record: ApiRecord) -> str:
    """The region folder of ``record``: ``global`` for global services."""
    return GLOBAL_REGION if record.service in GLOBAL_SERVICES else safe_component(record.region)


UNKNOWN_ACCOUNT: Final = "unknown"
"""``ApiRecord.account`` of calls made before the caller's account is known."""

_ROLE_ACCOUNT = re.compile(r"^arn:[a-z-]+:iam::(\d{12}):role/")


def filing_account(record: ApiRecord) -> str:
    """The account folder of ``record``.

    The identity calls are made before the account is known (recorded as ``unknown``): the
    ``GetCallerIdentity`` answer names its account, and an ``AssumeRole`` is filed under the
    account of the role it enters, since that is the account it gives evidence about.
    """
    if record.account != UNKNOWN_ACCOUNT or record.service != "sts":
        return record.account
    if record.operation == "GetCallerIdentity" and isinstance(record.response, dict):
        account = record.response.get("Account")
        if isinstance(account, str) and account:
            return account
    if record.operation == "AssumeRole":
        role = record.request.get("RoleArn")
        match = _ROLE_ACCOUNT.match(role) if isinstance(role, str) else None
        if match:
            return match[1]
    return record.account


def record_location(record: ApiRecord) -> tuple[str, str, bool]:
    """(folder, file stem, paged) for ``record``; paged stems get ``-0001`` ... appended."""
    base = "/".join(
        (
            "api",
            safe_component(filing_account(record)),
            region_component(record),
            safe_component(record.service),
        )
    )
    naming = NAMING.get((record.service, record.operation))
    operation = safe_component(record.operation)
    if naming is not None and naming.single:
        return base, operation, False
    folder = f"{base}/{operation}"
    if naming is None:
        return folder, "call", True
    label = naming.label(record.request) if naming.label is not None else None
    if naming.paged:
        return folder, f"{safe_component(label)}-page" if label else "page", True
    if label is None:
        return folder, "call", True
    return folder, safe_component(label), False
