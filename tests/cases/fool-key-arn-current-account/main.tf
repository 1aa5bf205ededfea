# Key ARNs built from the deploying account that must not pass: only the account (or partition)
# field may be a symbol, the placeholder text of old is no account, and alias/aws/ stays AWS
# managed however it is built.
provider "aws" {
  region = "us-east-1"
}

data "aws_caller_identity" "me" {}
data "aws_partition" "p" {}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

# The text the scanner once used for the current account is not an account.
resource "aws_sagemaker_notebook_instance" "placeholder_text" {
  name          = "placeholder-text"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = "arn:aws:kms:us-east-1:<current-account>:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

# Twelve digits are no key ID: malformed whatever the account number is.
resource "aws_sagemaker_notebook_instance" "account_as_key_id" {
  name          = "account-as-key-id"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = "arn:aws:kms:us-east-1:111122223333:key/${data.aws_caller_identity.me.account_id}"
}

# The account in the key ID part of an mrk- ID: a key we cannot spell, so undecided.
resource "aws_sagemaker_notebook_instance" "account_inside_key_id" {
  name          = "account-inside-key-id"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = "arn:aws:kms:us-east-1:111122223333:key/mrk-${data.aws_caller_identity.me.account_id}12345678901234567890"
}

# Another partition than the notebook's: no key the notebook can use.
resource "aws_sagemaker_notebook_instance" "other_partition" {
  name          = "other-partition"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = "arn:aws-us-gov:kms:us-east-1:${data.aws_caller_identity.me.account_id}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

# The account where the partition goes.
resource "aws_sagemaker_notebook_instance" "account_as_partition" {
  name          = "account-as-partition"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = "arn:${data.aws_caller_identity.me.account_id}:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

# An AWS managed alias built from the account and partition.
resource "aws_sagemaker_notebook_instance" "aws_managed_alias" {
  name          = "aws-managed-alias"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = "arn:${data.aws_partition.p.partition}:kms:us-east-1:${data.aws_caller_identity.me.account_id}:alias/aws/sagemaker"
}
