"""The live source on its own: ``AwsSource.load`` gives an inventory and the exchanges behind it,
no verdicts; the evidence calls are made only when the control's rule IDs are passed in."""

from __future__ import annotations

from awsharness import DEFAULT_ACCOUNT, MotoStack

from cmkguard.inventory import InputKind, KeyManager
from cmkguard.sources.aws.pipeline import AwsSource
from cmkguard.values import Known


def test_load_gives_the_inventory_and_every_call(aws: MotoStack) -> None:
    key = aws.create_key()
    aws.create_notebook("nb", key["KeyId"])
    loaded = AwsSource(regions=("us-east-1",)).load()
    assert loaded.kind is InputKind.LIVE
    assert loaded.errors == ()
    assert loaded.inputs == (f"aws:{DEFAULT_ACCOUNT}:us-east-1",)
    [notebook] = loaded.inventory.notebooks
    assert notebook.address.endswith(":notebook-instance/nb")
    assert isinstance(notebook.kms_key, Known)
    assert notebook.kms_key.value is not None
    assert notebook.kms_key.value.key is not None
    assert notebook.kms_key.value.key.manager == Known(KeyManager.CUSTOMER)
    operations = {record.operation for record in loaded.records}
    assert {"ListNotebookInstances", "DescribeNotebookInstance", "DescribeKey"} <= operations
    assert not operations & {"DescribeConfigRules", "LookupEvents"}
    assert [identity["Account"] for identity in loaded.identities] == [DEFAULT_ACCOUNT]
    assert loaded.started_at <= loaded.finished_at


def test_evidence_calls_only_with_rule_ids(aws: MotoStack) -> None:
    loaded = AwsSource(regions=("us-east-1",), config_rule_ids=("SOME_RULE",)).load()
    operations = {record.operation for record in loaded.records}
    assert "LookupEvents" in operations
