# Data sources that look up an alias this configuration creates stand for that alias's key.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

resource "aws_kms_key" "hmac" {
  customer_master_key_spec = "HMAC_256"
  key_usage                = "GENERATE_VERIFY_MAC"
}

resource "aws_kms_alias" "hmac" {
  name          = "alias/team-key"
  target_key_id = aws_kms_key.hmac.key_id
}

data "aws_kms_alias" "team" {
  name = "alias/team-key"
}

data "aws_kms_key" "team" {
  key_id = "alias/team-key"
}

resource "aws_sagemaker_notebook_instance" "via_alias_data" {
  name          = "via-alias-data"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = data.aws_kms_alias.team.target_key_arn
}

resource "aws_sagemaker_notebook_instance" "via_key_data" {
  name          = "via-key-data"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = data.aws_kms_key.team.arn
}
