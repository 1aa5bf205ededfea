# No region in the provider: the AWS provider takes AWS_REGION, then AWS_DEFAULT_REGION, and a
# scan's --region wins over both. The key is in us-east-1.
provider "aws" {}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}
