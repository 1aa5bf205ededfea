"""The registry binds every check to the codes it may emit, and the judge holds it to them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from case_runner import run_case

from cmkguard.catalogue.codes import Reason, WarningCode
from cmkguard.catalogue.entries import CATALOGUE
from cmkguard.control import notebook_cmk
from cmkguard.control.check import Check, Code, Facts, Outcome, Scope
from cmkguard.control.checks import CHECKS
from cmkguard.inventory import Notebook, SourceLocation
from cmkguard.scan import ScanOptions, scan_paths
from cmkguard.settings import Settings
from cmkguard.values import Known, Unknown

TESTS = Path(__file__).parents[2]
CASES = sorted(p for p in (TESTS / "cases").iterdir() if (p / "expected.json").exists())
PLANS = sorted(p for p in (TESTS / "plans").glob("*.json") if not p.name.endswith(".expected.json"))


def _notebook() -> Notebook:
    return Notebook(
        address="aws_sagemaker_notebook_instance.nb",
        location=SourceLocation("main.tf", 1),
        region=Known("eu-west-1"),
        account=Unknown("no account"),
        kms_key=Known(None),
        role=Unknown("no role"),
    )


def test_every_catalogue_code_is_declared_by_a_check() -> None:
    declared = frozenset().union(*(c.emits for c in CHECKS))
    undeclared = set(CATALOGUE) - declared - {Reason.UNRESOLVED}
    assert not undeclared, f"no check declares {sorted(undeclared)}"


def test_no_check_declares_unresolved() -> None:
    # ``unresolved`` is the judge's word for a check's unknowns, never a check's own finding.
    assert all(Reason.UNRESOLVED not in c.emits for c in CHECKS)


def test_check_names_are_unique() -> None:
    names = [c.name for c in CHECKS]
    assert len(names) == len(set(names))


def test_missing_and_empty_are_checks() -> None:
    by_code = {code: c.name for c in CHECKS for code in c.emits}
    assert by_code[Reason.MISSING] == "missing"
    assert by_code[Reason.EMPTY] == "empty"


def test_an_undeclared_code_is_refused() -> None:
    def liar(_: Facts) -> Outcome:
        return Outcome(warnings=((WarningCode.KEY_ROTATION_DISABLED, "rotation is off"),))

    check = Check("liar", frozenset({Reason.MISSING}), liar, frozenset({Scope.UNSET}))
    with pytest.raises(AssertionError, match="liar emitted undeclared"):
        check(Facts.of(_notebook(), Settings()))


def test_missing_setting_runs_only_the_missing_check() -> None:
    facts = Facts.of(_notebook(), Settings())
    ran = [c.name for c in CHECKS if facts.scope in c.scopes]
    assert ran == ["destructive-replacement", "missing"]


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Check, Outcome]]:
    """Every (check, outcome) the judge produces while the fixture is active."""
    seen: list[tuple[Check, Outcome]] = []

    def recording(check: Check) -> Callable[[Facts], Outcome]:
        def run(facts: Facts) -> Outcome:
            outcome = check.run(facts)
            seen.append((check, outcome))
            return outcome

        return run

    # A declared set wide enough to let every outcome through, so this test, not the judge's
    # guard, is the one that reports an undeclared code.
    wide = frozenset[Code](CATALOGUE)
    patched = tuple(replace(c, run=recording(c), emits=wide) for c in CHECKS)
    monkeypatch.setattr(notebook_cmk, "CHECKS", patched)
    return seen


def test_outcomes_of_every_case_and_plan_carry_only_declared_codes(
    recorded: list[tuple[Check, Outcome]],
) -> None:
    for case in CASES:
        run_case(case)
    scan_paths(PLANS, ScanOptions())
    assert recorded, "no check ran"
    declared = {c.name: c.emits for c in CHECKS}
    wrong = [
        (check.name, sorted(outcome.codes - declared[check.name]))
        for check, outcome in recorded
        if outcome.codes - declared[check.name]
    ]
    assert not wrong
    emitted = frozenset().union(*(outcome.codes for _, outcome in recorded))
    assert emitted == frozenset().union(*declared.values()), "a declared code no case exercises"
