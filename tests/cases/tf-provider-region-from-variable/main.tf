variable "region" {
  type = string
}

variable "key_region" {
  default = "eu-west-1"
}

provider "aws" {
  region = var.region
}

provider "aws" {
  alias  = "keys"
  region = var.key_region
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}
resource "aws_kms_key" "k" {
  description         = "k"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "NotebookUse"
      Effect    = "Allow"
      Principal = { AWS = aws_iam_role.nb.arn }
      Action    = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"]
      Resource  = "*"
    }]
  })
}

resource "aws_kms_key" "other" {
  description         = "other"
  enable_key_rotation = true
  provider            = aws.keys
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "NotebookUse"
      Effect    = "Allow"
      Principal = { AWS = aws_iam_role.nb.arn }
      Action    = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"]
      Resource  = "*"
    }]
  })
}

resource "aws_sagemaker_notebook_instance" "same_provider" {
  name          = "same_provider"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.k.arn
}

resource "aws_sagemaker_notebook_instance" "other_provider" {
  name          = "other_provider"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.other.arn
}
