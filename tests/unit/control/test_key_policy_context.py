"""The request context the control gives the key-policy evaluator: each condition key of the
notebook's key use, per principal and action (control.md "Conditions"), on hand-built
inventories. Each row is a key policy with one conditional statement; the verdict shows whether
the control decided the condition as the notebook's key use would."""

from __future__ import annotations

import pytest

from cmkguard.control.notebook_cmk import evaluate
from cmkguard.findings import InputKind, Status
from cmkguard.inventory import (
    Key,
    KeyManager,
    KeyRef,
    KeyVia,
    LiveLocation,
    Location,
    Notebook,
    SourceLocation,
)
from cmkguard.settings import Settings
from cmkguard.values import Data, Known, Ref, Symbol, SymbolicText, Unknown

CURRENT = SymbolicText((Symbol.CURRENT_ACCOUNT,))
"""The caller's account as a policy built from data.aws_caller_identity holds it."""

ACCT = "111122223333"
ROLE_ARN = f"arn:aws:iam::{ACCT}:role/notebook"
ROLE_REF = Ref("aws_iam_role.nb", "arn")
NOTEBOOK_ARN = f"arn:aws:sagemaker:eu-west-1:{ACCT}:notebook-instance/nb"
KEY_ARN = f"arn:aws:kms:eu-west-1:{ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
USE: Data = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*"]
SOURCE = SourceLocation("main.tf", 1)
LIVE = LiveLocation(ACCT, "eu-west-1", NOTEBOOK_ARN)
HERE = Known("eu-west-1")
AFTER_APPLY = Unknown("known after apply")
PASS, FAIL, UNKNOWN = Status.PASS, Status.FAIL, Status.UNKNOWN


def _allow(principal: Data, condition: Data, action: Data = USE) -> Data:
    return {"Effect": "Allow", "Principal": principal, "Action": action, "Resource": "*"} | (
        {"Condition": condition} if condition is not None else {}
    )


def _deny(condition: Data) -> Data:
    return {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "kms:*",
        "Resource": "*",
        "Condition": condition,
    }


def _judge(
    statements: list[Data],
    *,
    role: Data = ROLE_REF,
    location: Location = SOURCE,
    account: str | Symbol = Symbol.CURRENT_ACCOUNT,
    region: Known[str] | Unknown = HERE,
    key_arn: Known[str] | Unknown = AFTER_APPLY,
) -> Status:
    key = Key(
        label="aws_kms_key.k",
        manager=Known(KeyManager.CUSTOMER),
        region=Known("eu-west-1"),
        arn=key_arn,
        spec=Known("SYMMETRIC_DEFAULT"),
        usage=Known("ENCRYPT_DECRYPT"),
        state=Known("Enabled"),
        rotation=Known(True),
        policy=Known({"Version": "2012-10-17", "Statement": statements}),
        location=SOURCE,
    )
    notebook = Notebook(
        address="aws_sagemaker_notebook_instance.nb",
        location=location,
        region=region,
        account=Known(account),
        kms_key=Known(KeyRef(KeyVia.RESOURCE, Unknown("known after apply"), key)),
        role=Known(role),
    )
    return evaluate(notebook, Settings(), InputKind.TERRAFORM).status


ROLE: Data = {"AWS": ROLE_REF}
SERVICE: Data = {"Service": "sagemaker.amazonaws.com"}
VIA = "sagemaker.eu-west-1.amazonaws.com"

