provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

# The only grant needs the caller's IP address, which the notebook's key use does not decide.
resource "aws_kms_key" "k" {
  description         = "k"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "FromOffice"
      Effect    = "Allow"
      Principal = { AWS = aws_iam_role.nb.arn }
      Action    = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*"]
      Resource  = "*"
      Condition = { IpAddress = { "aws:SourceIp" = "203.0.113.0/24" } }
    }]
  })
}

resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.k.arn
}
