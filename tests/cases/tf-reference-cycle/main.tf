provider "aws" {
  region = "eu-west-1"
}
resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

locals {
  a = local.b
  b = local.a
}

resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = local.a
}
