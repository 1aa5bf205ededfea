provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

# An "S3 only" key: every use not through S3 in this region is denied.
resource "aws_kms_key" "k" {
  description         = "k"
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
        Sid       = "S3Only"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["kms:Decrypt", "kms:GenerateDataKey*", "kms:CreateGrant"]
        Resource  = "*"
        Condition = { StringNotEquals = { "kms:ViaService" = "s3.eu-west-1.amazonaws.com" } }
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
