"""Parsing key policy documents: accepted shapes, unknown parts, and malformed documents."""

from __future__ import annotations

import json

import pytest

from cmkguard.keypolicy.document import (
    PolicyDocument,
    PolicyError,
    PrincipalEntry,
    Statement,
    default_key_policy,
    parse_policy,
)
from cmkguard.values import Data, Ref, Symbol, SymbolicText, Unknown

CURRENT = Symbol.CURRENT_ACCOUNT

ACCT = "111122223333"
ROLE = f"arn:aws:iam::{ACCT}:role/notebook"


def stmt(**elements: Data) -> dict[str, Data]:
    base: dict[str, Data] = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "kms:*",
        "Resource": "*",
    }
    base.update(elements)
    return {k: v for k, v in base.items() if v != "<absent>"}


def one(statement: Data) -> Statement:
    doc = parse_policy({"Version": "2012-10-17", "Statement": [statement]})
    assert isinstance(doc, PolicyDocument)
    (parsed,) = doc.statements
    return parsed


def test_full_statement() -> None:
    s = one(
        stmt(
            Sid="AllowUse",
            Principal={"AWS": [ROLE, ACCT], "Service": "sagemaker.amazonaws.com"},
            Action=["kms:Decrypt", "kms:GenerateDataKey*"],
            Condition={"StringEquals": {"kms:ViaService": "sagemaker.eu-west-1.amazonaws.com"}},
        )
    )
    assert s.index == 1
    assert s.sid == "AllowUse"
    assert s.label == 'statement 1 ("AllowUse")'
    assert s.effect == "Allow"
    assert s.actions == ("kms:Decrypt", "kms:GenerateDataKey*")
    assert s.not_actions is None
    assert s.principals == (
        PrincipalEntry("AWS", ROLE),
        PrincipalEntry("AWS", ACCT),
        PrincipalEntry("Service", "sagemaker.amazonaws.com"),
    )
    assert s.not_principals is None
    assert s.conditional
    assert s.resources == ("*",)


def test_single_statement_object_and_no_sid() -> None:
    doc = parse_policy({"Statement": stmt()})
    assert isinstance(doc, PolicyDocument)
    assert doc.statements[0].label == "statement 1"
    assert doc.statements[0].sid is None


@pytest.mark.parametrize(
    ("principal", "wildcard"),
    [
        ("*", True),
        ({"AWS": "*"}, True),
        ({"AWS": ["*"]}, True),
        ({"AWS": ROLE}, False),
        ({"Service": "*"}, False),
    ],
)
def test_wildcard_principals(principal: Data, wildcard: bool) -> None:
    entries = one(stmt(Principal=principal)).principals
    assert entries is not None
    entry = entries[0]
    assert isinstance(entry, PrincipalEntry)
    assert entry.is_wildcard is wildcard


@pytest.mark.parametrize("condition", [None, {}, "<absent>"], ids=["null", "empty", "absent"])
def test_no_condition(condition: Data) -> None:
    assert not one(stmt(Condition=condition)).conditional


@pytest.mark.parametrize(
    "condition",
    [{"Bool": {"aws:SecureTransport": "true"}}, Unknown("var.cond"), Ref("local.c", "x")],
)
def test_condition_present_or_possibly(condition: Data) -> None:
    assert one(stmt(Condition=condition)).conditional


def test_unknown_parts_are_kept_in_place() -> None:
    why = Unknown("var.actions has no value")
    s = one(
        stmt(
            Effect=Unknown("var.effect"),
            Action=["kms:Decrypt", why],
            Principal={"AWS": [Ref("aws_iam_role.nb", "arn"), Unknown("var.p")]},
        )
    )
    assert s.effect == Unknown("var.effect")
    assert s.actions == ("kms:Decrypt", why)
    assert s.principals == (
        PrincipalEntry("AWS", Ref("aws_iam_role.nb", "arn")),
        PrincipalEntry("AWS", Unknown("var.p")),
    )


def test_reference_as_action_or_effect_is_unknown() -> None:
    s = one(stmt(Effect=Ref("local.x", "effect"), Action=Ref("local.x", "action")))
    assert isinstance(s.effect, Unknown)
    assert "local.x.effect" in s.effect.why
    assert s.actions is not None
    assert isinstance(s.actions[0], Unknown)


@pytest.mark.parametrize(
    "policy", [Unknown("var.policy has no value"), Ref("aws_iam_policy_document.p", "json")]
)
def test_whole_policy_unknown(policy: Data) -> None:
    result = parse_policy(policy)
    assert isinstance(result, Unknown)


