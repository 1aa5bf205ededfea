"""Small Terraform trees for the ``cmkguard fix`` tests (tests/unit/fix)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROLE = """resource "aws_iam_role" "nb" {
  name               = "nb"
  assume_role_policy = "{}"
}
"""

PROVIDER = """provider "aws" {
  region = "eu-west-1"
}
"""


def notebook(name: str, extra: str = "") -> str:
    """A notebook block as ``terraform fmt`` writes it, with ``extra`` lines at its end."""
    return (
        f'resource "aws_sagemaker_notebook_instance" "{name}" {{\n'
        f'  name          = "{name}"\n'
        "  role_arn      = aws_iam_role.nb.arn\n"
        '  instance_type = "ml.t3.medium"\n'
        f"{extra}"
        "}\n"
    )


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (relative path → text) under ``root``; returns ``root``."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@dataclass(frozen=True)
class Run:
    """One ``cmkguard fix`` run."""

    status: int
    out: str
    err: str
