"""IAM decisions on key policies: Deny wins, NotAction/NotPrincipal, Conditions, unknown parts,
and attempts to get ALLOWED wrongly (``fool`` cases)."""

from __future__ import annotations

import pytest

from cmkguard.keypolicy.conditions import RequestContext
from cmkguard.keypolicy.document import PolicyDocument, default_key_policy, parse_policy
from cmkguard.keypolicy.evaluate import (
    REQUIRED_ACTIONS,
    AccessOutcome,
    AccountPrincipal,
    ArnPrincipal,
    Candidate,
    KeyAccess,
    KeyArn,
    ServicePrincipal,
    StatementRef,
    decide,
    key_access,
)
from cmkguard.values import Data, Ref, Symbol, SymbolicText, Unknown

CURRENT = Symbol.CURRENT_ACCOUNT

ACCT = "111122223333"
OTHER = "444455556666"
ROLE = f"arn:aws:iam::{ACCT}:role/notebook"
OTHER_ROLE = f"arn:aws:iam::{ACCT}:role/other"
SM = ServicePrincipal("sagemaker.amazonaws.com")
ROLE_REF = Ref("aws_iam_role.nb", "arn")
NOTEBOOK: tuple[Candidate, ...] = (SM, AccountPrincipal(ACCT), ArnPrincipal(ROLE))
USE: list[Data] = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"]


def allow(principal: Data, action: Data = "kms:*", **extra: Data) -> dict[str, Data]:
    return {"Effect": "Allow", "Principal": principal, "Action": action, "Resource": "*", **extra}


def deny(principal: Data, action: Data = "kms:*", **extra: Data) -> dict[str, Data]:
    return {"Effect": "Deny", "Principal": principal, "Action": action, "Resource": "*", **extra}


def allow_not(principal: Data, not_action: Data) -> dict[str, Data]:
    return {"Effect": "Allow", "Principal": principal, "NotAction": not_action, "Resource": "*"}


def policy(*statements: Data) -> PolicyDocument:
    doc = parse_policy({"Version": "2012-10-17", "Statement": list(statements)})
    assert isinstance(doc, PolicyDocument)
    return doc


def access(*statements: Data, principals: tuple[Candidate, ...] = NOTEBOOK) -> KeyAccess:
    return key_access(policy(*statements), principals)


DENY_ALL_BUT_ROLE: Data = {
    "Effect": "Deny",
    "NotPrincipal": {"AWS": ROLE},
    "Action": "kms:*",
    "Resource": "*",
}
ALLOWED = AccessOutcome.ALLOWED
EXPLICIT = AccessOutcome.EXPLICIT_DENY
IMPLICIT = AccessOutcome.IMPLICIT_DENY
UNDECIDED = AccessOutcome.UNDECIDED

