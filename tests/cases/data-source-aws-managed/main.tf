provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}
data "aws_kms_alias" "sm" {
  name = "alias/aws/sagemaker"
}

data "aws_kms_key" "by_id" {
  key_id = "alias/aws/sagemaker"
}

data "aws_kms_alias" "team" {
  name = "alias/team"
}

resource "aws_sagemaker_notebook_instance" "alias" {
  name          = "alias"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = data.aws_kms_alias.sm.target_key_arn
}

resource "aws_sagemaker_notebook_instance" "key" {
  name          = "key"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = data.aws_kms_key.by_id.arn
}

resource "aws_sagemaker_notebook_instance" "team" {
  name          = "team"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = data.aws_kms_alias.team.target_key_id
}
