provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

# The key policy AWS documents for a key a service uses on a principal's behalf: use of the key
# unconditionally, grants only for AWS resources (kms:GrantIsForAWSResource).
resource "aws_kms_key" "k" {
  description         = "k"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Allow use of the key"
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.nb.arn }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
        Resource  = "*"
      },
      {
        Sid       = "Allow attachment of persistent resources"
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.nb.arn }
        Action    = ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]
        Resource  = "*"
        Condition = { Bool = { "kms:GrantIsForAWSResource" = "true" } }
      }
    ]
  })
}

resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.k.arn
}

# The same grant statement alone: the data-key actions are allowed only for grants, which
# kms:Decrypt and kms:GenerateDataKey are not.
resource "aws_kms_key" "grants_only" {
  description         = "grants only"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Only for AWS resources"
      Effect    = "Allow"
      Principal = { AWS = aws_iam_role.nb.arn }
      Action    = "kms:*"
      Resource  = "*"
      Condition = { Bool = { "kms:GrantIsForAWSResource" = true } }
    }]
  })
}

resource "aws_sagemaker_notebook_instance" "grants_only" {
  name          = "grants-only"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.grants_only.arn
}
