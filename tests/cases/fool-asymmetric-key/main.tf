provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

resource "aws_kms_key" "rsa" {
  description         = "rsa"
  enable_key_rotation = true
  customer_master_key_spec = "RSA_2048"
  key_usage                = "SIGN_VERIFY"
}

resource "aws_kms_key" "hmac" {
  description         = "hmac"
  enable_key_rotation = true
  customer_master_key_spec = "HMAC_256"
  key_usage                = "GENERATE_VERIFY_MAC"
}

resource "aws_sagemaker_notebook_instance" "rsa" {
  name          = "rsa"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.rsa.arn
}

resource "aws_sagemaker_notebook_instance" "hmac" {
  name          = "hmac"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.hmac.key_id
}
