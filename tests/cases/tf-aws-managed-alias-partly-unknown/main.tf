provider "aws" {
  region = "eu-west-1"
}
resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

variable "account" {
  type = string
}

variable "service" {
  type = string
}

data "aws_partition" "p" {}

data "aws_region" "r" {}

resource "aws_sagemaker_notebook_instance" "arn" {
  name          = "arn"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = "arn:${data.aws_partition.p.partition}:kms:${data.aws_region.r.name}:${var.account}:alias/aws/sagemaker"
}

resource "aws_sagemaker_notebook_instance" "format" {
  name          = "format"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = format("alias/aws/%s", var.service)
}

resource "aws_sagemaker_notebook_instance" "custom" {
  name          = "custom"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = "alias/${var.service}"
}
