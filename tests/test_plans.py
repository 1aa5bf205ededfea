"""Plans and state judged end to end: real fixtures made by Terraform against moto.

``tests/plans/<scenario>.plan.json`` (and ``.state.json``) come from
``scripts/regen_plan_fixtures.py`` run over ``tests/plan_scenarios/<scenario>/``. Each has an
``<name>.expected.json`` listing the exact findings, compared in both directions.
"""

from __future__ import annotations

import codecs
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from case_runner import compare
from expectations import expected_key, finding_key

from cmkguard.control.notebook_cmk import judge
from cmkguard.findings import Finding, InputKind, Status
from cmkguard.inventory import SourceLocation
from cmkguard.scan import ScanOptions, scan_paths
from cmkguard.settings import Settings
from cmkguard.sources.plan import load_plan, looks_like_terraform_json
from cmkguard.sources.terraform.loader import VariableInputs, load_terraform

TESTS = Path(__file__).parent
PLANS = TESTS / "plans"
SCENARIOS = TESTS / "plan_scenarios"
SCRIPT = TESTS.parent / "scripts" / "regen_plan_fixtures.py"
FIXTURES = sorted(p for p in PLANS.glob("*.json") if not p.name.endswith(".expected.json"))


def expected_path(fixture: Path) -> Path:
    """``create.plan.json`` → ``create.plan.expected.json``."""
    return fixture.with_name(fixture.name.removesuffix(".json") + ".expected.json")


def judge_file(path: Path, locations: dict[str, SourceLocation] | None = None) -> list[Finding]:
    """Load and judge one plan/state file; its errors must be none."""
    inventory, kind, errors = load_plan(path.read_bytes(), path.name, locations)
    assert errors == []
    return list(judge(inventory, Settings(), kind))


def verdicts(findings: list[Finding]) -> dict[str, tuple[str, list[str]]]:
    """Address → (status, sorted reasons)."""
    return {f.address: (f.status.value, sorted(r.value for r in f.reasons)) for f in findings}


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_fixture_findings_match_expected(fixture: Path) -> None:
    spec: dict[str, Any] = json.loads(expected_path(fixture).read_text())
    got = [finding_key(f) for f in judge_file(fixture)]
    want = [expected_key(e) for e in spec["findings"]]
    missing = [w for w in want if w not in got]
    unexpected = [g for g in got if g not in want]
    assert (missing, unexpected) == ([], [])


def test_every_fixture_has_expectations_and_a_scenario() -> None:
    expectations = {p.name for p in PLANS.glob("*.expected.json")}
    assert expectations == {expected_path(f).name for f in FIXTURES}
    scenarios = {p.name for p in SCENARIOS.iterdir() if p.is_dir()}
    assert {f.name.split(".")[0] for f in FIXTURES} == scenarios


def test_plan_and_state_kinds() -> None:
    _, plan_kind, _ = load_plan((PLANS / "create.plan.json").read_bytes(), "p.json")
    _, state_kind, _ = load_plan((PLANS / "create.state.json").read_bytes(), "s.json")
    assert (plan_kind, state_kind) == (InputKind.PLAN, InputKind.STATE)


def test_fool_after_unknown_is_never_pass() -> None:
    """Checkov turns an unknown kms_key_id into a truthy placeholder and passes."""
    (finding,) = judge_file(PLANS / "fool-after-unknown.plan.json")
    assert finding.status is Status.UNKNOWN
    assert "local.key" in finding.message


def test_replacement_warns_and_names_the_lifecycle_configuration() -> None:
    findings = {f.address: f for f in judge_file(PLANS / "replace-by-key-change.plan.json")}
    with_backup = findings["aws_sagemaker_notebook_instance.with_backup"]
    no_backup = findings["aws_sagemaker_notebook_instance.no_backup"]
    for finding in (with_backup, no_backup):
        assert finding.warnings[0].value == "destructive-replacement"
        assert any("back the notebook" in n for n in finding.notes)
    assert any('"backup-to-s3"' in n for n in with_backup.notes)
    assert any("no lifecycle configuration" in n for n in no_backup.notes)
    assert "aws_sagemaker_notebook_instance.retired" not in findings, "deleted: no finding"
    untouched = findings["aws_sagemaker_notebook_instance.untouched"]
    assert untouched.warnings == ()


