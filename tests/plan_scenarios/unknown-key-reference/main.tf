# Every key is created in the same plan, so kms_key_id is "known after apply" everywhere:
# cmkguard must follow configuration references to the planned key, alias or policy.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-west-2"
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "sagemaker.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}

resource "aws_kms_key" "main" {
  description         = "notebook volumes"
  enable_key_rotation = true
}

resource "aws_kms_alias" "main" {
  name          = "alias/notebooks"
  target_key_id = aws_kms_key.main.key_id
}

resource "aws_kms_key" "locked" {
  description = "its standalone policy lets nobody use it"
}

data "aws_caller_identity" "current" {}

resource "aws_kms_key_policy" "locked" {
  key_id = aws_kms_key.locked.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AdministerOnly"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = ["kms:Describe*", "kms:Get*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Enable*", "kms:Disable*", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"]
      Resource  = "*"
    }]
  })
}

resource "aws_sagemaker_notebook_instance" "by_arn" {
  count         = 2
  name          = "by-arn-${count.index}"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.main.arn
}

resource "aws_sagemaker_notebook_instance" "by_alias" {
  name          = "by-alias"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_alias.main.arn
}

resource "aws_sagemaker_notebook_instance" "locked" {
  name          = "locked"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.locked.arn
}
