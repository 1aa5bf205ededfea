"""The control on hand-built inventories: every path to PASS is tried with one fact missing."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cmkguard.catalogue.codes import Reason, WarningCode
from cmkguard.control.notebook_cmk import evaluate
from cmkguard.findings import InputKind, Status
from cmkguard.inventory import (
    Key,
    KeyManager,
    KeyRef,
    KeyVia,
    Notebook,
    Replacement,
    SourceLocation,
)
from cmkguard.settings import Settings
from cmkguard.values import Data, Known, Ref, Symbol, Unknown

CURRENT = Symbol.CURRENT_ACCOUNT

ROLE = Ref("aws_iam_role.nb", "arn")
GOOD_POLICY: Data = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": ROLE},
            "Action": ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*"],
            "Resource": "*",
        }
    ],
}


def _key(**changes: object) -> Key:
    key = Key(
        label="aws_kms_key.k",
        manager=Known(KeyManager.CUSTOMER),
        region=Known("eu-west-1"),
        arn=Unknown("known after apply"),
        spec=Known("SYMMETRIC_DEFAULT"),
        usage=Known("ENCRYPT_DECRYPT"),
        state=Known("Enabled"),
        rotation=Known(True),
        policy=Known(GOOD_POLICY),
    )
    return replace(key, **changes)  # type: ignore[arg-type]  # test helper: fields by name


def _nb(ref: KeyRef | Unknown | None, **changes: object) -> Notebook:
    notebook = Notebook(
        address="aws_sagemaker_notebook_instance.nb",
        location=SourceLocation("main.tf", 1),
        region=Known("eu-west-1"),
        account=Known(CURRENT),
        kms_key=ref if isinstance(ref, Unknown) else Known(ref),
        role=Known(ROLE),
    )
    return replace(notebook, **changes)  # type: ignore[arg-type]  # test helper: fields by name


def _resource(**key_changes: object) -> KeyRef:
    return KeyRef(KeyVia.RESOURCE, Unknown("known after apply"), _key(**key_changes))


def _literal(text: str) -> KeyRef:
    return KeyRef(KeyVia.LITERAL, Known(text))


def test_good_key_passes() -> None:
    finding = evaluate(_nb(_resource()), Settings(), InputKind.TERRAFORM)
    assert finding.status is Status.PASS
    assert finding.reasons == ()
    assert finding.warnings == ()


UNDECIDED = Unknown("var.x has no value")


@pytest.mark.parametrize(
    ("notebook", "why"),
    [
        (_nb(UNDECIDED), "var.x has no value"),
        (_nb(_resource(manager=UNDECIDED)), "customer managed"),
        (_nb(_resource(region=UNDECIDED)), "region"),
        (_nb(_resource(), region=UNDECIDED), "region"),
        (_nb(_resource(spec=UNDECIDED)), "key spec"),
        (_nb(_resource(usage=UNDECIDED)), "key usage"),
        (_nb(_resource(state=UNDECIDED)), "enabled"),
        (_nb(_resource(policy=UNDECIDED)), "key policy"),
        (_nb(_resource(), role=UNDECIDED), "lets the notebook use it"),
        (_nb(KeyRef(KeyVia.DATA_SOURCE, UNDECIDED)), "which key"),
        (_nb(KeyRef(KeyVia.ALIAS, UNDECIDED, None, Known("alias/team"))), "which key"),
    ],
)
def test_fool_one_unknown_fact_is_never_pass(notebook: Notebook, why: str) -> None:
    finding = evaluate(notebook, Settings(), InputKind.TERRAFORM)
    assert finding.status is Status.UNKNOWN
    assert finding.reasons == (Reason.UNRESOLVED,)
    assert why in finding.message


def test_same_unknown_provider_region_is_the_same_region() -> None:
    region = Unknown("provider aws has no region")
    finding = evaluate(_nb(_resource(region=region), region=region), Settings(), InputKind.PLAN)
    assert finding.status is Status.PASS


def test_fail_wins_over_unknown_and_keeps_every_reason() -> None:
    notebook = _nb(_resource(state=Known("Disabled"), spec=Known("RSA_2048"), policy=UNDECIDED))
    finding = evaluate(notebook, Settings(), InputKind.TERRAFORM)
    assert finding.status is Status.FAIL
    assert set(finding.reasons) == {Reason.KEY_DISABLED, Reason.KEY_NOT_SYMMETRIC}
    assert any("Also undecided" in n for n in finding.notes)


def test_alias_aws_prefix_with_unknown_rest_fails() -> None:
    ref = KeyRef(
        KeyVia.LITERAL, Unknown("var.account has no value"), None, Known("alias/aws/sagemaker")
    )
    finding = evaluate(_nb(ref), Settings(), InputKind.TERRAFORM)
    assert finding.reasons == (Reason.AWS_MANAGED_KEY,)


@pytest.mark.parametrize(
    ("text", "status", "reasons"),
    [
        ("foo", Status.FAIL, (Reason.MALFORMED,)),
        ("", Status.FAIL, (Reason.EMPTY,)),
        ("alias/aws/sagemaker", Status.FAIL, (Reason.AWS_MANAGED_KEY,)),
        (
            "arn:aws-cn:kms:cn-north-1:111122223333:alias/aws/sagemaker",
            Status.FAIL,
            (Reason.AWS_MANAGED_KEY, Reason.CROSS_REGION),
        ),
        ("alias/team", Status.PASS, ()),
        ("1234abcd-12ab-34cd-56ef-1234567890ab", Status.PASS, ()),
    ],
)
def test_literal_identifiers(text: str, status: Status, reasons: tuple[Reason, ...]) -> None:
    finding = evaluate(_nb(_literal(text)), Settings(), InputKind.TERRAFORM)
    assert finding.status is status
    assert set(finding.reasons) == set(reasons)


def test_strict_turns_unverified_key_into_unknown() -> None:
    notebook = _nb(_literal("1234abcd-12ab-34cd-56ef-1234567890ab"))
    lenient = evaluate(notebook, Settings(), InputKind.TERRAFORM)
    strict = evaluate(notebook, Settings(strict=True), InputKind.TERRAFORM)
    assert lenient.status is Status.PASS
    assert WarningCode.KEY_MANAGER_UNVERIFIED in lenient.warnings
    assert strict.status is Status.UNKNOWN


def test_default_policy_delegates_to_iam() -> None:
    finding = evaluate(_nb(_resource(policy=Known(None))), Settings(), InputKind.TERRAFORM)
    assert finding.status is Status.PASS
    assert finding.warnings == (WarningCode.KEY_POLICY_DELEGATES_TO_IAM,)


def test_deployer_principal_counts() -> None:
    policy: Data = {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ]
    }
    role = Known("arn:aws:iam::111122223333:role/notebook")
    notebook = _nb(_resource(policy=Known(policy)), role=role)
    assert evaluate(notebook, Settings(), InputKind.TERRAFORM).status is Status.FAIL
    with_deployer = Settings(deployer_principals=("arn:aws:iam::111122223333:role/ci",))
    assert evaluate(notebook, with_deployer, InputKind.TERRAFORM).status is Status.PASS


def test_replacement_warns_with_backup_advice() -> None:
    notebook = _nb(_resource(), replacement=Replacement(("delete", "create"), Known(None)))
    finding = evaluate(notebook, Settings(), InputKind.PLAN)
    assert finding.status is Status.PASS
    assert WarningCode.DESTRUCTIVE_REPLACEMENT in finding.warnings
    assert any("no lifecycle configuration" in n and "S3" in n for n in finding.notes)


def test_allow_list_needs_the_arn() -> None:
    settings = Settings(allowed_key_arns=frozenset({"arn:aws:kms:eu-west-1:111122223333:key/x"}))
    finding = evaluate(_nb(_resource()), settings, InputKind.TERRAFORM)
    assert finding.status is Status.UNKNOWN
