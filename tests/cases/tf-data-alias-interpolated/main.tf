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

data "aws_kms_alias" "managed" {
  name = "alias/aws/${var.service}"
}

data "aws_kms_key" "team" {
  key_id = "alias/team-notebooks"
}

resource "aws_sagemaker_notebook_instance" "managed" {
  name          = "managed"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = data.aws_kms_alias.managed.target_key_arn
}

resource "aws_sagemaker_notebook_instance" "team" {
  name          = "team"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = data.aws_kms_key.team.arn
}
