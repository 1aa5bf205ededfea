"""Configuration references of a plan: which of the references Terraform records are kept.

Addresses themselves are tested in ``tests/unit/test_address.py``."""

from __future__ import annotations

import pytest

from cmkguard.sources.plan.references import collapse


@pytest.mark.parametrize(
    ("references", "kept"),
    [
        (["aws_kms_key.k.arn", "aws_kms_key.k"], ["aws_kms_key.k.arn"]),
        (["aws_kms_key.k[0].arn", "aws_kms_key.k[0]", "aws_kms_key.k"], ["aws_kms_key.k[0].arn"]),
        (["module.keys.key_arn", "module.keys"], ["module.keys.key_arn"]),
        (["var.a", "var.ab"], ["var.a", "var.ab"]),
        (["aws_kms_key.k", "each.key"], ["aws_kms_key.k", "each.key"]),
    ],
)
def test_collapse_drops_restated_prefixes(references: list[str], kept: list[str]) -> None:
    assert collapse(references) == kept
