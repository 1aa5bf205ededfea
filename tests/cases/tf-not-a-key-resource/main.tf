provider "aws" {
  region = "eu-west-1"
}
resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

resource "aws_kms_key" "k" {
  description = "a key"
}

resource "aws_s3_bucket" "b" {
  bucket = "notebooks"
}

resource "aws_sagemaker_notebook_instance" "bucket" {
  name          = "bucket"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_s3_bucket.b.arn
}

resource "aws_sagemaker_notebook_instance" "description" {
  name          = "description"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.k.description
}
