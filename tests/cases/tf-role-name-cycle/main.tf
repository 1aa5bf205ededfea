provider "aws" {
  region = "eu-west-1"
}
resource "aws_iam_role" "r" {
  name               = "x-${aws_iam_role.r.arn}"
  assume_role_policy = "{}"
}
resource "aws_kms_key" "k" {
  enable_key_rotation = true
  policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/other" }, Action = "kms:*", Resource = "*" }] })
}
resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = aws_iam_role.r.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.k.arn
}
