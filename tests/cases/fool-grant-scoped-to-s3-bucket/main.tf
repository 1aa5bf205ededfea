provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

# The grant names an S3 bucket, not this key: it does not let the notebook use the key.
resource "aws_kms_key" "k" {
  description         = "k"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Use"
      Effect    = "Allow"
      Principal = { AWS = aws_iam_role.nb.arn }
      Action    = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*"]
      Resource  = "arn:aws:s3:::notebook-data"
    }]
  })
}

resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.k.arn
}
