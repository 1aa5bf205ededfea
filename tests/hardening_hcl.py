"""Terraform text shared by the issue 8 tests (``test_hardening_*.py``): a provider, a role and
a customer managed key whose notebooks PASS, and a notebook block to fill in."""

from __future__ import annotations

KEY_AND_ROLE = """
provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

resource "aws_kms_key" "k" {
  enable_key_rotation = true
}
"""

NOTEBOOK = """
resource "aws_sagemaker_notebook_instance" "{name}" {{
  {meta}
  name          = "{name}"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = {key}
}}
"""
"""Fill in ``name``, ``meta`` (``count = 2``, or empty) and ``key`` (an HCL expression)."""
