provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "me" {}

# The notebook's role is in account 111122223333, so the notebook is too (iam:PassRole works only
# within an account): a key policy naming that account delegates to its IAM policies.
resource "aws_kms_key" "root" {
  description         = "root"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_sagemaker_notebook_instance" "root" {
  name          = "root"
  role_arn      = "arn:aws:iam::111122223333:role/notebook"
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.root.arn
}

# The same, the account written as the caller's identity and the bare account number.
resource "aws_kms_key" "mixed" {
  description         = "mixed"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = "111122223333" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Effect    = "Deny"
        Principal = "*"
        Action    = "kms:*"
        Resource  = "*"
        Condition = { StringNotEquals = { "kms:CallerAccount" = data.aws_caller_identity.me.account_id } }
      }
    ]
  })
}

resource "aws_sagemaker_notebook_instance" "mixed" {
  name          = "mixed"
  role_arn      = "arn:aws:iam::111122223333:role/notebook"
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.mixed.arn
}

# Another account's root does not act for this notebook.
resource "aws_kms_key" "other" {
  description         = "other"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::444455556666:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_sagemaker_notebook_instance" "other" {
  name          = "other"
  role_arn      = "arn:aws:iam::111122223333:role/notebook"
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.other.arn
}
