# Two blocks with one address: Terraform rejects the configuration. Keeping the first (enabled)
# key would PASS a notebook whose real key is ambiguous; it is UNKNOWN naming the error.
provider "aws" {
  region = "eu-west-1"
}
resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}
resource "aws_kms_key" "k" {
  enable_key_rotation = true
}
resource "aws_kms_key" "k" {
  enable_key_rotation = true
  is_enabled = false
}
resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.k.arn
}
