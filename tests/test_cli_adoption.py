"""The adoption flags end to end: config file, allow-list, suppressions, baseline, exclude.

Each test runs ``python -m cmkguard`` on a small tree written here, as a user would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ALLOWED = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
OTHER = "arn:aws:kms:eu-west-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321"


def notebook(name: str, kms_key_id: str | None = None, comment: str = "") -> str:
    key = f'  kms_key_id    = "{kms_key_id}"\n' if kms_key_id else ""
    return (
        (comment + "\n" if comment else "")
        + f'resource "aws_sagemaker_notebook_instance" "{name}" {{\n'
        + f'  name          = "{name}"\n'
        + '  role_arn      = "arn:aws:iam::111122223333:role/nb"\n'
        + '  instance_type = "ml.t3.medium"\n'
        + key
        + "}\n"
    )


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("TF_VAR_", "NO_COLOR"))}
    return subprocess.run(
        [sys.executable, "-m", "cmkguard", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environ,
        check=False,
    )


def repo(tmp_path: Path, tf: str, toml: str | None = None) -> Path:
    (tmp_path / ".git").mkdir()
    infra = tmp_path / "infra"
    infra.mkdir()
    (infra / "main.tf").write_text(tf, encoding="utf-8")
    (infra / "provider.tf").write_text('provider "aws" {\n  region = "eu-west-1"\n}\n')
    if toml is not None:
        (tmp_path / "cmkguard.toml").write_text(toml, encoding="utf-8")
    return tmp_path


def findings(done: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    document = json.loads(done.stdout)
    found = document["findings"]
    assert isinstance(found, list)
    return found


def test_config_allow_list_fails_other_keys_and_flags_win(tmp_path: Path) -> None:
    root = repo(tmp_path, notebook("nb", OTHER), f'allowed_keys = ["{ALLOWED}"]\n')
    done = run(root, "scan", "infra", "--format", "json")
    assert done.returncode == 1, done.stderr
    assert findings(done)[0]["reasons"] == ["key-not-allowed"]
    done = run(root, "scan", "infra", "--format", "json", "--allowed-key", OTHER)
    assert done.returncode == 0, done.stdout + done.stderr
    # A key ID on the list allows the key ARN with that ID.
    done = run(root, "scan", "infra", "--allowed-key", OTHER.rpartition("/")[2])
    assert done.returncode == 0, done.stdout


def test_config_unknown_key_is_one_line_naming_file_and_key(tmp_path: Path) -> None:
    root = repo(tmp_path, notebook("nb", ALLOWED), "strict = true\nallowed_key = []\n")
    done = run(root, "scan", "infra")
    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert "cmkguard.toml:2: unknown key 'allowed_key'" in line
    assert "Traceback" not in done.stderr


def test_config_outputs_are_written_unless_output_is_given(tmp_path: Path) -> None:
    root = repo(tmp_path, notebook("nb", ALLOWED), 'outputs = ["json=out.json"]\n')
    done = run(root, "scan", "infra")
    assert done.returncode == 0, done.stderr
    assert json.loads((root / "out.json").read_text(encoding="utf-8"))["findings"]
    done = run(root, "scan", "infra", "--output", "sarif=other.sarif")
    assert (root / "other.sarif").exists()
    shown = run(root, "config", "show", "infra").stdout.splitlines()
    assert f"outputs = ['json=out.json']  # {root / 'cmkguard.toml'}:1" in shown
    (root / "cmkguard.toml").write_text('outputs = ["nope=x"]\n', encoding="utf-8")
    bad = run(root, "scan", "infra")
    assert bad.returncode == 2
    assert "cmkguard.toml:1: outputs: 'nope=x' names no known format" in bad.stderr


def test_config_show_names_each_origin(tmp_path: Path) -> None:
    root = repo(tmp_path, notebook("nb"), "strict = true\nexclude = ['vendor/*']\n")
    done = run(root, "config", "show", "infra", "--deployer-principal", "arn:aws:iam::1:role/ci")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    toml = tmp_path / "cmkguard.toml"
    assert f"# configuration file: {toml}" in lines
    assert f"strict = true  # {toml}:1" in lines
    assert f"exclude = ['vendor/*']  # {toml}:2" in lines
    assert "deployer_principals = ['arn:aws:iam::1:role/ci']  # --deployer-principal" in lines
    assert "allowed_keys = []  # default" in lines
    done = run(root, "config", "show", "infra", "--no-strict")
    assert "strict = false  # --strict/--no-strict" in done.stdout.splitlines()


def test_explicit_config_file(tmp_path: Path) -> None:
    root = repo(tmp_path, notebook("nb", OTHER))
    (tmp_path / "ci.toml").write_text(f'allowed_keys = ["{ALLOWED}"]\n', encoding="utf-8")
    assert run(root, "scan", "infra").returncode == 0
    assert run(root, "scan", "infra", "--config", "ci.toml").returncode == 1
    missing = run(root, "scan", "infra", "--config", "nope.toml")
    assert missing.returncode == 2
    assert "nope.toml: no such configuration file" in missing.stderr


def test_suppressions_from_comments_and_config(tmp_path: Path) -> None:
    tf = notebook("a", comment='# cmkguard:ignore[missing] reason="sandbox"') + notebook("gen")
    toml = (
        '[[suppressions]]\naddress = "aws_sagemaker_notebook_instance.gen"\n'
        'codes = ["missing"]\nreason = "generated"\n'
    )
    root = repo(tmp_path, tf, toml)
    done = run(root, "scan", "infra")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 notebooks: 0 PASS, 2 FAIL, 0 UNKNOWN (2 suppressed, 0 baselined)" in done.stdout


def test_unused_and_malformed_suppressions(tmp_path: Path) -> None:
    tf = notebook("a", ALLOWED, '# cmkguard:ignore[missing] reason="was missing once"')
    root = repo(tmp_path, tf)
    done = run(root, "scan", "infra")
    assert done.returncode == 0
    assert "unused suppression [missing] at main.tf:1" in done.stdout
    strict = run(root, "scan", "infra", "--fail-on-unused-suppressions")
    assert strict.returncode == 2
    assert "cmkguard: error: main.tf:1: unused suppression [missing]" in strict.stdout
    (root / "infra" / "main.tf").write_text(
        notebook("a", comment="# cmkguard:ignore[missing]"), encoding="utf-8"
    )
    broken = run(root, "scan", "infra")
    assert broken.returncode == 2
    assert "main.tf:1: malformed suppression" in broken.stdout
    assert "aws_sagemaker_notebook_instance.a  FAIL" in broken.stdout


def test_baseline_write_then_scan(tmp_path: Path) -> None:
    root = repo(tmp_path, notebook("old"))
    written = run(root, "baseline", "write", "debt.json", "infra")
    assert written.returncode == 0, written.stderr
    assert "wrote 1 findings to debt.json" in written.stderr
    assert run(root, "scan", "infra").returncode == 1
    done = run(root, "scan", "infra", "--baseline", "debt.json")
    assert done.returncode == 0, done.stdout
    assert "(0 suppressed, 1 baselined)" in done.stdout
    (root / "infra" / "main.tf").write_text(notebook("new"), encoding="utf-8")
    done = run(root, "scan", "infra", "--baseline", "debt.json")
    assert done.returncode == 1
    assert "fixed since the baseline: aws_sagemaker_notebook_instance.old (missing)" in done.stdout
    (root / "debt.json").write_text("{}", encoding="utf-8")
    broken = run(root, "scan", "infra", "--baseline", "debt.json")
    assert broken.returncode == 2
    assert "debt.json: not a cmkguard baseline" in broken.stderr


def test_exclude_drops_findings_in_matching_files(tmp_path: Path) -> None:
    root = repo(tmp_path, notebook("nb"))
    (root / "infra" / "vendor").mkdir()
    (root / "infra" / "vendor" / "main.tf").write_text(notebook("v"), encoding="utf-8")
    done = run(root, "scan", "infra", "--format", "json", "--exclude", "main.tf")
    assert [f["address"] for f in findings(done)] == ["aws_sagemaker_notebook_instance.v"]
