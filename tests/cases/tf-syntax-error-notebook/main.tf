# A syntax error in a notebook file: the notebooks tree-sitter still sees are UNKNOWN, not a gap.
provider "aws" {
  region = "eu-west-1"
}
resource "aws_kms_key" "k" {
  enable_key_rotation = true
}
resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = "arn:aws:iam::111122223333:role/notebook"
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.k.arn
}
resource "aws_sagemaker_notebook_instance" "broken" {
  name          = "nb2"
  kms_key_id    = aws_kms_key.k.arn +
}
