"""Where this control stands among other tools and frameworks (``shared/control.md``,
"Identity and mappings").

Frozen data only: reports, ``explain`` and the docs render it, nothing here decides a verdict.
"""

from __future__ import annotations

from dataclasses import dataclass

CONTROL_ID = "sagemaker_notebook_instance_encrypted_with_kms_cmk"
"""The control's identifier, carried by every finding."""

CONTROL_TITLE = "SageMaker notebook instances encrypted with a customer managed KMS key"
"""The control in words."""


@dataclass(frozen=True, slots=True)
class ToolMapping:
    """A check in another tool that covers the same ground as this control."""

    system: str
    """The tool or service, e.g. ``Checkov``."""
    identifier: str
    """Its identifier for the check, e.g. ``CKV_AWS_22``."""
    note: str | None = None
    """A few words on how it differs in form (trigger, parameters), if any."""


@dataclass(frozen=True, slots=True)
class FrameworkReference:
    """A compliance framework requirement that the published mappings tie to the presence rule."""

    framework: str
    """The framework and its version, e.g. ``NIST SP 800-53 Rev. 5``."""
    identifier: str
    """The requirement within it, e.g. ``SC-28(1)``."""
    note: str | None = None
    """Who maps it, when it is not the common set."""


TOOL_MAPPINGS: tuple[ToolMapping, ...] = (
    ToolMapping(
        "AWS Config managed rule",
        "SAGEMAKER_NOTEBOOK_INSTANCE_KMS_KEY_CONFIGURED",
        "periodic, optional kmsKeyArns allow-list",
    ),
    ToolMapping(
        "AWS Config managed rule",
        "SAGEMAKER_NOTEBOOK_INSTANCE_STORAGE_VOL_KMS_ENCRYPTED",
        "change-triggered",
    ),
    ToolMapping("AWS Security Hub", "SageMaker.21"),
    ToolMapping("Checkov", "CKV_AWS_22"),
    ToolMapping("Checkov", "CKV_AWS_187"),
    ToolMapping("Powerpipe", f"aws_compliance.control.{CONTROL_ID}"),
    ToolMapping("Prowler", "sagemaker_notebook_instance_encryption_enabled"),
    ToolMapping("KICS", "f3674e0c-f6be-43fa-b71c-bf346d1aed99"),
)
"""Other tools' checks for the same resource, in the order of ``shared/control.md``."""

CONFIG_RULE_IDS: tuple[str, ...] = tuple(
    m.identifier for m in TOOL_MAPPINGS if m.system == "AWS Config managed rule"
)
"""The AWS Config managed rules of this control (``Source.SourceIdentifier``)."""

FRAMEWORK_LABEL = "published for the presence rule"
"""How every framework reference must be labelled: the frameworks were mapped to the weaker
"some key is set" rule by the tools above, not to cmkguard's stricter control."""

_R5 = "NIST SP 800-53 Rev. 5"
_AWS_ALSO = "also mapped by AWS"

FRAMEWORK_REFERENCES: tuple[FrameworkReference, ...] = (
    FrameworkReference(_R5, "SC-13"),
    FrameworkReference(_R5, "SC-28(1)"),
    FrameworkReference(_R5, "AU-9(3)", _AWS_ALSO),
    FrameworkReference(_R5, "CP-9d", _AWS_ALSO),
    FrameworkReference(_R5, "SC-8(3)", _AWS_ALSO),
    FrameworkReference(_R5, "SC-8(4)", _AWS_ALSO),
    FrameworkReference(_R5, "SI-19(4)", _AWS_ALSO),
    FrameworkReference("NIST SP 800-53 Rev. 4", "SC-13"),
    FrameworkReference("NIST SP 800-53 Rev. 4", "SC-28"),
    FrameworkReference("FedRAMP Moderate", "SC-13"),
    FrameworkReference("FedRAMP Moderate", "SC-28"),
    FrameworkReference("NIST SP 800-171", "3.13.16"),
    FrameworkReference("NIST CSF", "PR.DS-1"),
    FrameworkReference("HIPAA", "164.312(a)(2)(iv)"),
    FrameworkReference("HIPAA", "164.312(e)(2)(ii)"),
    FrameworkReference("PCI DSS 3.2.1", "3.4"),
    FrameworkReference("CIS Controls v8", "3.11"),
)
"""Framework requirements, each to be shown with ``FRAMEWORK_LABEL``."""

STRICTER_THAN_INCUMBENTS = (
    "Every other tool listed here checks only that some KMS key is set on the notebook "
    "(Powerpipe also joins on the key ARN only). cmkguard is stricter: the key must be "
    "customer managed, enabled, symmetric and in the notebook's region, and its key policy "
    "must let the notebook use it; anything it cannot verify is UNKNOWN, never PASS. One "
    "exception, always flagged: a key named by a literal key ID, key ARN or alias (or looked "
    "up by a data source) that the scanned input does not define PASSes with the "
    "key-manager-unverified / key-properties-unverified warnings, since a static scan cannot "
    "see it; --strict makes those UNKNOWN, and --resolve-keys (or cmkguard live) checks the "
    "key itself."
)
"""The sentence ``explain`` prints after the mappings."""
