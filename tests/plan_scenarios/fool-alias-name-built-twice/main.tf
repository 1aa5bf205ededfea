# "alias/${aws_kms_alias.a.name}" is alias/alias/notebooks: the alias's name already starts with
# "alias/". The plan knows the text; no alias of the plan has that name. It must not PASS as a
# key defined elsewhere: UNKNOWN with unmatched-alias, in the plan as in the source.
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
  description         = "notebooks"
  enable_key_rotation = true
}

resource "aws_kms_alias" "a" {
  name          = "alias/notebooks"
  target_key_id = aws_kms_key.k.key_id
}

resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "built-twice"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = "alias/${aws_kms_alias.a.name}"
}
