"""Live findings group their API calls into the key path and the policy path."""

from __future__ import annotations

from awsharness import MotoStack

from cmkguard.findings import ChainKind
from live.conftest import finding, scan


def test_live_key_path_and_policy_path(aws: MotoStack) -> None:
    key = aws.create_key()
    aws.create_notebook("good", key["Arn"])
    found = finding(scan(), "good")
    chains = {chain.kind: [step.label for step in chain.steps] for chain in found.evidence}
    assert list(chains) == [ChainKind.KEY, ChainKind.POLICY]
    assert chains[ChainKind.KEY][0].startswith("DescribeNotebookInstance")
    assert any(label.startswith("DescribeKey") for label in chains[ChainKind.KEY])
    assert chains[ChainKind.POLICY] == [f"GetKeyPolicy {key['Arn']} default"]
