# String functions that change what a key reference names must not keep the reference.
provider "aws" {
  region = "eu-west-1"
}

data "aws_partition" "p" {}

variable "suffix" {
  type = string
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

resource "aws_kms_key" "k" {
  enable_key_rotation = true
}

resource "aws_kms_alias" "team" {
  name          = "alias/Team-Notebooks"
  target_key_id = aws_kms_key.k.key_id
}

# An alias ARN named by the key's ID: no alias the input knows.
resource "aws_sagemaker_notebook_instance" "replace_key_by_alias" {
  name          = "replace-key-by-alias"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = replace(aws_kms_key.k.arn, "key/", "alias/")
}

# Alias names are case-sensitive: lower() names another alias.
resource "aws_sagemaker_notebook_instance" "lower_alias_arn" {
  name          = "lower-alias-arn"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = lower(aws_kms_alias.team.arn)
}

# upper() of a key ARN is no key ARN.
resource "aws_sagemaker_notebook_instance" "upper_key_arn" {
  name          = "upper-key-arn"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = upper(aws_kms_key.k.arn)
}

# Text after the ARN: not the key.
resource "aws_sagemaker_notebook_instance" "format_with_suffix" {
  name          = "format-with-suffix"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = format("%s-x", aws_kms_key.k.arn)
}

# %d of a string is an error at apply, never the string.
resource "aws_sagemaker_notebook_instance" "format_d" {
  name          = "format-d"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = format("%d", aws_kms_key.k.arn)
}

# lower() of upper-case text around an unknown still names an AWS managed alias.
resource "aws_sagemaker_notebook_instance" "lower_aws_alias" {
  name          = "lower-aws-alias"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = lower("ALIAS/AWS/${var.suffix}")
}

# The partition upper-cased is no partition.
resource "aws_sagemaker_notebook_instance" "upper_partition" {
  name          = "upper-partition"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = upper("arn:${data.aws_partition.p.partition}:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
}
