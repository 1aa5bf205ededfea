# data.aws_caller_identity stands for the deploying account only through a provider that uses
# the configuration's own credentials. A provider assuming a role may act in another account:
# a policy granting that account's root does not delegate to the notebook's account.

provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "other"
  region = "eu-west-1"
  assume_role {
    role_arn = "arn:aws:iam::444455556666:role/deploy"
  }
}

provider "aws" {
  alias               = "pinned"
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
  assume_role {
    role_arn = "arn:aws:iam::111122223333:role/deploy"
  }
}

data "aws_caller_identity" "current" {}

data "aws_caller_identity" "other" {
  provider = aws.other
}

data "aws_caller_identity" "pinned" {
  provider = aws.pinned
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

locals {
  accounts = {
    current = data.aws_caller_identity.current.account_id
    other   = data.aws_caller_identity.other.account_id
    pinned  = data.aws_caller_identity.pinned.account_id
  }
}

resource "aws_kms_key" "k" {
  for_each            = local.accounts
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${each.value}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

# The deploying account's root: delegates to IAM in the notebook's account.
resource "aws_sagemaker_notebook_instance" "current" {
  name          = "current"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.k["current"].arn
}

# Another account's root (the assumed role's): must not PASS.
resource "aws_sagemaker_notebook_instance" "other" {
  name          = "other"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.k["other"].arn
}

# Pinned to 111122223333 while the notebook's account is the deploying one: not the same.
resource "aws_sagemaker_notebook_instance" "pinned" {
  name          = "pinned"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.k["pinned"].arn
}

# A notebook created through the other provider, with a key and role of the deploying
# account: its account is not known to be the key policy's.
resource "aws_iam_role" "other" {
  provider           = aws.other
  name               = "notebook"
  assume_role_policy = "{}"
}

resource "aws_sagemaker_notebook_instance" "through_other" {
  provider      = aws.other
  name          = "through-other"
  role_arn      = aws_iam_role.other.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.k["current"].arn
}
