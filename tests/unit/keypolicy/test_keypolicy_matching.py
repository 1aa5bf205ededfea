"""Action wildcard grammar and three-valued principal matching."""

from __future__ import annotations

import pytest

from cmkguard.keypolicy.document import PrincipalEntry
from cmkguard.keypolicy.matching import (
    AccountPrincipal,
    ArnPrincipal,
    Candidate,
    Match,
    ServicePrincipal,
    account_of,
    action_match,
    action_matches,
    principal_match,
)
from cmkguard.kms import PARTITIONS
from cmkguard.values import Ref, Symbol, SymbolicText, Unknown

CURRENT = Symbol.CURRENT_ACCOUNT
PARTITION = Symbol.CURRENT_PARTITION

ACCT = "111122223333"
OTHER = "444455556666"
ROLE = f"arn:aws:iam::{ACCT}:role/notebook"
SM = ServicePrincipal("sagemaker.amazonaws.com")
ROLE_REF = Ref("aws_iam_role.nb", "arn")


@pytest.mark.parametrize(
    ("pattern", "action"),
    [
        ("kms:Decrypt", "kms:Decrypt"),
        ("KMS:DECRYPT", "kms:Decrypt"),
        ("kms:decrypt", "KMS:Decrypt"),
        ("kms:*", "kms:CreateGrant"),
        ("*", "kms:Decrypt"),
        ("kms:Create*", "kms:CreateGrant"),
        ("kms:GenerateDataKey*", "kms:GenerateDataKey"),
        ("kms:GenerateDataKey*", "kms:GenerateDataKeyWithoutPlaintext"),
        ("kms:?ecrypt", "kms:Decrypt"),
        ("kms:*crypt", "kms:Decrypt"),
        ("k*:D*t", "kms:Decrypt"),
        ("kms:Decrypt*", "kms:Decrypt"),
    ],
)
def test_action_pattern_accepts(pattern: str, action: str) -> None:
    assert action_matches(pattern, action)


@pytest.mark.parametrize(
    ("pattern", "action"),
    [
        ("kms:Decrypt", "kms:Encrypt"),
        ("kms:Decrypt", "kms:DecryptX"),
        ("kms:Decrypt", "kms:Decryp"),
        ("kms:Create*", "kms:Decrypt"),
        ("kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext"),
        ("kms:?Decrypt", "kms:Decrypt"),  # ? is exactly one character
        ("kms:[D]ecrypt", "kms:Decrypt"),  # no character classes in IAM
        ("kms:[!E]ecrypt", "kms:Decrypt"),
        ("s3:*", "kms:Decrypt"),
        ("kms.Decrypt", "kms:Decrypt"),  # . is literal, not a regex wildcard
        ("", "kms:Decrypt"),
        ("kms:*", "s3:GetObject"),
    ],
)
def test_action_pattern_rejects(pattern: str, action: str) -> None:
    assert not action_matches(pattern, action)


def test_bracket_is_literal() -> None:
    assert action_matches("kms:[D]ecrypt", "kms:[d]ecrypt")


def test_unknown_action_pattern_is_maybe() -> None:
    assert action_match(Unknown("var.actions has no value"), "kms:Decrypt") is Match.MAYBE
    assert action_match("kms:*", "kms:Decrypt") is Match.YES
    assert action_match("s3:*", "kms:Decrypt") is Match.NO


@pytest.mark.parametrize("partition", PARTITIONS)
def test_account_of_root_arn_in_every_partition(partition: str) -> None:
    assert account_of(f"arn:{partition}:iam::{ACCT}:root") == ACCT


@pytest.mark.parametrize(
    ("text", "account"),
    [
        (ACCT, ACCT),
        (SymbolicText((CURRENT,)), CURRENT),
        (SymbolicText(("arn:aws:iam::", CURRENT, ":root")), CURRENT),
        # CloudFormation's arn:${AWS::Partition}:iam::${AWS::AccountId}:root, region not given.
        (SymbolicText(("arn:", PARTITION, ":iam::", CURRENT, ":root")), CURRENT),
        (SymbolicText(("arn:", PARTITION, f":iam::{ACCT}:root")), ACCT),
        (SymbolicText(("arn:", PARTITION, ":iam::", CURRENT, ":role/x")), None),
        (SymbolicText(("arn:", PARTITION, "x:iam::", CURRENT, ":root")), None),
        (ROLE, None),
        (f"arn:aws:iam::{ACCT}:user/root", None),
        ("11112222333", None),  # 11 digits
        (f"arn:aws:sts::{ACCT}:root", None),
        ("*", None),
        # The old placeholder text, written literally, is text: it names no account.
        ("<current-account>", None),
        ("arn:aws:iam::<current-account>:root", None),
        (SymbolicText(("arn:aws:iam::", CURRENT, ":role/x")), None),
        (SymbolicText(("arn:aws:sts::", CURRENT, ":root")), None),
        (SymbolicText(("x", CURRENT)), None),
    ],
)
def test_account_of(text: str, account: str | None) -> None:
    assert account_of(text) == account


