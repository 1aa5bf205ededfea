# kms_key_id is known only after apply and reaches the key through a local value, which
# terraform show -json does not record. Checkov fills such values with a truthy placeholder and
# passes; cmkguard must say UNKNOWN (never PASS) when it judges the plan alone.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "sagemaker.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}

resource "aws_kms_key" "k" {
  description = "any key"
}

locals {
  key = aws_kms_key.k.arn
}

resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "placeholder"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = local.key
}