# (id, statements, principal, action, expected outcome)
DECIDE_CASES: list[tuple[str, list[Data], Candidate, str, AccessOutcome]] = [
    ("allow role", [allow({"AWS": ROLE}, USE)], ArnPrincipal(ROLE), "kms:Decrypt", ALLOWED),
    ("allow star", [allow("*")], ArnPrincipal(ROLE), "kms:Decrypt", ALLOWED),
    ("allow AWS star", [allow({"AWS": "*"})], SM, "kms:Decrypt", ALLOWED),
    (
        "prefix wildcard",
        [allow({"AWS": ROLE}, "kms:GenerateDataKey*")],
        ArnPrincipal(ROLE),
        "kms:GenerateDataKey",
        ALLOWED,
    ),
    (
        "action case",
        [allow({"AWS": ROLE}, "KMS:DECRYPT")],
        ArnPrincipal(ROLE),
        "kms:Decrypt",
        ALLOWED,
    ),
    (
        "other action only",
        [allow({"AWS": ROLE}, "kms:Encrypt")],
        ArnPrincipal(ROLE),
        "kms:Decrypt",
        IMPLICIT,
    ),
    ("other role only", [allow({"AWS": OTHER_ROLE})], ArnPrincipal(ROLE), "kms:Decrypt", IMPLICIT),
    ("empty policy", [], ArnPrincipal(ROLE), "kms:Decrypt", IMPLICIT),
    (
        "NotAction excludes it",
        [allow_not({"AWS": ROLE}, "kms:Decrypt")],
        ArnPrincipal(ROLE),
        "kms:Decrypt",
        IMPLICIT,
    ),
    (
        "NotAction excludes others",
        [allow_not({"AWS": ROLE}, "kms:Encrypt")],
        ArnPrincipal(ROLE),
        "kms:Decrypt",
        ALLOWED,
    ),
    (
        "deny beats allow",
        [allow("*"), deny("*", "kms:Decrypt")],
        ArnPrincipal(ROLE),
        "kms:Decrypt",
        EXPLICIT,
    ),
    (
        "deny before allow",
        [deny("*", "kms:Decrypt"), allow("*")],
        ArnPrincipal(ROLE),
        "kms:Decrypt",
        EXPLICIT,
    ),
    (
        "deny other action",
        [allow("*"), deny("*", "kms:Decrypt")],
        ArnPrincipal(ROLE),
        "kms:CreateGrant",
        ALLOWED,
    ),
    (
        "deny other principal",
        [allow("*"), deny({"AWS": OTHER_ROLE})],
        ArnPrincipal(ROLE),
        "kms:Decrypt",
        ALLOWED,
    ),
    (
        "NotPrincipal deny spares it",
        [
            allow("*"),
            DENY_ALL_BUT_ROLE,
        ],
        ArnPrincipal(ROLE),
        "kms:Decrypt",
        ALLOWED,
    ),
    ("NotPrincipal deny hits others", [allow("*"), DENY_ALL_BUT_ROLE], SM, "kms:Decrypt", EXPLICIT),
    (
        "NotPrincipal with allow is not allowing",
        [
            {
                "Effect": "Allow",
                "NotPrincipal": {"AWS": OTHER_ROLE},
                "Action": "kms:*",
                "Resource": "*",
            }
        ],
        ArnPrincipal(ROLE),
        "kms:Decrypt",
        IMPLICIT,
    ),
    (
        "deny under a condition no context decides",
        [allow("*"), deny("*", Condition={"Bool": {"x": "y"}})],
        ArnPrincipal(ROLE),
        "kms:Decrypt",
        UNDECIDED,
    ),
    (
        "allow under a condition no context decides",
        [allow("*", Condition={"StringEquals": {"kms:ViaService": "x"}})],
        ArnPrincipal(ROLE),
        "kms:Decrypt",
        UNDECIDED,
    ),
    (
        "Resource naming another key does not apply without the key's ARN",
        [allow("*", Resource="arn:aws:kms:eu-west-1:111122223333:key/abc")],
        ArnPrincipal(ROLE),
        "kms:Decrypt",
        UNDECIDED,
    ),
    (
        "NotResource star applies to nothing",
        [allow("*"), {"Effect": "Deny", "Principal": "*", "Action": "kms:*", "NotResource": "*"}],
        ArnPrincipal(ROLE),
        "kms:Decrypt",
        ALLOWED,
    ),
    (
        "ref role allowed",
        [allow({"AWS": ROLE_REF})],
        ArnPrincipal(ROLE_REF),
        "kms:Decrypt",
        ALLOWED,
    ),
    (
        "other managed ref",
        [allow({"AWS": Ref("aws_iam_role.x", "arn")})],
        ArnPrincipal(ROLE_REF),
        "kms:Decrypt",
        IMPLICIT,
    ),
    ("ref vs literal", [allow({"AWS": ROLE_REF})], ArnPrincipal(ROLE), "kms:Decrypt", UNDECIDED),
    (
        "unknown effect",
        [allow("*", Effect=Unknown("var.effect"))],
        ArnPrincipal(ROLE),
        "kms:Decrypt",
        UNDECIDED,
    ),
    (
        "unknown action in allow",
        [allow({"AWS": ROLE}, Unknown("var.actions"))],
        ArnPrincipal(ROLE),
        "kms:Decrypt",
        UNDECIDED,
    ),
    (
        "unknown principal in allow",
        [allow({"AWS": Unknown("var.p")})],
        ArnPrincipal(ROLE),
        "kms:Decrypt",
        UNDECIDED,
    ),
    (
        "unknown principal in deny",
        [allow("*"), deny({"AWS": Unknown("var.p")})],
        ArnPrincipal(ROLE),
        "kms:Decrypt",
        UNDECIDED,
    ),
    (
        "unknown action in deny",
        [allow("*"), deny("*", Unknown("var.a"))],
        ArnPrincipal(ROLE),
        "kms:Decrypt",
        UNDECIDED,
    ),
    (
        "unknown statement",
        [allow("*"), Unknown("dynamic statement")],
        ArnPrincipal(ROLE),
        "kms:Decrypt",
        UNDECIDED,
    ),
    (
        "definite deny beats unknown deny",
        [deny("*"), deny({"AWS": Unknown("p")})],
        ArnPrincipal(ROLE),
        "kms:Decrypt",
        EXPLICIT,
    ),
    (
        "unknown in unrelated statement",
        [allow({"AWS": ROLE}), allow({"AWS": Unknown("p")}, "s3:*")],
        ArnPrincipal(ROLE),
        "kms:Decrypt",
        ALLOWED,
    ),
    (
        "unknown deny for other action",
        [allow("*"), deny({"AWS": Unknown("p")}, "kms:Encrypt")],
        ArnPrincipal(ROLE),
        "kms:Decrypt",
        ALLOWED,
    ),
    (
        "current account root",
        [allow({"AWS": SymbolicText(("arn:aws:iam::", CURRENT, ":root"))})],
        AccountPrincipal(CURRENT),
        "kms:Decrypt",
        ALLOWED,
    ),
    (
        "concrete root vs current account",
        [allow({"AWS": f"arn:aws:iam::{ACCT}:root"})],
        AccountPrincipal(CURRENT),
        "kms:Decrypt",
        UNDECIDED,
    ),
]