def aws(value: str | SymbolicText | Ref | Unknown) -> PrincipalEntry:
    return PrincipalEntry("AWS", value)


PRINCIPAL_CASES: list[tuple[str, PrincipalEntry | Unknown, Candidate, Match]] = [
    # wildcards
    ("bare star vs service", PrincipalEntry("*", "*"), SM, Match.YES),
    ("bare star vs account", PrincipalEntry("*", "*"), AccountPrincipal(ACCT), Match.YES),
    ("AWS star vs role", aws("*"), ArnPrincipal(ROLE), Match.YES),
    ("AWS star vs service", aws("*"), SM, Match.YES),
    ("AWS star vs unknown role", aws("*"), ArnPrincipal(Unknown("x")), Match.YES),
    # services
    ("service same", PrincipalEntry("Service", "sagemaker.amazonaws.com"), SM, Match.YES),
    ("service case", PrincipalEntry("Service", "SageMaker.AmazonAWS.com"), SM, Match.YES),
    ("service other", PrincipalEntry("Service", "ec2.amazonaws.com"), SM, Match.NO),
    (
        "service vs role",
        PrincipalEntry("Service", "sagemaker.amazonaws.com"),
        ArnPrincipal(ROLE),
        Match.NO,
    ),
    (
        "service vs account",
        PrincipalEntry("Service", "sagemaker.amazonaws.com"),
        AccountPrincipal(ACCT),
        Match.NO,
    ),
    ("unknown service", PrincipalEntry("Service", Unknown("var.svc")), SM, Match.MAYBE),
    ("AWS role vs service", aws(ROLE), SM, Match.NO),
    ("AWS unknown vs service (could be *)", aws(Unknown("x")), SM, Match.MAYBE),
    ("AWS ref vs service", aws(ROLE_REF), SM, Match.NO),
    # accounts
    ("root vs account", aws(f"arn:aws:iam::{ACCT}:root"), AccountPrincipal(ACCT), Match.YES),
    ("bare id vs account", aws(ACCT), AccountPrincipal(ACCT), Match.YES),
    ("root vs other account", aws(f"arn:aws:iam::{OTHER}:root"), AccountPrincipal(ACCT), Match.NO),
    ("bare id vs other account", aws(OTHER), AccountPrincipal(ACCT), Match.NO),
    (
        "root vs role in that account",
        aws(f"arn:aws:iam::{ACCT}:root"),
        ArnPrincipal(ROLE),
        Match.NO,
    ),
    ("role vs account", aws(ROLE), AccountPrincipal(ACCT), Match.NO),
    (
        "marker root vs current",
        aws(SymbolicText(("arn:aws:iam::", CURRENT, ":root"))),
        AccountPrincipal(CURRENT),
        Match.YES,
    ),
    ("bare marker vs current", aws(SymbolicText((CURRENT,))), AccountPrincipal(CURRENT), Match.YES),
    # fool: the placeholder the current account once was, written literally, is only text
    ("literal old marker", aws("<current-account>"), AccountPrincipal(CURRENT), Match.NO),
    (
        "literal old marker root",
        aws("arn:aws:iam::<current-account>:root"),
        AccountPrincipal(CURRENT),
        Match.NO,
    ),
    (
        "literal old marker role",
        aws("arn:aws:iam::<current-account>:role/notebook"),
        ArnPrincipal(SymbolicText(("arn:aws:iam::", CURRENT, ":role/notebook"))),
        Match.NO,
    ),
    (
        "symbol's rendering written literally",
        aws("arn:aws:iam::(the current account):root"),
        AccountPrincipal(CURRENT),
        Match.NO,
    ),
    (
        "concrete root vs current",
        aws(f"arn:aws:iam::{ACCT}:root"),
        AccountPrincipal(CURRENT),
        Match.MAYBE,
    ),
    (
        "marker root vs concrete",
        aws(SymbolicText(("arn:aws:iam::", CURRENT, ":root"))),
        AccountPrincipal(ACCT),
        Match.MAYBE,
    ),
    (
        "root vs unknown account",
        aws(f"arn:aws:iam::{ACCT}:root"),
        AccountPrincipal(Unknown("no account")),
        Match.MAYBE,
    ),
    (
        "root ARN candidate is the account",
        aws(ACCT),
        ArnPrincipal(f"arn:aws:iam::{ACCT}:root"),
        Match.YES,
    ),
    ("managed arn ref vs account", aws(ROLE_REF), AccountPrincipal(ACCT), Match.NO),
    (
        "data ref vs account",
        aws(Ref("data.aws_caller_identity.c", "arn")),
        AccountPrincipal(ACCT),
        Match.MAYBE,
    ),
    (
        "id ref vs account",
        aws(Ref("aws_organizations_account.a", "id")),
        AccountPrincipal(ACCT),
        Match.MAYBE,
    ),
    # role ARNs
    ("role same", aws(ROLE), ArnPrincipal(ROLE), Match.YES),
    ("role name case", aws(ROLE.replace("notebook", "Notebook")), ArnPrincipal(ROLE), Match.YES),
    ("role other", aws(f"arn:aws:iam::{ACCT}:role/other"), ArnPrincipal(ROLE), Match.NO),
    (
        "role other account",
        aws(f"arn:aws:iam::{OTHER}:role/notebook"),
        ArnPrincipal(ROLE),
        Match.NO,
    ),
    (
        "marker role vs concrete",
        aws(SymbolicText(("arn:aws:iam::", CURRENT, ":role/notebook"))),
        ArnPrincipal(ROLE),
        Match.MAYBE,
    ),
    (
        "marker role vs marker",
        aws(SymbolicText(("arn:aws:iam::", CURRENT, ":role/notebook"))),
        ArnPrincipal(SymbolicText(("arn:aws:iam::", CURRENT, ":role/notebook"))),
        Match.YES,
    ),
    (
        "marker role vs other name",
        aws(SymbolicText(("arn:aws:iam::", CURRENT, ":role/other"))),
        ArnPrincipal(ROLE),
        Match.NO,
    ),
    # references
    ("same ref", aws(ROLE_REF), ArnPrincipal(ROLE_REF), Match.YES),
    (
        "same target other attribute",
        aws(Ref("aws_iam_role.nb", "unique_id")),
        ArnPrincipal(ROLE_REF),
        Match.MAYBE,
    ),
    (
        "other managed target",
        aws(Ref("aws_iam_role.other", "arn")),
        ArnPrincipal(ROLE_REF),
        Match.NO,
    ),
    (
        "data source target",
        aws(Ref("data.aws_iam_role.nb", "arn")),
        ArnPrincipal(ROLE_REF),
        Match.MAYBE,
    ),
    (
        "module data source target",
        aws(Ref("module.m.data.aws_iam_role.nb", "arn")),
        ArnPrincipal(ROLE_REF),
        Match.MAYBE,
    ),
    ("ref vs string", aws(ROLE_REF), ArnPrincipal(ROLE), Match.MAYBE),
    ("string vs ref", aws(ROLE), ArnPrincipal(ROLE_REF), Match.MAYBE),
    ("root string vs role ref", aws(f"arn:aws:iam::{ACCT}:root"), ArnPrincipal(ROLE_REF), Match.NO),
    # unknowns
    ("unknown entry", Unknown("var.principal"), SM, Match.MAYBE),
    ("unknown AWS value vs role", aws(Unknown("x")), ArnPrincipal(ROLE), Match.MAYBE),
    ("unknown AWS value vs account", aws(Unknown("x")), AccountPrincipal(ACCT), Match.MAYBE),
    ("role vs unknown candidate", aws(ROLE), ArnPrincipal(Unknown("role_arn")), Match.MAYBE),
    # other principal types
    ("federated", PrincipalEntry("Federated", "cognito-identity.amazonaws.com"), SM, Match.NO),
    ("canonical user", PrincipalEntry("CanonicalUser", "abc"), ArnPrincipal(ROLE), Match.NO),
]


@pytest.mark.parametrize(
    ("entry", "candidate", "expected"),
    [pytest.param(e, c, m, id=name) for name, e, c, m in PRINCIPAL_CASES],
)
def test_principal_match(
    entry: PrincipalEntry | Unknown, candidate: Candidate, expected: Match
) -> None:
    assert principal_match(entry, candidate) is expected


@pytest.mark.parametrize("partition", PARTITIONS)
def test_root_and_bare_account_match_in_every_partition(partition: str) -> None:
    root = aws(f"arn:{partition}:iam::{ACCT}:root")
    assert principal_match(root, AccountPrincipal(ACCT)) is Match.YES
    assert principal_match(root, AccountPrincipal(OTHER)) is Match.NO
    assert principal_match(root, ArnPrincipal(f"arn:{partition}:iam::{ACCT}:role/r")) is Match.NO
