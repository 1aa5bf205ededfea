"""String functions around references, symbols and unknowns keep what they can (issue 7 item 12)
and nothing more: a key reference stays one only where the text is certainly the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from tfeval import evaluate

from cmkguard.sources.terraform.evaluated import AttrStr, Partial
from cmkguard.values import Known, Ref, Symbol, SymbolicText, Unknown

FILES = {
    "main.tf": """
    data "aws_caller_identity" "me" {}
    variable "x" { type = string }
    resource "aws_kms_key" "k" {}
    resource "aws_kms_alias" "a" {
      name          = "alias/team"
      target_key_id = aws_kms_key.k.key_id
    }
    resource "aws_s3_bucket" "b" {}
    """
}
ME = Symbol.CURRENT_ACCOUNT


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('format("%s", aws_kms_key.k.arn)', Ref("aws_kms_key.k", "arn")),
        ('format("%v", aws_kms_key.k.key_id)', Ref("aws_kms_key.k", "key_id")),
        ("tostring(aws_kms_key.k.id)", Ref("aws_kms_key.k", "id")),
        ("lower(aws_kms_key.k.arn)", Ref("aws_kms_key.k", "arn")),
        ("trimspace(aws_kms_key.k.arn)", Ref("aws_kms_key.k", "arn")),
        ("chomp(aws_kms_key.k.key_id)", Ref("aws_kms_key.k", "key_id")),
        ("basename(aws_kms_key.k.arn)", Ref("aws_kms_key.k", "id")),
        ('split("/", aws_kms_key.k.arn)[1]', Ref("aws_kms_key.k", "id")),
        ('element(split("/", aws_kms_key.k.arn), 1)', Ref("aws_kms_key.k", "id")),
        (
            'lower("ARN:AWS:${data.aws_caller_identity.me.account_id}")',
            SymbolicText(("arn:aws:", ME)),
        ),
        (
            'upper("a:${data.aws_caller_identity.me.account_id}")',
            SymbolicText(("A:", ME)),
        ),
        (
            'trimspace(" x/${data.aws_caller_identity.me.account_id} ")',
            SymbolicText(("x/", ME)),
        ),
        ('basename("a/b:${data.aws_caller_identity.me.account_id}")', SymbolicText(("b:", ME))),
    ],
)
def test_kept(tmp_path: Path, text: str, expected: object) -> None:
    value, _ = evaluate(tmp_path, text, FILES)
    assert isinstance(value, Known)
    assert value.value == expected


@pytest.mark.parametrize(
    "text",
    [
        # The text changes, or may: no reference survives.
        "upper(aws_kms_key.k.arn)",
        'replace(aws_kms_key.k.arn, "key/", "alias/")',
        "lower(aws_kms_alias.a.arn)",
        "lower(aws_s3_bucket.b.arn)",
        'format("%s-x", aws_kms_key.k.arn)',
        'format("%d", aws_kms_key.k.arn)',
        "basename(aws_kms_alias.a.arn)",
        'split("/", aws_kms_key.k.arn)[0]',
        'split(":", aws_kms_key.k.arn)[5]',
        'split("/", aws_kms_alias.a.arn)[1]',
        'basename("${aws_kms_key.k.arn}/")',
        'basename("a/${aws_s3_bucket.b.id}")',
    ],
)
def test_not_kept(tmp_path: Path, text: str) -> None:
    value, _ = evaluate(tmp_path, text, FILES)
    assert isinstance(value, Unknown)


def test_lower_keeps_literal_text_around_a_hole(tmp_path: Path) -> None:
    value, _ = evaluate(tmp_path, 'lower("ALIAS/AWS/${var.x}")', FILES)
    assert isinstance(value, Partial)
    assert value.parts[0] == "alias/aws/"
    assert "var.x has no value" in value.why


def test_unknown_names_its_cause_not_the_function(tmp_path: Path) -> None:
    value, _ = evaluate(tmp_path, "basename(lower(var.x))", FILES)
    assert isinstance(value, Unknown)
    assert value.why.startswith("var.x has no value")
    value, _ = evaluate(tmp_path, "yamldecode(var.x)", FILES)
    assert isinstance(value, Unknown)
    assert value.why.startswith("var.x has no value")
    assert "yamldecode() is not evaluated" in value.why


def test_unchanged_text_keeps_its_argument(tmp_path: Path) -> None:
    value, _ = evaluate(tmp_path, "lower(aws_kms_alias.a.name)", FILES)
    assert isinstance(value, Known)
    assert isinstance(value.value, AttrStr)
    assert value.value.ref == Ref("aws_kms_alias.a", "name")
    value, _ = evaluate(tmp_path, "upper(aws_kms_alias.a.name)", FILES)
    assert isinstance(value, Known)
    assert value.value == "ALIAS/TEAM"
    assert not isinstance(value.value, AttrStr)
