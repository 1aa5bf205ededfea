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

locals {
  teams = {
    ml   = "ml.t3.medium"
    data = "ml.t3.large"
  }
}

resource "aws_sagemaker_notebook_instance" "by_map" {
  for_each      = local.teams
  name          = each.key
  role_arn      = aws_iam_role.nb.arn
  instance_type = each.value
  kms_key_id    = aws_kms_key.k.arn
}

resource "aws_sagemaker_notebook_instance" "by_set" {
  for_each      = toset(["a", "b"])
  name          = each.value
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = each.key == "a" ? aws_kms_key.k.arn : "alias/aws/sagemaker"
}

resource "aws_sagemaker_notebook_instance" "counted" {
  count         = 2
  name          = "nb-${count.index}"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = count.index == 0 ? aws_kms_key.k.arn : null
}

resource "aws_sagemaker_notebook_instance" "none" {
  count         = 0
  name          = "none"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
}
