provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

# Denies that do not hold for the notebook's key use: the notebook may use these keys.

resource "aws_kms_key" "other_service" {
  description         = "other_service"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Use"
        Effect    = "Allow"
        Principal = "*"
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "Deny"
        Effect    = "Deny"
        Principal = "*"
        Action    = "kms:*"
        Resource  = "*"
        Condition = { StringEquals = { "kms:ViaService" = "s3.eu-west-1.amazonaws.com" } }
      }
    ]
  })
}

resource "aws_sagemaker_notebook_instance" "other_service" {
  name          = "other_service"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.other_service.arn
}

resource "aws_kms_key" "other_account" {
  description         = "other_account"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Use"
        Effect    = "Allow"
        Principal = "*"
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "Deny"
        Effect    = "Deny"
        Principal = "*"
        Action    = "kms:*"
        Resource  = "*"
        Condition = { StringNotEquals = { "kms:CallerAccount" = data.aws_caller_identity.me.account_id } }
      }
    ]
  })
}

resource "aws_sagemaker_notebook_instance" "other_account" {
  name          = "other_account"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.other_account.arn
}

resource "aws_kms_key" "absent_if_exists" {
  description         = "absent_if_exists"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Use"
        Effect    = "Allow"
        Principal = "*"
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "Deny"
        Effect    = "Deny"
        Principal = "*"
        Action    = "kms:*"
        Resource  = "*"
        Condition = { StringEqualsIfExists = { "aws:PrincipalServiceName" = "ec2.amazonaws.com" } }
      }
    ]
  })
}

resource "aws_sagemaker_notebook_instance" "absent_if_exists" {
  name          = "absent_if_exists"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.absent_if_exists.arn
}

resource "aws_kms_key" "for_any_value" {
  description         = "for_any_value"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Use"
        Effect    = "Allow"
        Principal = "*"
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "Deny"
        Effect    = "Deny"
        Principal = "*"
        Action    = "kms:*"
        Resource  = "*"
        Condition = { "ForAnyValue:StringEquals" = { "kms:ViaService" = ["ec2.eu-west-1.amazonaws.com"] } }
      }
    ]
  })
}

resource "aws_sagemaker_notebook_instance" "for_any_value" {
  name          = "for_any_value"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.for_any_value.arn
}

data "aws_caller_identity" "me" {}
