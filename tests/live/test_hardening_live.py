"""Issue 8 against a live account (moto over HTTP): a key policy nested 5,000 deep is UNKNOWN for
its notebook alone, and live findings get advice for an account, never ``--var`` or HCL."""

from __future__ import annotations

import json

import pytest
from awsharness import MotoStack
from awsharness.proxy import canned

from cmkguard import cli
from cmkguard.catalogue.codes import Reason
from cmkguard.catalogue.entries import CATALOGUE
from cmkguard.findings import Status
from live.conftest import finding, scan, verdicts

DEEP_POLICY = '{"Version": "2012-10-17", "Statement": ' + "[" * 5000 + "]" * 5000 + "}"


def test_a_key_policy_nested_5000_deep_is_unknown_for_its_notebook_alone(aws: MotoStack) -> None:
    # NOTE: moto accepts the policy through put_key_policy, but its own DescribeKey then parses
    # it and answers 500 (RecursionError inside moto). So moto keeps an ordinary policy, and the
    # proxy in front of it answers this key's GetKeyPolicy with the hostile document in KMS's
    # real response shape, over HTTP through botocore, as a compromised endpoint would.
    deep = aws.create_key()
    good = aws.create_key()
    answer = {"Policy": DEEP_POLICY, "PolicyName": "default"}
    aws.add_rule("GetKeyPolicy", canned(answer), service="kms", body_contains=deep["KeyId"])
    aws.create_notebook("deep", deep["KeyId"])
    aws.create_notebook("good", good["KeyId"])
    result = scan()
    assert verdicts(result) == {"deep": ("UNKNOWN", ("unresolved",)), "good": ("PASS", ())}
    assert "nested too deeply" in finding(result, "deep").message
    assert result.result.errors == ()


def _static_advice(text: str) -> bool:
    return any(word in text for word in ("--var", "terraform", "kms_key_id =", "is_enabled"))


@pytest.mark.parametrize("fmt", ["text", "markdown", "junit", "sarif"])
def test_live_findings_get_live_advice(
    aws: MotoStack, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    key = aws.create_key()
    aws.create_notebook("unknown", key["KeyId"])
    aws.create_notebook("missing")
    aws.deny("GetKeyPolicy", "kms")
    status = cli.main(["live", "--regions", "us-east-1", "--quiet", "--format", fmt])
    out = capsys.readouterr().out
    assert status == 1
    assert CATALOGUE[Reason.UNRESOLVED].fix not in out
    assert "`--var`" not in out
    assert "grant the scanning identity what it refused" in out
    assert "recreate the notebook with `KmsKeyId`" in out


def test_live_advice_per_finding_in_asff_and_the_library(aws: MotoStack) -> None:
    key = aws.create_key()
    aws.create_notebook("unknown", key["KeyId"])
    aws.create_notebook("missing")
    aws.deny("GetKeyPolicy", "kms")
    result = scan()
    for name in ("unknown", "missing"):
        found = finding(result, name)
        assert found.status is not Status.PASS
        assert found.fix is not None
        assert not _static_advice(found.fix), found.fix


def test_asff_remediation_of_a_live_finding(
    aws: MotoStack, capsys: pytest.CaptureFixture[str]
) -> None:
    aws.create_notebook("missing")
    args = ["live", "--regions", "us-east-1", "--quiet", "--format", "asff"]
    assert cli.main(args) == 1
    [asff] = json.loads(capsys.readouterr().out)
    text = asff["Remediation"]["Recommendation"]["Text"]
    assert text == CATALOGUE[Reason.MISSING].live_fix
    assert not _static_advice(text)


def test_every_reason_has_live_advice_without_static_words() -> None:
    for reason in Reason:
        advice = CATALOGUE[reason].advice(live=True)
        assert not _static_advice(advice), (reason, advice)
