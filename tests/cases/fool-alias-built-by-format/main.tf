provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}
variable "service" {
  default = "sagemaker"
}

variable "account" {
  type = string
}

data "aws_partition" "p" {}

resource "aws_sagemaker_notebook_instance" "fmt" {
  name          = "fmt"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = format("alias/aws/%s", var.service)
}

resource "aws_sagemaker_notebook_instance" "interp" {
  name          = "interp"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = "arn:${data.aws_partition.p.partition}:kms:eu-west-1:${var.account}:alias/aws/sagemaker"
}
