# Terraform rejects a body that sets kms_key_id twice ("Attribute redefined"): neither value is
# judged, so the good first key cannot make the notebook PASS.
provider "aws" {
  region = "eu-west-1"
}
resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}
resource "aws_kms_key" "good" {
  enable_key_rotation = true
}
resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.good.arn
  kms_key_id    = "alias/aws/sagemaker"
}
