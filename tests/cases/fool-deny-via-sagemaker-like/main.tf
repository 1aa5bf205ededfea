provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

# Denies every use through SageMaker in any region: the notebook cannot use this key.
resource "aws_kms_key" "k" {
  description         = "k"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Use"
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.nb.arn }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "NoSageMaker"
        Effect    = "Deny"
        Principal = "*"
        Action    = "kms:*"
        Resource  = "*"
        Condition = { StringLike = { "kms:ViaService" = "sagemaker.*.amazonaws.com" } }
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
