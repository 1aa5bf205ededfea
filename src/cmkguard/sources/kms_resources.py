"""What Terraform's AWS provider says about KMS resources, shared by the Terraform source and the
plan/state source so that both read keys the same way.

Which resource and data types are keys and aliases, which of their attributes name the key, the
provider's defaults, and the states the provider leaves a key in.
"""

from __future__ import annotations

from cmkguard.kms import ENCRYPT_DECRYPT, SYMMETRIC_DEFAULT

KEY = "aws_kms_key"
"""A customer managed key with KMS-generated material."""
REPLICA_KEY = "aws_kms_replica_key"
"""A multi-Region replica: spec, usage and rotation are its primary key's."""
EXTERNAL_KEY = "aws_kms_external_key"
"""A key with imported material; without material it stays ``PendingImport``."""
KEY_TYPES = frozenset({KEY, REPLICA_KEY, EXTERNAL_KEY})
"""Managed resource types that create a KMS key."""

ALIAS = "aws_kms_alias"
"""An alias, as a managed resource or a data source."""
KEY_POLICY = "aws_kms_key_policy"
"""A key policy set apart from its key; it wins over the key's own ``policy``."""

KEY_ATTRIBUTES = frozenset({"arn", "key_id", "id"})
"""Attributes of a key resource that identify the key."""
ALIAS_ATTRIBUTES = frozenset({"arn", "id", "name", "target_key_arn", "target_key_id"})
"""Attributes of an alias resource that lead to its key: its own names and its target's."""
ALIAS_TEXTS = ("arn", "name", "id", "target_key_arn")
"""Attributes of an alias whose recorded value, written as text elsewhere, names the alias."""

DATA_LOOKUPS = {
    KEY: ("key_id", frozenset({"arn", "id", "key_id"})),
    ALIAS: ("name", ALIAS_ATTRIBUTES),
}
"""KMS data sources: the argument each looks its key up by, and the attributes that name it."""

ROTATION_ARGUMENT = "enable_key_rotation"
"""Only ``aws_kms_key`` rotates; the provider's default is off."""
KEY_MATERIAL_ARGUMENT = "key_material_base64"
"""The material of an external key; the key is usable only once it is imported."""
PRIMARY_ARGUMENT = "primary_key_arn"
"""The primary key of a replica key."""
POLICY_ARGUMENT = "policy"
"""A key's own policy; unset means the AWS default key policy."""
POLICY_KEY_ARGUMENT = "key_id"
"""The key an ``aws_kms_key_policy`` applies to."""

PENDING_IMPORT = "PendingImport"
"""The ``KeyState`` of an external key whose material has not been imported."""


def spec_argument(resource_type: str) -> str:
    """The argument holding the key spec (defaults to ``SYMMETRIC_DEFAULT``)."""
    return "customer_master_key_spec" if resource_type == KEY else "key_spec"


USAGE_ARGUMENT = "key_usage"
"""The argument holding the key usage (defaults to ``ENCRYPT_DECRYPT``)."""

SPEC_DEFAULT = SYMMETRIC_DEFAULT
USAGE_DEFAULT = ENCRYPT_DECRYPT


def enabled_argument(resource_type: str) -> str:
    """The boolean argument that enables the key (defaults to true)."""
    return "is_enabled" if resource_type == KEY else "enabled"


def state_of(enabled: bool) -> str:
    """The ``KeyState`` the provider leaves a key in for its enabled flag."""
    return "Enabled" if enabled else "Disabled"
