provider "aws" {
  region = "eu-west-1"
}

resource "aws_kms_key" "notebooks" {
  enable_key_rotation = true
}

resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = "arn:aws:iam::111122223333:role/nb"
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.notebooks.arn
}
