# The key is chosen by workspace: only "prod" has one. terraform.workspace is TF_WORKSPACE, else
# .terraform/environment, else --workspace, else "default".
provider "aws" {
  region = "us-east-1"
}

resource "aws_kms_key" "prod" {
  description         = "notebooks (prod)"
  enable_key_rotation = true
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

locals {
  keys = { prod = aws_kms_key.prod.arn }
}

resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = lookup(local.keys, terraform.workspace, null)
}
