"""The GitHub composite action: its shell steps run locally, as the runner runs them.

``uses:`` steps (setup-python, upload-sarif) need GitHub and are only checked by name. Every
``run:`` step is executed with ``bash --noprofile --norc -eo pipefail`` (GitHub's ``shell:
bash``), its ``env`` expressions filled in from the documented inputs, ``GITHUB_OUTPUT`` and
``GITHUB_STEP_SUMMARY`` pointing at files. The install step installs this checkout into a fresh
virtual environment from the package index, as the action does on a runner.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from report_schemas import validate_sarif

from cmkguard import baseline
from cmkguard.scan import ScanOptions, scan_paths

ROOT = Path(__file__).parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")

FAILING = """\
resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = "arn:aws:iam::111122223333:role/nb"
  instance_type = "ml.t3.medium"
}
"""


def test_every_input_is_documented() -> None:
    page = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    for name in ACTION["inputs"]:
        assert f"| `{name}` |" in page, f"input {name} is missing from docs/ci.md"


def test_uses_steps_are_the_documented_actions() -> None:
    uses = [step["uses"] for step in ACTION["runs"]["steps"] if "uses" in step]
    assert [u.split("@")[0] for u in uses] == [
        "actions/setup-python",
        "github/codeql-action/upload-sarif",
    ]


@dataclass
class Runner:
    """The parts of a GitHub runner the action's shell steps touch."""

    workspace: Path
    temp: Path
    venv: Path
    inputs: dict[str, str]
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def summary(self) -> Path:
        return self.temp / "step-summary.md"

    def value(self, expression: str) -> str:
        """A ``${{ }}`` expression of the action's ``env`` blocks."""
        if expression.startswith("inputs."):
            name = expression.removeprefix("inputs.")
            default = ACTION["inputs"][name].get("default", "")
            return self.inputs.get(name, str(default))
        if expression == "github.action_path":
            return str(ROOT)
        if expression == "runner.temp":
            return str(self.temp)
        match = re.fullmatch(r"steps\.(\w+)\.outputs\.([\w-]+)", expression)
        if match:
            return self.outputs.get(match[1], {}).get(match[2], "")
        raise AssertionError(f"unexpected expression in action.yml: {expression}")

    def run(self, step: dict[str, Any]) -> subprocess.CompletedProcess[str]:
        output = self.temp / "github-output"
        output.write_text("", encoding="utf-8")
        env = {
            "PATH": f"{self.venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
            "HOME": str(self.temp),
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "RUNNER_TEMP": str(self.temp),
        }
        for name, value in step.get("env", {}).items():
            env[name] = EXPRESSION.sub(lambda m: self.value(m[1]), str(value))
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=self.workspace,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if "id" in step:
            lines = output.read_text(encoding="utf-8").splitlines()
            self.outputs[step["id"]] = dict(line.split("=", 1) for line in lines if "=" in line)
        return done


def _shell_steps() -> dict[str, dict[str, Any]]:
    return {step["name"]: step for step in ACTION["runs"]["steps"] if "run" in step}


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment the install step installs this checkout into."""
    path = tmp_path_factory.mktemp("action-venv")
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    return path


@pytest.mark.slow
def test_install_scan_report_and_verdict(tmp_path: Path, venv: Path) -> None:
    workspace = tmp_path / "workspace"
    (workspace / "infra").mkdir(parents=True)
    (workspace / "infra" / "main.tf").write_text(FAILING, encoding="utf-8")
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    steps = _shell_steps()

    runner = Runner(workspace, temp, venv, {"paths": "infra"})
    install = runner.run(steps["Install cmkguard"])
    assert install.returncode == 0, install.stderr

    scan = runner.run(steps["Scan"])
    assert scan.returncode == 0, scan.stderr  # the verdict is the last step's business
    outputs = runner.outputs["scan"]
    assert outputs["exit-code"] == "1"
    validate_sarif(Path(outputs["sarif-file"]).read_text(encoding="utf-8"))
    summary = runner.summary.read_text(encoding="utf-8")
    assert "aws_sagemaker_notebook_instance.nb" in summary
    assert "1 FAIL" in summary
    assert runner.run(steps["Verdict"]).returncode != 0

    never = Runner(workspace, temp, venv, {"fail-on": "never"}, runner.outputs)
    assert never.run(steps["Verdict"]).returncode == 0


@pytest.mark.slow
def test_baseline_and_config_inputs(tmp_path: Path, venv: Path) -> None:
    workspace = tmp_path / "workspace"
    (workspace / "infra").mkdir(parents=True)
    (workspace / "infra" / "main.tf").write_text(FAILING, encoding="utf-8")
    recorded = scan_paths([workspace / "infra"], ScanOptions())
    (workspace / "debt.json").write_text(
        baseline.dumps(baseline.entries(recorded.findings)), encoding="utf-8"
    )
    (workspace / "ci.toml").write_text("strict = true\n", encoding="utf-8")
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    steps = _shell_steps()
    inputs = {"paths": "infra", "baseline": "debt.json", "config": "ci.toml"}
    runner = Runner(workspace, temp, venv, inputs)
    assert runner.run(steps["Install cmkguard"]).returncode == 0
    scan = runner.run(steps["Scan"])
    assert scan.returncode == 0, scan.stderr
    assert runner.outputs["scan"]["exit-code"] == "0", scan.stdout + scan.stderr
    assert "1 baselined" in runner.summary.read_text(encoding="utf-8")
    assert runner.run(steps["Verdict"]).returncode == 0