def test_source_locations_replace_json_lines() -> None:
    where = SourceLocation("modules/notebook/main.tf", 14)
    locations = {
        "module.team.aws_sagemaker_notebook_instance.this": where,
        "aws_sagemaker_notebook_instance.root": SourceLocation("main.tf", 18),
    }
    findings = judge_file(PLANS / "module.plan.json", locations)
    got = {f.address: (f.file, f.line) for f in findings}
    assert got['module.team["alpha"].aws_sagemaker_notebook_instance.this'] == (where.file, 14)
    assert got["aws_sagemaker_notebook_instance.root"] == ("main.tf", 18)
    assert got["module.unencrypted.aws_sagemaker_notebook_instance.this"][0] == "module.plan.json"


# -- encodings and bad files -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-16-le", b""),
    ],
    ids=["utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-16-le-no-bom"],
)
def test_windows_encodings_read_like_utf8(encoding: str, bom: bytes) -> None:
    """PowerShell's ``>`` writes UTF-16 with a BOM; editors add a UTF-8 BOM."""
    text = (PLANS / "create.plan.json").read_text(encoding="utf-8")
    data = bom + text.encode(encoding)
    assert looks_like_terraform_json(data)
    inventory, kind, errors = load_plan(data, "create.plan.json")
    assert errors == []
    plain = judge_file(PLANS / "create.plan.json")
    assert [finding_key(f) for f in judge(inventory, Settings(), kind)] == [
        finding_key(f) for f in plain
    ]


def _plan_text() -> str:
    return (PLANS / "create.plan.json").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (
            b'{"format_version": "2.0", "planned_values": {}}',
            1,
            "unsupported plan format_version 2.0 (cmkguard reads 1.x)",
        ),
        (
            b'{"format_version": "0.1", "values": {}}',
            1,
            "unsupported state format_version 0.1 (cmkguard reads 1.x)",
        ),
        (
            b'{"name": "my-app", "version": "1.0.0"}',
            1,
            "not a Terraform plan or state (terraform show -json output)",
        ),
        (b"[1, 2, 3]", 1, "not a Terraform plan or state (terraform show -json output)"),
        (
            b'{\n  "format_version": "1.2",\n  "planned_values": {,}\n}',
            3,
            "invalid JSON: Expecting property name enclosed in double quotes (column 22)",
        ),
        (
            _plan_text()[:2000].encode(),
            _plan_text()[:2000].count("\n") + 1,
            "invalid JSON: the file ends early",
        ),
        (b"", None, "empty file; not a Terraform plan or state (terraform show -json output)"),
        (
            b"\xff\xfe\x00\xd8",
            None,
            "not UTF-8 or UTF-16 text; not a Terraform plan or state (terraform show -json output)",
        ),
        (
            b'{"version": 3, "terraform_version": "0.11.14", "resources": []}',
            1,
            "unsupported state file version 3 (cmkguard reads version 4)",
        ),
    ],
    ids=[
        "format-2.x",
        "state-format-0.x",
        "package-json",
        "json-array",
        "invalid-json",
        "truncated",
        "empty",
        "bad-utf16",
        "tfstate-v3",
    ],
)
def test_bad_files_give_one_clear_error(data: bytes, line: int | None, message: str) -> None:
    inventory, _, errors = load_plan(data, "bad.json")
    assert inventory.notebooks == ()
    assert len(errors) == 1
    assert (errors[0].path, errors[0].line) == ("bad.json", line)
    assert errors[0].message.startswith(message)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'{"format_version":"1.2","terraform_version":"1.11.4"', True),
        (b'{\n  "version": 4,\n  "terraform_version": "1.11.4",\n', True),
        (codecs.BOM_UTF16_LE + '{"format_version":"1.0"}'.encode("utf-16-le"), True),
        (codecs.BOM_UTF8 + b'{"format_version":"1.0"}', True),
        (b'{"name": "package"}', False),
        (b'resource "aws_kms_key" "k" {}', False),
        (b"", False),
    ],
)
def test_sniff(data: bytes, expected: bool) -> None:
    assert looks_like_terraform_json(data) is expected


