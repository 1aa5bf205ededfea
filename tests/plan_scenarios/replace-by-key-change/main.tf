# The lifecycle configuration "backup-to-s3" is created in moto by scripts/regen_plan_fixtures.py
# (scenario.json): moto 5 cannot list the tags of one, which the Terraform resource needs.
# The second version: kms_key_id is added to two notebooks (forces replacement), one notebook
# stays as it is (no-op, still without a key) and one is removed (delete: no finding).
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "sagemaker.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}

resource "aws_kms_key" "notebooks" {
  description         = "notebook volumes"
  enable_key_rotation = true
}

resource "aws_sagemaker_notebook_instance" "with_backup" {
  name                  = "with-backup"
  role_arn              = aws_iam_role.nb.arn
  instance_type         = "ml.t3.medium"
  lifecycle_config_name = "backup-to-s3"
  kms_key_id            = aws_kms_key.notebooks.arn
}

resource "aws_sagemaker_notebook_instance" "no_backup" {
  name          = "no-backup"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.notebooks.arn
}

resource "aws_sagemaker_notebook_instance" "untouched" {
  name          = "untouched"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
}