@pytest.mark.parametrize(
    ("statements", "principal", "action", "expected"),
    [pytest.param(s, p, a, o, id=name) for name, s, p, a, o in DECIDE_CASES],
)
def test_decide(
    statements: list[Data], principal: Candidate, action: str, expected: AccessOutcome
) -> None:
    assert decide(policy(*statements), principal, action).outcome is expected


def test_decision_names_statements() -> None:
    doc = policy(allow("*", Sid="Use"), deny({"AWS": ROLE}, "kms:Decrypt", Sid="NoDecrypt"))
    d = decide(doc, ArnPrincipal(ROLE), "kms:Decrypt")
    assert d.outcome is EXPLICIT
    assert d.allowed_by == (StatementRef(1, "Use"),)
    assert d.denied_by == (StatementRef(2, "NoDecrypt"),)
    assert str(d.denied_by[0]) == 'statement 2 ("NoDecrypt")'


VIA = "sagemaker.eu-west-1.amazonaws.com"
CONTEXT = RequestContext(
    {"kms:ViaService": (VIA,), "aws:PrincipalServiceName": ()}, description="the test request"
)


def test_allow_under_a_condition_that_holds() -> None:
    condition: Data = {"StringEquals": {"kms:ViaService": VIA}}
    doc = policy(allow({"AWS": ROLE}, USE, Sid="AllowUse", Condition=condition))
    d = decide(doc, ArnPrincipal(ROLE), "kms:Decrypt", CONTEXT)
    assert d.outcome is ALLOWED
    assert d.conditional
    assert (
        'statement 1 ("AllowUse") allows kms:Decrypt under a Condition that holds for the test '
        "request" in d.notes
    )


