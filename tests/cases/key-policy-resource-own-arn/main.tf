provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

resource "aws_kms_key" "k" {
  description         = "k"
  enable_key_rotation = true
}

# A standalone key policy naming its key by reference: the statement applies to this key.
resource "aws_kms_key_policy" "k" {
  key_id = aws_kms_key.k.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = aws_iam_role.nb.arn }
      Action    = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*"]
      Resource  = aws_kms_key.k.arn
    }]
  })
}

resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.k.arn
}

resource "aws_kms_key" "other" {
  description         = "other"
  enable_key_rotation = true
}

# A policy whose statement names another key's ARN does not let the notebook use this one.
resource "aws_kms_key_policy" "other" {
  key_id = aws_kms_key.other.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = aws_iam_role.nb.arn }
      Action    = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*"]
      Resource  = aws_kms_key.k.arn
    }]
  })
}

resource "aws_sagemaker_notebook_instance" "other" {
  name          = "other"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.other.arn
}
