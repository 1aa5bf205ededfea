provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

# Denies written with IfExists and set qualifiers still hold for the notebook.

resource "aws_kms_key" "if_exists" {
  description         = "if_exists"
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
        Condition = { StringNotEqualsIfExists = { "kms:ViaService" = "s3.eu-west-1.amazonaws.com" } }
      }
    ]
  })
}

resource "aws_sagemaker_notebook_instance" "if_exists" {
  name          = "if_exists"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.if_exists.arn
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
        Condition = { "ForAnyValue:StringLike" = { "kms:ViaService" = ["ec2.*", "sagemaker.*"] } }
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

resource "aws_kms_key" "for_all_values" {
  description         = "for_all_values"
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
        Condition = { "ForAllValues:StringNotLike" = { "kms:ViaService" = "s3.*" } }
      }
    ]
  })
}

resource "aws_sagemaker_notebook_instance" "for_all_values" {
  name          = "for_all_values"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.for_all_values.arn
}