def test_allow_under_a_condition_that_fails_does_not_count() -> None:
    condition: Data = {"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}}
    doc = policy(allow({"AWS": ROLE}, USE, Condition=condition))
    assert decide(doc, ArnPrincipal(ROLE), "kms:Decrypt", CONTEXT).outcome is IMPLICIT


def test_unconditional_allow_clears_conditional_flag() -> None:
    condition: Data = {"StringEquals": {"kms:ViaService": VIA}}
    doc = policy(allow({"AWS": ROLE}, Condition=condition), allow({"AWS": ROLE}))
    assert not decide(doc, ArnPrincipal(ROLE), "kms:Decrypt", CONTEXT).conditional


def test_deny_whose_condition_fails_is_noted() -> None:
    condition: Data = {"StringNotEquals": {"kms:ViaService": VIA}}
    doc = policy(allow("*"), deny("*", Sid="D", Condition=condition))
    d = decide(doc, ArnPrincipal(ROLE), "kms:Decrypt", CONTEXT)
    assert d.outcome is ALLOWED
    assert 'statement 2 ("D") does not deny kms:Decrypt: its Condition does not hold' in d.notes[0]


def test_deny_whose_condition_holds_denies() -> None:
    condition: Data = {"StringLike": {"kms:ViaService": "sagemaker.*.amazonaws.com"}}
    doc = policy(allow("*"), deny("*", Sid="NoSageMaker", Condition=condition))
    d = decide(doc, ArnPrincipal(ROLE), "kms:Decrypt", CONTEXT)
    assert d.outcome is EXPLICIT
    assert d.denied_by == (StatementRef(2, "NoSageMaker"),)


def test_undecided_condition_is_named() -> None:
    condition: Data = {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}
    doc = policy(allow({"AWS": ROLE}, Sid="FromVpn", Condition=condition))
    d = decide(doc, ArnPrincipal(ROLE), "kms:Decrypt", CONTEXT)
    assert d.outcome is UNDECIDED
    assert d.why is not None
    assert 'statement 1 ("FromVpn") may allow kms:Decrypt' in d.why
    assert 'IpAddress {"aws:SourceIp": "10.0.0.0/8"}' in d.why


KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        ("*", ALLOWED),
        (KEY, ALLOWED),
        ("arn:aws:kms:eu-west-1:111122223333:key/*", ALLOWED),
        ("arn:aws:kms:eu-west-1:111122223333:key/other", IMPLICIT),
        ("arn:aws:s3:::notebook-bucket", IMPLICIT),
        (["arn:aws:s3:::notebook-bucket", KEY], ALLOWED),
        (Unknown("var.resources"), UNDECIDED),
    ],
)
def test_resource_scopes_the_statement(resource: Data, expected: AccessOutcome) -> None:
    doc = policy(allow({"AWS": ROLE}, Resource=resource))
    assert decide(doc, ArnPrincipal(ROLE), "kms:Decrypt", key=KeyArn(arn=KEY)).outcome is expected


@pytest.mark.parametrize(
    ("not_resource", "expected"),
    [("*", IMPLICIT), (KEY, IMPLICIT), ("arn:aws:s3:::bucket", ALLOWED)],
)
def test_not_resource(not_resource: Data, expected: AccessOutcome) -> None:
    doc = policy(
        {"Effect": "Allow", "Principal": "*", "Action": "kms:*", "NotResource": not_resource}
    )
    assert decide(doc, ArnPrincipal(ROLE), "kms:Decrypt", key=KeyArn(arn=KEY)).outcome is expected


def test_deny_scoped_to_another_resource_does_not_deny() -> None:
    doc = policy(allow("*"), deny("*", Resource="arn:aws:s3:::bucket"))
    assert decide(doc, ArnPrincipal(ROLE), "kms:Decrypt", key=KeyArn(arn=KEY)).outcome is ALLOWED


@pytest.mark.parametrize(
    ("statements", "fragment"),
    [
        ([allow({"AWS": Unknown("var.p has no value")})], "var.p has no value"),
        ([allow({"AWS": ROLE_REF})], "aws_iam_role.nb.arn is known only after apply"),
        ([allow("*", Effect=Unknown("var.effect"))], "its Effect is not known (var.effect)"),
        ([allow("*"), deny("*", Unknown("var.a"))], "statement 2 may deny kms:Decrypt"),
    ],
)
def test_undecided_names_the_unknown_part(statements: list[Data], fragment: str) -> None:
    d = decide(policy(*statements), ArnPrincipal(ROLE), "kms:Decrypt")
    assert d.outcome is UNDECIDED
    assert d.why is not None
    assert fragment in d.why


# --- key_access --------------------------------------------------------------------------------


def test_role_allowed_everything() -> None:
    result = access(allow({"AWS": ROLE}, USE))
    assert result.allowed is True
    assert result.missing == ()
    assert not result.delegates_to_iam
    assert [a.action for a in result.actions] == list(REQUIRED_ACTIONS)


def test_default_key_policy_delegates_to_iam() -> None:
    principals = (SM, AccountPrincipal(CURRENT), ArnPrincipal(ROLE_REF))
    result = key_access(default_key_policy(CURRENT), principals)
    assert result.allowed is True
    assert result.delegates_to_iam
    for action in result.actions:
        assert action.allowed == (AccountPrincipal(CURRENT),)


