provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "me" {}

data "aws_region" "here" {}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

# Use allowed only through SageMaker in this region and from this account: the notebook's use.
data "aws_iam_policy_document" "key" {
  statement {
    sid       = "ViaSageMaker"
    actions   = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.nb.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["sagemaker.${data.aws_region.here.name}.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:CallerAccount"
      values   = [data.aws_caller_identity.me.account_id]
    }
  }
}

resource "aws_kms_key" "k" {
  description         = "k"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.key.json
}

resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.k.arn
}

# The same statement for another region's SageMaker does not cover this notebook.
resource "aws_kms_key" "other_region" {
  description         = "other region"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = aws_iam_role.nb.arn }
      Action    = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*"]
      Resource  = "*"
      Condition = { StringEquals = { "kms:ViaService" = "sagemaker.us-east-1.amazonaws.com" } }
    }]
  })
}

resource "aws_sagemaker_notebook_instance" "other_region" {
  name          = "other-region"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.other_region.arn
}