@pytest.mark.parametrize("statements", [Unknown("dynamic"), [stmt(), Unknown("dynamic")]])
def test_unknown_statements_become_unknown_statements(statements: Data) -> None:
    doc = parse_policy({"Statement": statements})
    assert isinstance(doc, PolicyDocument)
    last = doc.statements[-1]
    assert isinstance(last.effect, Unknown)
    assert last.actions == (last.effect,)
    assert last.principals == (last.effect,)


def test_json_string_input() -> None:
    text = json.dumps({"Version": "2012-10-17", "Statement": [stmt(Sid="A")]})
    doc = parse_policy(text)
    assert isinstance(doc, PolicyDocument)
    assert doc.statements[0].sid == "A"


def test_default_key_policy() -> None:
    doc = default_key_policy(CURRENT)
    (s,) = doc.statements
    assert s.effect == "Allow"
    assert s.actions == ("kms:*",)
    assert s.resources == ("*",)
    assert s.principals == (
        PrincipalEntry("AWS", SymbolicText(("arn:aws:iam::", CURRENT, ":root"))),
    )
    gov = default_key_policy(ACCT, partition="aws-us-gov").statements[0]
    assert gov.principals == (PrincipalEntry("AWS", f"arn:aws-us-gov:iam::{ACCT}:root"),)


MALFORMED: list[tuple[Data, str]] = [
    ("{not json", "the policy is not valid JSON: Expecting property name"),
    ("", "the policy is not valid JSON: Expecting value (line 1, column 1)"),
    ('"a string"', "the policy must be a JSON object, not a string"),
    ([], "the policy must be a JSON object, not a list"),
    (None, "the policy must be a JSON object, not null"),
    ({}, "the policy has no Statement"),
    ({"Version": "2012-10-17"}, "the policy has no Statement"),
    ({"Statement": [], "Extra": 1}, "the policy has an unknown element 'Extra'"),
    ({"Version": "2020-01-01", "Statement": []}, "Version must be 2012-10-17"),
    ({"Statement": "*"}, "Statement must be an object or a list, not a string"),
    ({"Statement": ["x"]}, "statement 1 must be a JSON object, not a string"),
    (
        {"Statement": [stmt(), stmt(Effect="allow")]},
        'statement 2: Effect must be "Allow" or "Deny", not "allow"',
    ),
    ({"Statement": [stmt(Effect="<absent>")]}, "statement 1 has no Effect"),
    ({"Statement": [stmt(NotAction="kms:*")]}, "statement 1 has both Action and NotAction"),
    ({"Statement": [stmt(Action="<absent>")]}, "statement 1 has neither Action nor NotAction"),
    ({"Statement": [stmt(NotPrincipal="*")]}, "statement 1 has both Principal and NotPrincipal"),
    (
        {"Statement": [stmt(Principal="<absent>")]},
        "statement 1 has neither Principal nor NotPrincipal",
    ),
    (
        {"Statement": [stmt(Resource="<absent>")]},
        "statement 1 has neither Resource nor NotResource",
    ),
    (
        {"Statement": [stmt(Action=7)]},
        "statement 1 Action must be a string or a list of strings, not a number",
    ),
    ({"Statement": [stmt(Action=["kms:Decrypt", None])]}, "not null"),
    ({"Statement": [stmt(Principal=ROLE)]}, 'statement 1 Principal must be "*" or an object'),
    ({"Statement": [stmt(Principal={"IAM": ROLE})]}, "unknown principal type 'IAM'"),
    (
        {"Statement": [stmt(Principal={"AWS": 1})]},
        "statement 1 Principal AWS values must be strings",
    ),
    ({"Statement": [stmt(Actions="kms:*")]}, "statement 1 has an unknown element 'Actions'"),
    (
        {"Statement": [stmt(Condition="x")]},
        "statement 1: Condition must be an object, not a string",
    ),
    ({"Statement": [stmt(Sid=3)]}, "statement 1: Sid must be a string, not a number"),
]


@pytest.mark.parametrize(("data", "message"), MALFORMED)
def test_malformed_documents(data: Data, message: str) -> None:
    with pytest.raises(PolicyError) as info:
        parse_policy(data)
    text = str(info.value)
    assert message in text
    assert "\n" not in text


def test_malformed_json_string_statement() -> None:
    with pytest.raises(PolicyError, match="statement 1 has no Effect"):
        parse_policy('{"Statement": {"Action": "kms:*", "Principal": "*", "Resource": "*"}}')
