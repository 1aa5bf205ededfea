provider "aws" {
  region = "eu-west-1"
}
resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

data "aws_caller_identity" "current" {}

resource "aws_kms_key" "heredoc" {
  enable_key_rotation = true
  policy              = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "Account",
          "Effect": "Allow",
          "Principal": {"AWS": "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"},
          "Action": "kms:*",
          "Resource": "*"
        },
        {
          "Sid": "Notebook",
          "Effect": "Allow",
          "Principal": {"AWS": "${aws_iam_role.nb.arn}"},
          "Action": ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*"],
          "Resource": "*"
        }
      ]
    }
  EOF
}

resource "aws_kms_key" "broken" {
  enable_key_rotation = true
  policy              = <<-EOF
    { "Version": "2012-10-17", "Statement": [ }
  EOF
}

resource "aws_sagemaker_notebook_instance" "heredoc" {
  name          = "heredoc"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.heredoc.arn
}

resource "aws_sagemaker_notebook_instance" "broken" {
  name          = "broken"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.broken.arn
}
