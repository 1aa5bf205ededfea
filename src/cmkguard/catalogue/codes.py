"""Reason and warning codes of the control: stable identifiers, never renamed, only added."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """Why a notebook is not PASS. ``UNRESOLVED`` is the only reason an UNKNOWN carries."""

    MISSING = "missing"
    EMPTY = "empty"
    AWS_MANAGED_KEY = "aws-managed-key"
    MALFORMED = "malformed"
    CROSS_REGION = "cross-region"
    KEY_NOT_SYMMETRIC = "key-not-symmetric"
    KEY_DISABLED = "key-disabled"
    KEY_POLICY_MISSING_GRANTS = "key-policy-missing-grants"
    KEY_NOT_ALLOWED = "key-not-allowed"
    UNRESOLVED = "unresolved"


class WarningCode(StrEnum):
    """Advisories that never change the verdict (``--strict`` promotes the unverified ones)."""

    DESTRUCTIVE_REPLACEMENT = "destructive-replacement"
    KEY_MANAGER_UNVERIFIED = "key-manager-unverified"
    KEY_PROPERTIES_UNVERIFIED = "key-properties-unverified"
    KEY_POLICY_DELEGATES_TO_IAM = "key-policy-delegates-to-iam"
    KEY_ROTATION_DISABLED = "key-rotation-disabled"
    UNMATCHED_ALIAS = "unmatched-alias"


STRICT_PROMOTED: frozenset[WarningCode] = frozenset(
    {WarningCode.KEY_MANAGER_UNVERIFIED, WarningCode.KEY_PROPERTIES_UNVERIFIED}
)
"""Warnings that ``--strict`` turns into UNKNOWN: the tool could not verify the key itself."""
