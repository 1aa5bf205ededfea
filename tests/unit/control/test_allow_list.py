"""``allowed_keys``: key ARNs, key IDs and alias ARNs, decided as documented, never guessed."""

from __future__ import annotations

import pytest

from cmkguard.catalogue.codes import Reason
from cmkguard.control.notebook_cmk import evaluate
from cmkguard.findings import InputKind, Status
from cmkguard.inventory import KeyRef, KeyVia, Notebook, SourceLocation
from cmkguard.settings import Settings
from cmkguard.values import Known, Symbol, SymbolicText, Unknown, Value

KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
OTHER_ID = "0987dcba-09fe-87dc-65ba-ab0987654321"
MRK = "mrk-1234abcd12ab34cd56ef1234567890ab"
ARN = f"arn:aws:kms:eu-west-1:111122223333:key/{KEY_ID}"
ALIAS_ARN = "arn:aws:kms:eu-west-1:111122223333:alias/notebooks"
IRELAND: Value[str] = Known("eu-west-1")


def _verdict(
    kms_key_id: str | SymbolicText, allowed: set[str], region: Value[str] = IRELAND
) -> str:
    notebook = Notebook(
        address="aws_sagemaker_notebook_instance.nb",
        location=SourceLocation("main.tf", 1),
        region=region,
        account=Known(Symbol.CURRENT_ACCOUNT),
        kms_key=Known(KeyRef(KeyVia.LITERAL, Known(kms_key_id))),
        role=Known("arn:aws:iam::111122223333:role/nb"),
    )
    finding = evaluate(notebook, Settings(allowed_key_arns=frozenset(allowed)), InputKind.TERRAFORM)
    if finding.status is Status.FAIL:
        assert finding.reasons == (Reason.KEY_NOT_ALLOWED,)
    return finding.status.value


@pytest.mark.parametrize(
    ("kms_key_id", "allowed", "expected"),
    [
        (ARN, {ARN}, "PASS"),
        (ARN, {KEY_ID}, "PASS"),
        (ARN, {OTHER_ID}, "FAIL"),
        (ARN, {ARN.replace(KEY_ID, OTHER_ID)}, "FAIL"),
        # The same ID in another account's ARN is another key: the full ARN must match.
        (ARN, {ARN.replace("111122223333", "444455556666")}, "FAIL"),
        (KEY_ID, {KEY_ID}, "PASS"),
        (KEY_ID, {ARN}, "PASS"),
        (KEY_ID, {OTHER_ID, ARN.replace(KEY_ID, OTHER_ID)}, "FAIL"),
        (ALIAS_ARN, {ALIAS_ARN}, "PASS"),
        # An alias ARN on the list allows the alias, not any key named some other way.
        (ARN, {ALIAS_ARN}, "FAIL"),
        (ALIAS_ARN.replace("notebooks", "other"), {ALIAS_ARN}, "UNKNOWN"),
        # An alias name says nothing about account or region: only live mode can tell.
        ("alias/notebooks", {ALIAS_ARN}, "UNKNOWN"),
        # Multi-Region replicas share the ID: the notebook's region picks the replica.
        (MRK, {f"arn:aws:kms:eu-west-1:111122223333:key/{MRK}"}, "PASS"),
        (MRK, {f"arn:aws:kms:us-east-1:111122223333:key/{MRK}"}, "FAIL"),
    ],
)
def test_allowed_keys(kms_key_id: str, allowed: set[str], expected: str) -> None:
    assert _verdict(kms_key_id, allowed) == expected


def test_fool_a_multi_region_id_in_an_unknown_region_is_not_allowed_on_faith() -> None:
    allowed = {f"arn:aws:kms:eu-west-1:111122223333:key/{MRK}"}
    assert _verdict(MRK, allowed, Unknown("var.region has no value")) == "UNKNOWN"


MY_ARN = SymbolicText(("arn:aws:kms:eu-west-1:", Symbol.CURRENT_ACCOUNT, f":key/{KEY_ID}"))


@pytest.mark.parametrize(
    ("allowed", "expected"),
    [
        ({KEY_ID}, "PASS"),
        # The list names the key in an account: whether that is the deploying one is unknown.
        ({ARN}, "UNKNOWN"),
        ({OTHER_ID, ARN.replace(KEY_ID, OTHER_ID)}, "FAIL"),
        ({ARN.replace("eu-west-1", "us-east-1")}, "FAIL"),
    ],
)
def test_key_arn_in_the_current_account(allowed: set[str], expected: str) -> None:
    assert _verdict(MY_ARN, allowed) == expected
