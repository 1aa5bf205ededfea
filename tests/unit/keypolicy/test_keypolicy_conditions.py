"""Condition operators against a request context, as IAM evaluates them (table-driven)."""

from __future__ import annotations

import pytest

from cmkguard.keypolicy.conditions import RequestContext, evaluate_condition
from cmkguard.keypolicy.matching import Match, glob_match
from cmkguard.values import Data, Ref, Symbol, SymbolicText, Unknown

ACCT = "111122223333"
CURRENT = SymbolicText((Symbol.CURRENT_ACCOUNT,))
VIA = "sagemaker.eu-west-1.amazonaws.com"
ROLE = f"arn:aws:iam::{ACCT}:role/notebook"
ROLE_REF = Ref("aws_iam_role.nb", "arn")
NOTEBOOK = f"arn:aws:sagemaker:eu-west-1:{ACCT}:notebook-instance/nb"

CONTEXT = RequestContext(
    {
        "kms:ViaService": (VIA,),
        "kms:CallerAccount": (ACCT,),
        "aws:SourceAccount": (ACCT,),
        "aws:SourceArn": (NOTEBOOK,),
        "aws:PrincipalArn": (ROLE,),
        "kms:GrantIsForAWSResource": ("true",),
        "aws:PrincipalServiceName": (),
        "aws:MultiFactorAuthAge": ("300",),
    },
    description="the test request",
)
SYMBOLIC = RequestContext(
    {"kms:CallerAccount": (CURRENT,), "aws:PrincipalArn": (ROLE_REF,)},
    description="a symbolic request",
)
YES, NO, MAYBE = Match.YES, Match.NO, Match.MAYBE

