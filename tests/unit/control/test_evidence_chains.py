"""A finding's evidence is grouped into chains: plan context, the key path, the policy path."""

from __future__ import annotations

from pathlib import Path

import pytest
from case_runner import run_case

from cmkguard.findings import ChainKind, EvidenceChain, Finding
from cmkguard.scan import ScanOptions, scan_paths

TESTS = Path(__file__).parents[2]


def _chains(finding: Finding) -> dict[ChainKind, list[str]]:
    return {chain.kind: [str(step) for step in chain.steps] for chain in finding.evidence}


def _only(case: str) -> Finding:
    result, _ = run_case(TESTS / "cases" / case)
    (found,) = result.findings
    return found


def test_key_and_policy_paths_are_separate_chains() -> None:
    chains = _chains(_only("key-policy-explicit-deny"))
    assert list(chains) == [ChainKind.KEY, ChainKind.POLICY]
    assert chains[ChainKind.KEY][0] == "kms_key_id (main.tf:36)"
    assert chains[ChainKind.KEY][-1] == "aws_kms_key.k (main.tf:10)"
    assert chains[ChainKind.POLICY][0] == "policy (main.tf:13)"


def test_unset_key_is_a_key_path_ending_in_null() -> None:
    chains = _chains(_only("missing"))
    assert list(chains) == [ChainKind.KEY]
    assert chains[ChainKind.KEY][-1] == "null"


def test_literal_key_path_ends_in_the_text_and_has_no_policy_path() -> None:
    chains = _chains(_only("fool-any-string"))
    assert list(chains) == [ChainKind.KEY]
    assert chains[ChainKind.KEY][-1] == '"foo"'


def test_plan_entry_is_context_before_the_key_and_policy_paths() -> None:
    result = scan_paths([TESTS / "plans" / "replace-by-key-change.plan.json"], ScanOptions())
    replaced = next(f for f in result.findings if f.address.endswith(".no_backup"))
    chains = _chains(replaced)
    assert list(chains) == [ChainKind.CONTEXT, ChainKind.KEY, ChainKind.POLICY]
    assert chains[ChainKind.CONTEXT][0].startswith("plan: aws_sagemaker_notebook_instance")
    (key,) = chains[ChainKind.KEY]
    assert key.startswith("aws_kms_key.notebooks (")
    assert key.endswith("replace-by-key-change.plan.json:40)")


def test_a_chain_is_never_empty() -> None:
    with pytest.raises(ValueError, match="at least one step"):
        EvidenceChain(ChainKind.KEY, ())
