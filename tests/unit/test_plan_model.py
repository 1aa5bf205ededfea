"""Plan addresses and configuration references: the grammar the plan loader relies on."""

from __future__ import annotations

import pytest

from cmkguard.sources.plan.model import Address, format_key, parse_address
from cmkguard.sources.plan.references import collapse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("aws_kms_key.k", Address((), "managed", "aws_kms_key", "k", None)),
        ("aws_kms_key.k[0]", Address((), "managed", "aws_kms_key", "k", 0)),
        ('aws_kms_key.k["a.b"]', Address((), "managed", "aws_kms_key", "k", "a.b")),
        ("data.aws_kms_alias.sm", Address((), "data", "aws_kms_alias", "sm", None)),
        (
            'module.team["alpha"].aws_sagemaker_notebook_instance.this',
            Address(
                (("team", "alpha"),), "managed", "aws_sagemaker_notebook_instance", "this", None
            ),
        ),
        (
            "module.a[1].module.b.data.aws_kms_key.k",
            Address((("a", 1), ("b", None)), "data", "aws_kms_key", "k", None),
        ),
        (
            'module.x["q\\"uote"].aws_x.y',
            Address((("x", 'q"uote'),), "managed", "aws_x", "y", None),
        ),
    ],
)
def test_parse_address(text: str, expected: Address) -> None:
    parsed = parse_address(text)
    assert parsed == expected
    assert str(parsed) == text


@pytest.mark.parametrize(
    "text", ["", "aws_kms_key", "module.a", "module.a.b", "aws_kms_key.k[", "aws_kms_key.k.arn"]
)
def test_parse_address_rejects(text: str) -> None:
    assert parse_address(text) is None


@pytest.mark.parametrize(("key", "text"), [(None, ""), (0, "[0]"), ("a", '["a"]')])
def test_format_key(key: int | str | None, text: str) -> None:
    assert format_key(key) == text


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
