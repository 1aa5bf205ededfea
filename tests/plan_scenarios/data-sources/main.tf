# Keys looked up by data sources. scripts/regen_plan_fixtures.py first creates in moto the AWS
# managed key behind alias/aws/sagemaker and a customer key behind alias/team (see moto.json).
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

data "aws_kms_alias" "sagemaker" {
  name = "alias/aws/sagemaker"
}

data "aws_kms_key" "sagemaker" {
  key_id = "alias/aws/sagemaker"
}

data "aws_kms_alias" "team" {
  name = "alias/team"
}

data "aws_kms_key" "team" {
  key_id = "alias/team"
}

resource "aws_sagemaker_notebook_instance" "managed_alias" {
  name          = "managed-alias"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = data.aws_kms_alias.sagemaker.target_key_arn
}

resource "aws_sagemaker_notebook_instance" "managed_key" {
  name          = "managed-key"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = data.aws_kms_key.sagemaker.arn
}

resource "aws_sagemaker_notebook_instance" "team_alias" {
  name          = "team-alias"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = data.aws_kms_alias.team.target_key_id
}

resource "aws_sagemaker_notebook_instance" "team_key" {
  name          = "team-key"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = data.aws_kms_key.team.arn
}
