provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

# A Deny on a key the notebook's use does not decide: UNKNOWN naming the condition.

resource "aws_kms_key" "vpce" {
  description         = "vpce"
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
        Condition = { StringNotEquals = { "aws:SourceVpce" = "vpce-0123456789abcdef0" } }
      }
    ]
  })
}

resource "aws_sagemaker_notebook_instance" "vpce" {
  name          = "vpce"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.vpce.arn
}