# (id, condition, expected) against CONTEXT
CASES: list[tuple[str, Data, Match]] = [
    ("no condition", None, YES),
    ("empty condition", {}, YES),
    # String operators
    ("StringEquals", {"StringEquals": {"kms:ViaService": VIA}}, YES),
    ("StringEquals key case", {"StringEquals": {"KMS:VIASERVICE": VIA}}, YES),
    ("StringEquals value case", {"StringEquals": {"kms:ViaService": VIA.upper()}}, NO),
    ("StringEquals other", {"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}}, NO),
    ("values are ORed", {"StringEquals": {"kms:ViaService": ["s3.x", VIA]}}, YES),
    ("StringNotEquals", {"StringNotEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}}, YES),
    ("StringNotEquals same", {"StringNotEquals": {"kms:ViaService": VIA}}, NO),
    ("StringNotEquals any of", {"StringNotEquals": {"kms:ViaService": ["s3.x", VIA]}}, NO),
    ("IgnoreCase", {"StringEqualsIgnoreCase": {"kms:ViaService": VIA.upper()}}, YES),
    ("NotEqualsIgnoreCase", {"StringNotEqualsIgnoreCase": {"kms:ViaService": VIA.upper()}}, NO),
    ("StringLike", {"StringLike": {"kms:ViaService": "sagemaker.*.amazonaws.com"}}, YES),
    ("StringLike ?", {"StringLike": {"kms:ViaService": "sagemaker.eu-west-?.amazonaws.com"}}, YES),
    ("StringLike case", {"StringLike": {"kms:ViaService": "SageMaker.*"}}, NO),
    ("StringNotLike", {"StringNotLike": {"kms:ViaService": "s3.*"}}, YES),
    ("StringNotLike sagemaker", {"StringNotLike": {"kms:ViaService": "sagemaker.*"}}, NO),
    ("brackets are literal", {"StringLike": {"kms:ViaService": "[s]agemaker.*"}}, NO),
    # Keys and operators are ANDed
    (
        "keys ANDed, both hold",
        {"StringEquals": {"kms:ViaService": VIA, "kms:CallerAccount": ACCT}},
        YES,
    ),
    (
        "keys ANDed, one fails",
        {"StringEquals": {"kms:ViaService": VIA, "kms:CallerAccount": "444455556666"}},
        NO,
    ),
    (
        "operators ANDed",
        {"StringEquals": {"kms:ViaService": VIA}, "Bool": {"kms:GrantIsForAWSResource": "false"}},
        NO,
    ),
    (
        "a false clause decides over an unknown one",
        {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}, "StringEquals": {"kms:ViaService": "x"}},
        NO,
    ),
    # Absent keys
    ("absent key", {"StringEquals": {"aws:PrincipalServiceName": "x"}}, NO),
    ("absent key negated", {"StringNotEquals": {"aws:PrincipalServiceName": "x"}}, YES),
    ("absent key IfExists", {"StringEqualsIfExists": {"aws:PrincipalServiceName": "x"}}, YES),
    ("present key IfExists", {"StringEqualsIfExists": {"kms:ViaService": "s3.x"}}, NO),
    ("Null true on absent", {"Null": {"aws:PrincipalServiceName": "true"}}, YES),
    ("Null false on absent", {"Null": {"aws:PrincipalServiceName": "false"}}, NO),
    ("Null false on present", {"Null": {"kms:ViaService": "false"}}, YES),
    ("Null true on present", {"Null": {"kms:ViaService": True}}, NO),
    ("Null on unknown key", {"Null": {"aws:SourceIp": "true"}}, MAYBE),
    # Set qualifiers
    ("ForAnyValue", {"ForAnyValue:StringLike": {"kms:ViaService": "sagemaker.*"}}, YES),
    ("ForAnyValue absent", {"ForAnyValue:StringEquals": {"aws:PrincipalServiceName": "x"}}, NO),
    ("ForAllValues", {"ForAllValues:StringEquals": {"kms:ViaService": [VIA, "x"]}}, YES),
    ("ForAllValues other", {"ForAllValues:StringEquals": {"kms:ViaService": "x"}}, NO),
    ("ForAllValues absent", {"ForAllValues:StringEquals": {"aws:PrincipalServiceName": "x"}}, YES),
    (
        "ForAnyValue negated",
        {"ForAnyValue:StringNotLike": {"kms:ViaService": "sagemaker.*"}},
        NO,
    ),
    # Bool and Numeric
    ("Bool true", {"Bool": {"kms:GrantIsForAWSResource": "true"}}, YES),
    ("Bool JSON true", {"Bool": {"kms:GrantIsForAWSResource": True}}, YES),
    ("Bool case", {"Bool": {"kms:GrantIsForAWSResource": "TRUE"}}, YES),
    ("Bool false", {"Bool": {"kms:GrantIsForAWSResource": "false"}}, NO),
    ("Bool absent", {"Bool": {"aws:PrincipalServiceName": "true"}}, NO),
    ("Numeric", {"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}, YES),
    ("Numeric JSON number", {"NumericGreaterThan": {"aws:MultiFactorAuthAge": 3600}}, NO),
    ("NumericNotEquals", {"NumericNotEquals": {"aws:MultiFactorAuthAge": "300"}}, NO),
    ("Numeric on text", {"NumericEquals": {"kms:ViaService": "1"}}, MAYBE),
    # ARN operators
    ("ArnEquals", {"ArnEquals": {"aws:SourceArn": NOTEBOOK}}, YES),
    ("ArnLike", {"ArnLike": {"aws:SourceArn": "arn:aws:sagemaker:*:*:notebook-instance/*"}}, YES),
    ("ArnLike other", {"ArnLike": {"aws:SourceArn": "arn:aws:sagemaker:*:*:training-job/*"}}, NO),
    ("ArnLike is case-sensitive", {"ArnLike": {"aws:SourceArn": NOTEBOOK.upper()}}, NO),
    ("ArnNotLike", {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/other"}}, YES),
    ("ArnLike on a non-ARN pattern", {"ArnLike": {"aws:SourceArn": "*:notebook"}}, NO),
    # Unknown: keys outside the context, operators not modelled, unknown values
    ("other key", {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, MAYBE),
    ("other key StringEquals", {"StringEquals": {"aws:PrincipalTag/team": "ml"}}, MAYBE),
    ("negated other key", {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}, MAYBE),
    ("date operator", {"DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}, MAYBE),
    ("unknown operator", {"StringSounds": {"kms:ViaService": VIA}}, MAYBE),
    ("NullIfExists is not an operator", {"NullIfExists": {"kms:ViaService": "true"}}, MAYBE),
    ("unknown value", {"StringEquals": {"kms:ViaService": Unknown("var.via")}}, MAYBE),
    ("unknown value among known", {"StringEquals": {"kms:ViaService": [Unknown("v"), VIA]}}, YES),
    ("value after apply", {"StringEquals": {"kms:ViaService": Ref("x.y", "z")}}, MAYBE),
    ("unknown block", {"StringEquals": Unknown("local.block")}, MAYBE),
    ("unknown condition", Unknown("var.condition"), MAYBE),
    ("condition after apply", Ref("data.x.y", "json"), MAYBE),
    ("policy variable", {"StringEquals": {"aws:PrincipalArn": "${aws:username}"}}, MAYBE),
    ("empty value list", {"StringEquals": {"kms:ViaService": []}}, MAYBE),
    ("non-string value", {"StringEquals": {"kms:ViaService": {"a": 1}}}, MAYBE),
]


@pytest.mark.parametrize(
    ("condition", "expected"), [pytest.param(c, e, id=name) for name, c, e in CASES]
)
def test_condition(condition: Data, expected: Match) -> None:
    assert evaluate_condition(condition, CONTEXT).match is expected


# Symbolic values: the current account is one definite account; a reference one definite ARN.
SYMBOLIC_CASES: list[tuple[str, Data, Match]] = [
    ("same symbol", {"StringEquals": {"kms:CallerAccount": CURRENT}}, YES),
    ("symbol vs number", {"StringEquals": {"kms:CallerAccount": ACCT}}, MAYBE),
    ("negated symbol vs number", {"StringNotEquals": {"kms:CallerAccount": ACCT}}, MAYBE),
    ("negated same symbol", {"StringNotEquals": {"kms:CallerAccount": CURRENT}}, NO),
    # fool: the placeholder the symbol once was, written literally, is text and not the symbol
    ("literal old marker", {"StringEquals": {"kms:CallerAccount": "<current-account>"}}, MAYBE),
    (
        "negated literal old marker",
        {"StringNotEquals": {"kms:CallerAccount": "<current-account>"}},
        MAYBE,
    ),
    ("symbol under a wildcard", {"StringLike": {"kms:CallerAccount": "1111*"}}, MAYBE),
    ("star covers the symbol", {"StringLike": {"kms:CallerAccount": "*"}}, YES),
    ("same reference", {"ArnEquals": {"aws:PrincipalArn": ROLE_REF}}, YES),
    ("reference vs literal", {"ArnEquals": {"aws:PrincipalArn": ROLE}}, MAYBE),
    ("other reference", {"ArnEquals": {"aws:PrincipalArn": Ref("aws_iam_role.x", "arn")}}, MAYBE),
    ("star covers the reference", {"ArnLike": {"aws:PrincipalArn": "*"}}, YES),
]


@pytest.mark.parametrize(
    ("condition", "expected"), [pytest.param(c, e, id=name) for name, c, e in SYMBOLIC_CASES]
)
def test_symbolic_condition(condition: Data, expected: Match) -> None:
    assert evaluate_condition(condition, SYMBOLIC).match is expected


@pytest.mark.parametrize(
    ("condition", "fragment"),
    [
        (
            {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
            'its Condition IpAddress {"aws:SourceIp": "10.0.0.0/8"} cannot be decided: '
            "aws:SourceIp is not known for the test request",
        ),
        (
            {"StringEquals": {"kms:ViaService": Unknown("var.via has no value")}},
            "var.via has no value",
        ),
        ({"StringSounds": {"kms:ViaService": "x"}}, "uses an operator not modelled"),
        (Unknown("var.condition has no value"), "var.condition has no value"),
    ],
)
def test_undecided_condition_is_named(condition: Data, fragment: str) -> None:
    result = evaluate_condition(condition, CONTEXT)
    assert result.match is MAYBE
    assert result.why is not None
    assert fragment in result.why


def test_decided_condition_has_no_why() -> None:
    assert evaluate_condition({"StringEquals": {"kms:ViaService": VIA}}, CONTEXT).why is None


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("*", "anything", True),
        ("a?c", "abc", True),
        ("a?c", "abbc", False),
        ("a*", "A", False),
        ("[ab]", "a", False),
        ("[ab]", "[ab]", True),
        ("a.c", "abc", False),
    ],
)
def test_glob(pattern: str, text: str, expected: bool) -> None:
    assert glob_match(pattern, text) is expected
