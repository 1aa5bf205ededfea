# --strict: a key ARN built from the deploying account is still a key outside the input, so its
# manager and properties are unverified, and that is UNKNOWN.
provider "aws" {
  region = "us-east-1"
}

data "aws_caller_identity" "me" {}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = "arn:aws:kms:us-east-1:${data.aws_caller_identity.me.account_id}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}