# -- source and plan agree ------------------------------------------------------------------


def _plan_vars(scenario: Path) -> dict[str, str]:
    """The ``-var`` values the scenario's plan was made with (``scenario.json`` ``plan_vars``)."""
    spec = scenario / "scenario.json"
    found = json.loads(spec.read_text()).get("plan_vars", {}) if spec.exists() else {}
    return dict(found)


def _comparable_scenarios() -> list[Path]:
    """Scenarios whose plan must judge like their source (``fool-`` cases differ on purpose:
    the plan alone lacks what the source has; ``plan_vars`` ones were planned with other values
    than the source's defaults)."""
    return sorted(
        p
        for p in SCENARIOS.iterdir()
        if p.is_dir() and not p.name.startswith("fool-") and not _plan_vars(p)
    )


@pytest.mark.parametrize("scenario", _comparable_scenarios(), ids=lambda p: p.name)
def test_source_and_plan_give_the_same_verdicts(scenario: Path) -> None:
    inventory, errors, _ = load_terraform([scenario], VariableInputs())
    assert errors == []
    from_source = verdicts(list(judge(inventory, Settings(), InputKind.TERRAFORM)))
    from_plan = verdicts(judge_file(PLANS / f"{scenario.name}.plan.json"))
    assert from_source == from_plan


@pytest.mark.parametrize("scenario", sorted(SCENARIOS.iterdir()), ids=lambda p: p.name)
def test_scenario_source_matches_its_expected(scenario: Path) -> None:
    """Each scenario directory is also a source case (c7n-left style ``expected.json``)."""
    assert compare(scenario) == []


def test_plan_scanned_with_its_tree_points_at_the_source() -> None:
    scenario = SCENARIOS / "module"
    result = scan_paths([scenario, PLANS / "module.plan.json"], ScanOptions())
    plan_findings = [f for f in result.findings if f.input is InputKind.PLAN]
    assert plan_findings
    assert {f.file for f in plan_findings} <= {"main.tf", "modules/notebook/main.tf"}


