"""Make moto's KMS treat ``alias/aws/*`` keys as AWS managed, as real KMS does.

It also gives keys created without ``KeyUsage`` the ``ENCRYPT_DECRYPT`` default real KMS gives.

moto (5.x) creates the keys behind a few reserved ``alias/aws/*`` names lazily, but reports them
with ``KeyManager = CUSTOMER``, and it has no ``alias/aws/sagemaker`` at all. Real KMS creates
the AWS managed key of a service the first time the alias is used (``DescribeKey`` included:
https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html) and reports
``KeyManager = AWS``. The patch below does the same for every ``alias/aws/*`` name, inside the
in-process moto server's backend.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from moto.kms.models import KmsBackend, kms_backends

AWS_ALIAS_PREFIX = "alias/aws/"

_lock = threading.RLock()
_installed = False


def _policy(account: str, region: str, service: str) -> str:
    # The shape of the key policy AWS attaches to an AWS managed key (e.g. aws/sagemaker).
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Id": f"auto-{service}-1",
            "Statement": [
                {
                    "Sid": "Allow access through the service for all principals in the account",
                    "Effect": "Allow",
                    "Principal": {"AWS": "*"},
                    "Action": [
                        "kms:Encrypt",
                        "kms:Decrypt",
                        "kms:ReEncrypt*",
                        "kms:GenerateDataKey*",
                        "kms:CreateGrant",
                        "kms:DescribeKey",
                    ],
                    "Resource": "*",
                    "Condition": {
                        "StringEquals": {
                            "kms:CallerAccount": account,
                            "kms:ViaService": f"{service}.{region}.amazonaws.com",
                        }
                    },
                },
                {
                    "Sid": "Allow direct access to key metadata to the account",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                    "Action": ["kms:Describe*", "kms:Get*", "kms:List*"],
                    "Resource": "*",
                },
            ],
        }
    )


def _create(backend: KmsBackend, alias_name: str) -> str:
    service = alias_name.removeprefix(AWS_ALIAS_PREFIX)
    key = backend.create_key(
        _policy(backend.account_id, backend.region_name, service),
        "ENCRYPT_DECRYPT",
        "SYMMETRIC_DEFAULT",
        f"Default key that protects my {service} resources when no other key is defined",
        None,
    )
    key.key_manager = "AWS"
    backend.create_alias(key.id, alias_name)
    return str(key.id)


def _existing(backend: KmsBackend, alias_name: str) -> str | None:
    for key in backend.keys.values():
        if alias_name in key.aliases:
            return str(key.id)
    return None


def _get_key_id_from_alias(self: KmsBackend, alias_name: str) -> str | None:
    with _lock:
        found = _existing(self, alias_name)
        if found is not None or not alias_name.startswith(AWS_ALIAS_PREFIX):
            return found
        return _create(self, alias_name)


def _generate_default_keys(self: KmsBackend, alias_name: str) -> str | None:
    return _get_key_id_from_alias(self, alias_name)


_moto_create_key = KmsBackend.create_key


def _create_key_with_defaults(
    self: KmsBackend, policy: str | None, key_usage: str | None, *args: Any, **kwargs: Any
) -> Any:
    # Real KMS defaults KeyUsage to ENCRYPT_DECRYPT and always returns it from DescribeKey;
    # moto stores None when the request omits it (the Terraform provider and the AWS CLI do).
    return _moto_create_key(self, policy, key_usage or "ENCRYPT_DECRYPT", *args, **kwargs)


def install() -> None:
    """Patch moto's KMS backend class (idempotent). Affects the whole process's moto."""
    global _installed
    with _lock:
        if _installed:
            return
        patched: Any = KmsBackend
        patched.get_key_id_from_alias = _get_key_id_from_alias
        patched._generate_default_keys = _generate_default_keys
        patched.create_key = _create_key_with_defaults
        _installed = True


def aws_managed_key_arn(account: str, region: str, alias_name: str = "alias/aws/sagemaker") -> str:
    """The ARN of the AWS managed key behind ``alias_name``, creating it as KMS would."""
    install()
    backend: KmsBackend = kms_backends[account][region]
    key_id = _get_key_id_from_alias(backend, alias_name)
    assert key_id is not None
    return str(backend.keys[key_id].arn)