def test_service_and_account_do_not_delegate() -> None:
    result = access(allow({"AWS": ACCT}), allow({"Service": "sagemaker.amazonaws.com"}))
    assert result.allowed is True
    assert not result.delegates_to_iam


def test_root_arn_deployer_counts_as_account() -> None:
    result = access(
        allow({"AWS": ACCT}),
        principals=(SM, ArnPrincipal(f"arn:aws:iam::{ACCT}:root")),
    )
    assert result.allowed is True
    assert result.delegates_to_iam


def test_explicit_deny_of_one_action() -> None:
    result = access(allow("*"), deny("*", "kms:CreateGrant", Sid="NoGrants"))
    assert result.allowed is False
    assert result.missing == ("kms:CreateGrant",)
    assert result.denied_by == (("kms:CreateGrant", StatementRef(2, "NoGrants")),)


def test_some_candidate_suffices() -> None:
    result = access(allow({"AWS": ROLE}), deny({"Service": "sagemaker.amazonaws.com"}))
    assert result.allowed is True


def test_undecided_access() -> None:
    result = access(allow({"AWS": Unknown("var.principals has no value")}))
    assert result.allowed is None
    assert result.missing == ()
    assert result.undecided_why is not None
    assert "var.principals has no value" in result.undecided_why


def test_definite_missing_wins_over_undecided() -> None:
    result = access(allow({"AWS": Unknown("var.p")}, "kms:Decrypt"))
    assert result.allowed is False
    assert result.missing == ("kms:CreateGrant", "kms:GenerateDataKey")
    assert result.undecided_why is None


def test_conditional_access_is_reported() -> None:
    condition: Data = {"StringEquals": {"kms:ViaService": VIA}}
    result = key_access(
        policy(allow({"AWS": ROLE}, Condition=condition)), NOTEBOOK, context=lambda p, a: CONTEXT
    )
    assert result.allowed is True
    assert result.conditional


def test_grant_for_aws_resource_only_for_create_grant() -> None:
    """The AWS default pattern: use unconditionally, grants only for AWS resources."""

    def context(principal: Candidate, action: str) -> RequestContext:
        flag: tuple[str, ...] = ("true",) if action == "kms:CreateGrant" else ()
        return RequestContext({"kms:GrantIsForAWSResource": flag})

    grants = allow(
        {"AWS": ROLE},
        ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        Condition={"Bool": {"kms:GrantIsForAWSResource": "true"}},
    )
    use = allow({"AWS": ROLE}, ["kms:Decrypt", "kms:GenerateDataKey*"])
    assert key_access(policy(grants, use), NOTEBOOK, context=context).allowed is True
    only_grants = allow("*", Condition={"Bool": {"kms:GrantIsForAWSResource": True}})
    result = key_access(policy(only_grants), NOTEBOOK, context=context)
    assert result.allowed is False
    assert result.missing == ("kms:Decrypt", "kms:GenerateDataKey")


@pytest.mark.parametrize(("principals", "actions"), [((), REQUIRED_ACTIONS), (NOTEBOOK, ())])
def test_empty_question_fails_closed(
    principals: tuple[Candidate, ...], actions: tuple[str, ...]
) -> None:
    with pytest.raises(ValueError, match="at least one"):
        key_access(policy(allow("*")), principals, actions)


# --- optional statements: a ``for`` whose ``if`` is unknown ------------------------------------


def optional(certain: list[Data], maybe: list[Data]) -> PolicyDocument:
    items = tuple((s, True) for s in certain) + tuple((s, False) for s in maybe)
    doc = parse_policy({"Statement": Unknown("a for condition is not known: x", items=items)})
    assert isinstance(doc, PolicyDocument)
    return doc