# -- regeneration ---------------------------------------------------------------------------


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("regen_plan_fixtures", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the class body runs.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_regenerated_fixtures_equal_the_committed_ones(tmp_path: Path) -> None:
    """Runs Terraform + moto end to end; needs terraform and the provider mirror."""
    script = _load_script()
    tools = script.find_tools()
    if isinstance(tools, str):
        pytest.skip(tools)
    assert script.main(["--out", str(tmp_path)]) == 0
    regenerated = sorted(p.name for p in tmp_path.glob("*.json"))
    assert regenerated == [f.name for f in FIXTURES]
    for name in regenerated:
        fresh = json.loads((tmp_path / name).read_text())
        committed = json.loads((PLANS / name).read_text())
        assert fresh == committed, f"{name} differs: run scripts/regen_plan_fixtures.py"


def test_replacement_warning_and_advice_in_text_and_json_output() -> None:
    plan = str(PLANS / "replace-by-key-change.plan.json")
    for fmt in ("text", "json"):
        proc = subprocess.run(
            [sys.executable, "-m", "cmkguard", "scan", plan, "--format", fmt, "--no-color"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode in (0, 1), proc.stderr
        assert "destructive-replacement" in proc.stdout
        assert "lifecycle configuration" in proc.stdout
        assert "S3" in proc.stdout
        if fmt == "json":
            findings = json.loads(proc.stdout)["findings"]
            warned = [f for f in findings if "destructive-replacement" in f["warnings"]]
            assert warned
            assert all(any("S3" in n for n in f["notes"]) for f in warned)


@pytest.mark.parametrize(
    "scenario", [p for p in sorted(SCENARIOS.iterdir()) if not _plan_vars(p)], ids=lambda p: p.name
)
def test_plan_scanned_with_its_tree_agrees_with_the_tree(scenario: Path) -> None:
    """With the source tree in the same run, a key policy the plan knows only after apply is
    read from the source's evaluation, and the plan's verdicts are the source's."""
    from cmkguard.scan import ScanOptions, scan_paths

    plan = PLANS / f"{scenario.name}.plan.json"
    result = scan_paths([scenario, plan], ScanOptions())
    by_input: dict[InputKind, list[Finding]] = {}
    for finding in result.findings:
        by_input.setdefault(finding.input, []).append(finding)
    from_source = verdicts(by_input[InputKind.TERRAFORM])
    from_plan = verdicts(by_input[InputKind.PLAN])
    # The fool case's key is unresolvable from the plan alone (test_fool_after_unknown_is_never_
    # pass); with its tree, the tree evaluated with the plan's variables settles it.
    assert from_plan == from_source


def test_source_policy_defined_differently_by_two_roots_is_not_used() -> None:
    """A plan cannot say which root it came from: conflicting source policies stand for none."""
    from cmkguard.scan import SourceContext
    from cmkguard.values import Known, Unknown

    context = SourceContext()
    context.add_policy("aws_kms_key.k", Known({"Statement": []}))
    context.add_policy("aws_kms_key.k", Known({"Statement": []}))
    agreed = context.policies["aws_kms_key.k"]
    assert agreed == Known({"Statement": []})
    context.add_policy("aws_kms_key.k", Known(None))
    conflicting = context.policies["aws_kms_key.k"]
    assert isinstance(conflicting, Unknown)


def test_plan_with_its_tree_is_settled_with_the_plans_variables() -> None:
    """Item 13 of issue 7: a key picked from a local map and from a module output built by
    ``for``, indexed by a variable the plan sets to ``prod`` (the source's default, ``dev``, is
    a disabled key). The plan alone is UNKNOWN; the tree alone judges ``dev``; together, the
    tree evaluated with the plan's variables judges the plan's notebooks on ``prod``."""
    scenario = SCENARIOS / "plan-vars-settle-locals"
    plan = PLANS / "plan-vars-settle-locals.plan.json"
    result = scan_paths([scenario, plan], ScanOptions())
    from_plan = {
        f.address: (f.status.value, [r.value for r in f.reasons], f.file)
        for f in result.findings
        if f.input is InputKind.PLAN
    }
    assert from_plan == {
        "aws_sagemaker_notebook_instance.from_local": ("PASS", [], "main.tf"),
        "aws_sagemaker_notebook_instance.from_module": ("PASS", [], "main.tf"),
    }
    steps = [
        str(step)
        for f in result.findings
        if f.input is InputKind.PLAN
        for chain in f.evidence
        for step in chain.steps
    ]
    assert any(
        "evaluated with the variables of plan-vars-settle-locals.plan.json" in s for s in steps
    )
    from_tree = {f.status.value for f in result.findings if f.input is InputKind.TERRAFORM}
    assert from_tree == {"FAIL"}


def test_plan_fail_is_never_settled_into_a_pass(tmp_path: Path) -> None:
    """What the plan knows wins: a plan whose known key is AWS managed stays FAIL whatever a
    tree with the same addresses says."""
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "main.tf").write_text((SCENARIOS / "fool-after-unknown" / "main.tf").read_text())
    plan = json.loads((PLANS / "fool-after-unknown.plan.json").read_text())
    for change in plan["resource_changes"]:
        if change["type"] == "aws_sagemaker_notebook_instance":
            change["change"]["after"]["kms_key_id"] = "alias/aws/sagemaker"
            change["change"]["after_unknown"].pop("kms_key_id", None)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    result = scan_paths([tree, path], ScanOptions())
    (planned,) = [f for f in result.findings if f.input is InputKind.PLAN]
    assert (planned.status.value, [r.value for r in planned.reasons]) == (
        "FAIL",
        ["aws-managed-key"],
    )


def test_plan_matching_no_scanned_root_is_judged_alone_with_a_notice() -> None:
    result = scan_paths(
        [SCENARIOS / "create", PLANS / "fool-after-unknown.plan.json"], ScanOptions()
    )
    planned = [f for f in result.findings if f.input is InputKind.PLAN]
    assert [f.status.value for f in planned] == ["UNKNOWN"]
    assert any("judged alone" in n for n in result.notices), result.notices
