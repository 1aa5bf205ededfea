# A literal alias name passed as "defined elsewhere" although this configuration defines the
# alias, on a disabled, asymmetric key: the literal is linked to it and its key is judged.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

resource "aws_kms_key" "k" {
  is_enabled               = false
  customer_master_key_spec = "RSA_2048"
  key_usage                = "SIGN_VERIFY"
}

resource "aws_kms_alias" "a" {
  name          = "alias/notebooks"
  target_key_id = aws_kms_key.k.key_id
}

resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = "alias/notebooks"
}