# (id, statements, expected) for a notebook in eu-west-1 whose role is ROLE_REF
CASES: list[tuple[str, list[Data], Status]] = [
    ("via SageMaker here", [_allow(ROLE, {"StringEquals": {"kms:ViaService": VIA}})], PASS),
    (
        "via SageMaker elsewhere",
        [_allow(ROLE, {"StringEquals": {"kms:ViaService": "sagemaker.us-east-1.amazonaws.com"}})],
        FAIL,
    ),
    (
        "via any SageMaker",
        [_allow(ROLE, {"StringLike": {"kms:ViaService": "sagemaker.*.amazonaws.com"}})],
        PASS,
    ),
    (
        "grant for AWS resource only on CreateGrant",
        [
            _allow(ROLE, {"Bool": {"kms:GrantIsForAWSResource": "true"}}, "kms:CreateGrant"),
            _allow(ROLE, None, ["kms:Decrypt", "kms:GenerateDataKey*"]),
        ],
        PASS,
    ),
    (
        "grant for AWS resource does not cover data keys",
        [_allow(ROLE, {"Bool": {"kms:GrantIsForAWSResource": "true"}})],
        FAIL,
    ),
    (
        "caller account is the current account",
        [_allow(ROLE, {"StringEquals": {"kms:CallerAccount": CURRENT}})],
        PASS,
    ),
    (
        "a number for the current account is undecided",
        [_allow(ROLE, {"StringEquals": {"aws:PrincipalAccount": ACCT}})],
        UNKNOWN,
    ),
    (
        "principal ARN is the role",
        [_allow(ROLE, {"ArnEquals": {"aws:PrincipalArn": ROLE_REF}})],
        PASS,
    ),
    (
        "principal ARN of another role is undecided for a role known after apply",
        [_allow(ROLE, {"ArnEquals": {"aws:PrincipalArn": ROLE_ARN}})],
        UNKNOWN,
    ),
    (
        "service principal by name",
        [
            _allow(
                SERVICE, {"StringEquals": {"aws:PrincipalServiceName": "sagemaker.amazonaws.com"}}
            )
        ],
        PASS,
    ),
    (
        "principal service name is absent for the role",
        [_allow(ROLE, {"StringEquals": {"aws:PrincipalServiceName": "sagemaker.amazonaws.com"}})],
        FAIL,
    ),
    (
        "source ARN is known only after apply",
        [_allow(SERVICE, {"ArnLike": {"aws:SourceArn": "arn:aws:sagemaker:*"}})],
        UNKNOWN,
    ),
    (
        "source IP is not part of the use",
        [_allow(ROLE, {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})],
        UNKNOWN,
    ),
    (
        "deny outside SageMaker",
        [_allow(ROLE, None), _deny({"StringNotLike": {"kms:ViaService": "sagemaker.*"}})],
        PASS,
    ),
    (
        "deny outside S3",
        [
            _allow(ROLE, None),
            _deny({"StringNotEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}}),
        ],
        FAIL,
    ),
    (
        "deny other accounts",
        [_allow(ROLE, None), _deny({"StringNotEquals": {"kms:CallerAccount": CURRENT}})],
        PASS,
    ),
    (
        "deny on a tag",
        [_allow(ROLE, None), _deny({"StringNotEquals": {"aws:PrincipalTag/team": "ml"}})],
        UNKNOWN,
    ),
]


@pytest.mark.parametrize(
    ("statements", "expected"), [pytest.param(s, e, id=name) for name, s, e in CASES]
)
def test_condition_in_the_notebook_context(statements: list[Data], expected: Status) -> None:
    assert _judge(statements) is expected


def test_unknown_region_leaves_via_service_undecided() -> None:
    statements = [_allow(ROLE, {"StringEquals": {"kms:ViaService": VIA}})]
    assert _judge(statements, region=Unknown("var.region has no value")) is UNKNOWN


def test_live_notebook_arn_is_the_source_arn() -> None:
    condition: Data = {"ArnEquals": {"aws:SourceArn": NOTEBOOK_ARN}}
    other: Data = {"ArnEquals": {"aws:SourceArn": NOTEBOOK_ARN + "-other"}}
    for statement, expected in ((_allow(SERVICE, condition), PASS), (_allow(SERVICE, other), FAIL)):
        status = _judge(
            [statement], location=LIVE, account=ACCT, role=ROLE_ARN, key_arn=Known(KEY_ARN)
        )
        assert status is expected


@pytest.mark.parametrize(
    ("principal", "condition", "expected"),
    [
        ({"AWS": f"arn:aws:iam::{ACCT}:root"}, None, PASS),
        ({"AWS": ACCT}, None, PASS),
        ({"AWS": "arn:aws:iam::444455556666:root"}, None, FAIL),
        ({"AWS": ROLE_ARN}, {"StringEquals": {"aws:PrincipalAccount": ACCT}}, PASS),
        ({"AWS": ROLE_ARN}, {"StringEquals": {"kms:CallerAccount": CURRENT}}, PASS),
        ({"AWS": ROLE_ARN}, {"StringEquals": {"kms:CallerAccount": "444455556666"}}, FAIL),
    ],
    ids=["root", "bare id", "other account", "number", "current account bound", "other number"],
)
def test_a_literal_role_names_the_notebook_account(
    principal: Data, condition: Data, expected: Status
) -> None:
    assert _judge([_allow(principal, condition)], role=ROLE_ARN) is expected


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        (ROLE_REF, FAIL),
        (Ref("aws_kms_key.k", "arn"), PASS),
        ("arn:aws:kms:eu-west-1:*:key/*", PASS),
        ("arn:aws:kms:us-east-1:*:key/*", FAIL),
        ("arn:aws-cn:kms:*:*:key/*", FAIL),
        ("arn:aws:s3:::bucket", FAIL),
        (f"arn:aws:kms:eu-west-1:{ACCT}:key/*", UNKNOWN),
    ],
)
def test_resource_scope_of_a_key_before_apply(resource: Data, expected: Status) -> None:
    statement: Data = {"Effect": "Allow", "Principal": ROLE, "Action": USE, "Resource": resource}
    assert _judge([statement]) is expected
