provider "aws" {
  region = "eu-west-1"
}
resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

resource "aws_kms_key" "locked" {
  enable_key_rotation = true
}

resource "aws_kms_key_policy" "locked" {
  key_id = aws_kms_key.locked.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_kms_key" "opened" {
  enable_key_rotation = true
  policy              = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_kms_key_policy" "opened" {
  key_id = aws_kms_key.opened.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "sagemaker.amazonaws.com" }
      Action    = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey"]
      Resource  = "*"
    }]
  })
}

resource "aws_sagemaker_notebook_instance" "locked" {
  name          = "locked"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.locked.arn
}

resource "aws_sagemaker_notebook_instance" "opened" {
  name          = "opened"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.opened.arn
}
