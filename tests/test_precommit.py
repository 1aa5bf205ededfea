"""The pre-commit hook, driven by the real ``pre-commit`` tool in a throwaway git repository.

The hook repository is a copy of this checkout's package files committed in a temporary git
repository (pre-commit clones a repository at a revision, and the working tree may hold
uncommitted changes). pre-commit installs the hook from that local path with pip, so the test
needs only the package index, never the network beyond it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PACKAGE_FILES = ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml", "src")

FAILING = """\
resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = "arn:aws:iam::111122223333:role/nb"
  instance_type = "ml.t3.medium"
}
"""
FIXED = """\
provider "aws" {
  region = "eu-west-1"
}

resource "aws_kms_key" "notebooks" {
  description         = "notebook volumes"
  enable_key_rotation = true
}

resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = "arn:aws:iam::111122223333:role/nb"
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.notebooks.arn
}
"""

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PRE_COMMIT_HOME=str(home / "pre-commit-cache"),
        GIT_AUTHOR_NAME="test",
        GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="test",
        GIT_COMMITTER_EMAIL="test@example.invalid",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
    )
    return env


def _git(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def _hook_repo(tmp_path: Path, env: dict[str, str]) -> tuple[Path, str]:
    repo = tmp_path / "hook-repo"
    repo.mkdir()
    for name in PACKAGE_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, repo / name)
    assert _git(repo, env, "init", "-q").returncode == 0
    assert _git(repo, env, "add", "-A").returncode == 0
    assert _git(repo, env, "commit", "-q", "-m", "hook").returncode == 0
    head = _git(repo, env, "rev-parse", "HEAD").stdout.strip()
    return repo, head


def test_a_failing_notebook_blocks_the_commit_and_a_fixed_one_passes(tmp_path: Path) -> None:
    pre_commit = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    if not Path(pre_commit).exists():
        pytest.skip("pre-commit is not installed (it is in the test extra)")
    env = _env(tmp_path)
    hook_repo, rev = _hook_repo(tmp_path, env)
    work = tmp_path / "infra"
    work.mkdir()
    assert _git(work, env, "init", "-q").returncode == 0
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n      - id: cmkguard\n",
        encoding="utf-8",
    )
    install = subprocess.run(
        [pre_commit, "install"], cwd=work, env=env, capture_output=True, text=True, check=False
    )
    assert install.returncode == 0, install.stderr

    (work / "main.tf").write_text(FAILING, encoding="utf-8")
    _git(work, env, "add", "-A")
    blocked = _git(work, env, "commit", "-q", "-m", "add a notebook")
    assert blocked.returncode != 0, blocked.stdout + blocked.stderr
    output = blocked.stdout + blocked.stderr
    assert "aws_sagemaker_notebook_instance.nb" in output
    assert "FAIL" in output
    assert _git(work, env, "rev-parse", "--verify", "-q", "HEAD").returncode != 0

    (work / "main.tf").write_text(FIXED, encoding="utf-8")
    _git(work, env, "add", "-A")
    passed = _git(work, env, "commit", "-q", "-m", "add a notebook with its key")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert _git(work, env, "rev-parse", "--verify", "-q", "HEAD").returncode == 0
