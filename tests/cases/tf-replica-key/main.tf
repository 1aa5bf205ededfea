provider "aws" {
  region = "eu-west-1"
}
provider "aws" {
  alias  = "us"
  region = "us-east-1"
}
resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

resource "aws_kms_key" "primary" {
  provider            = aws.us
  multi_region        = true
  enable_key_rotation = false
}

resource "aws_kms_replica_key" "eu" {
  primary_key_arn = aws_kms_key.primary.arn
}

resource "aws_kms_replica_key" "disabled" {
  primary_key_arn = aws_kms_key.primary.arn
  enabled         = false
}

resource "aws_sagemaker_notebook_instance" "replica" {
  name          = "replica"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_replica_key.eu.arn
}

resource "aws_sagemaker_notebook_instance" "primary" {
  name          = "primary"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.primary.arn
}

resource "aws_sagemaker_notebook_instance" "disabled" {
  name          = "disabled"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_replica_key.disabled.key_id
}
