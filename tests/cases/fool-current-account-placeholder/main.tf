# The current account is a symbol the scanner makes from data.aws_caller_identity, never text:
# policies that write the scanner's old placeholder, its rendering, or the placeholder it once
# used for holes in policy text grant nothing to the notebook.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

data "aws_caller_identity" "current" {}

# "<current-account>" was the placeholder: a policy naming it literally passed.
resource "aws_kms_key" "bare" {
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "LooksLikeTheAccount"
      Effect    = "Allow"
      Principal = { AWS = "<current-account>" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_kms_key" "root" {
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "LooksLikeTheAccountRoot"
      Effect    = "Allow"
      Principal = { AWS = ["arn:aws:iam::<current-account>:root", "arn:aws:iam::(the current account):root"] }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

# The placeholder once put in the place of a reference while policy text with holes was parsed:
# written literally, it became the role reference of the statement below.
resource "aws_kms_key" "hole" {
  enable_key_rotation = true
  policy              = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "LooksLikeTheRole",
          "Effect": "Allow",
          "Principal": {"AWS": ["@@cmkguard-hole-0@@", "@@cmkguard-hole-0-"]},
          "Action": "kms:*",
          "Resource": "*"
        },
        {
          "Sid": "NoDeletion",
          "Effect": "Deny",
          "Principal": {"AWS": "${aws_iam_role.nb.arn}"},
          "Action": "kms:ScheduleKeyDeletion",
          "Resource": "*"
        }
      ]
    }
  EOF
}

# The real symbol still names the account: this key delegates to IAM, as the default policy does.
resource "aws_kms_key" "real" {
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Account"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_sagemaker_notebook_instance" "bare" {
  name          = "bare"
  role_arn      = "arn:aws:iam::111122223333:role/notebook"
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.bare.arn
}

resource "aws_sagemaker_notebook_instance" "root" {
  name          = "root"
  role_arn      = "arn:aws:iam::111122223333:role/notebook"
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.root.arn
}

resource "aws_sagemaker_notebook_instance" "hole" {
  name          = "hole"
  role_arn      = "arn:aws:iam::111122223333:role/notebook"
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.hole.arn
}

resource "aws_sagemaker_notebook_instance" "real" {
  name          = "real"
  role_arn      = "arn:aws:iam::111122223333:role/notebook"
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.real.arn
}