@pytest.mark.parametrize(
    ("certain", "maybe", "expected"),
    [
        ([allow({"AWS": ROLE})], [allow({"AWS": OTHER_ROLE})], ALLOWED),
        ([allow({"AWS": ROLE})], [allow({"AWS": ROLE}, Condition={"Bool": {"x": "y"}})], ALLOWED),
        ([], [allow({"AWS": ROLE})], UNDECIDED),
        ([allow({"AWS": ROLE})], [deny({"AWS": ROLE})], UNDECIDED),
        ([allow({"AWS": ROLE})], [deny({"AWS": OTHER_ROLE})], ALLOWED),
        ([allow({"AWS": ROLE}), deny("*")], [allow({"AWS": ROLE})], EXPLICIT),
        ([allow({"AWS": ROLE})], [{"Effect": "Sometimes"}], UNDECIDED),
    ],
    ids=[
        "optional allow keeps the certain grant",
        "optional conditional allow keeps the certain grant",
        "only an optional allow",
        "optional deny may take the grant",
        "optional deny of another role",
        "certain deny wins",
        "a malformed optional statement may make the policy invalid",
    ],
)
def test_optional_statements_are_monotone(
    certain: list[Data], maybe: list[Data], expected: AccessOutcome
) -> None:
    d = decide(optional(certain, maybe), ArnPrincipal(ROLE), "kms:Decrypt", CONTEXT)
    assert d.outcome is expected
    if expected is UNDECIDED:
        assert d.why is not None
        assert "may or may not be in the policy (a for condition is not known: x)" in d.why


def test_optional_statements_keep_their_positions() -> None:
    doc = optional([allow("*", Sid="A")], [deny("*", Sid="B")])
    assert [(s.index, s.sid, s.optional) for s in doc.statements] == [
        (1, "A", None),
        (2, "B", "a for condition is not known: x"),
    ]


# --- fool cases: each tries to get ALLOWED wrongly -----------------------------------------------

FOOLS: list[tuple[str, list[Data]]] = [
    ("decrypt only", [allow({"AWS": ROLE}, "kms:Decrypt")]),
    ("another account", [allow({"AWS": f"arn:aws:iam::{OTHER}:root"})]),
    ("another account bare id", [allow({"AWS": OTHER})]),
    (
        "role of same name in another account",
        [allow({"AWS": f"arn:aws:iam::{OTHER}:role/notebook"})],
    ),
    ("NotAction kms:*", [allow_not("*", "kms:*")]),
    ("NotAction star", [allow_not("*", "*")]),
    (
        "GenerateDataKeyWithoutPlaintext only",
        [
            allow(
                {"AWS": ROLE},
                ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKeyWithoutPlaintext"],
            )
        ],
    ),
    (
        "deny kms:* except some other role",
        [
            allow("*"),
            {
                "Effect": "Deny",
                "NotPrincipal": {"AWS": OTHER_ROLE},
                "Action": "kms:*",
                "Resource": "*",
            },
        ],
    ),
    ("deny star after allow star", [allow("*"), deny("*")]),
    ("deny via wildcard action", [allow({"AWS": ROLE}), deny({"AWS": ROLE}, "kms:*Grant")]),
    ("deny via question mark", [allow({"AWS": ROLE}), deny({"AWS": ROLE}, "kms:?ecrypt")]),
    ("character class is not a wildcard", [allow({"AWS": ROLE}, ["kms:[CDG]*"])]),
    ("service of another name", [allow({"Service": "sagemaker.amazonaws.com.evil"})]),
    ("federated principal", [allow({"Federated": "sagemaker.amazonaws.com"})]),
    (
        "allow with NotPrincipal",
        [
            {
                "Effect": "Allow",
                "NotPrincipal": {"AWS": OTHER_ROLE},
                "Action": "kms:*",
                "Resource": "*",
            }
        ],
    ),
    (
        "Allow on NotResource star",
        [{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "NotResource": "*"}],
    ),
    ("unknown effect", [allow("*", Effect=Unknown("var.effect"))]),
    ("unknown deny", [allow("*"), deny({"AWS": Unknown("var.blocked")})]),
    ("unknown statement", [allow("*"), Unknown("dynamic statement")]),
    ("unknown action", [allow({"AWS": ROLE}, Unknown("var.actions"))]),
]


@pytest.mark.parametrize("statements", [pytest.param(s, id=n) for n, s in FOOLS])
def test_fool_never_allowed(statements: list[Data]) -> None:
    assert access(*statements).allowed is not True


def test_fool_json_string_with_deny() -> None:
    text = (
        '{"Version": "2012-10-17", "Statement": ['
        '{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"},'
        '{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "KMS:decrypt", "Resource": "*"}]}'
    )
    doc = parse_policy(text)
    assert isinstance(doc, PolicyDocument)
    result = key_access(doc, NOTEBOOK)
    assert result.allowed is False
    assert result.missing == ("kms:Decrypt",)
