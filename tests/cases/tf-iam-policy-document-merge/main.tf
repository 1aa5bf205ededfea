provider "aws" {
  region = "eu-west-1"
}
resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

data "aws_iam_policy_document" "base" {
  statement {
    sid     = "Notebook"
    actions = ["kms:*"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "fix" {
  statement {
    sid     = "Notebook"
    actions = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*"]
    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.nb.arn]
    }
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "fixed" {
  source_policy_documents   = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [data.aws_iam_policy_document.fix.json]
}

data "aws_iam_policy_document" "still_broken" {
  source_policy_documents = [data.aws_iam_policy_document.fix.json]

  statement {
    sid     = "Notebook"
    actions = ["kms:Decrypt"]
    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.nb.arn]
    }
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "dynamic" {
  dynamic "statement" {
    for_each = { grants = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey"] }
    content {
      sid     = statement.key
      actions = statement.value
      principals {
        type        = "Service"
        identifiers = ["sagemaker.amazonaws.com"]
      }
      resources = ["*"]
    }
  }
}

resource "aws_kms_key" "fixed" {
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.fixed.json
}

resource "aws_kms_key" "still_broken" {
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.still_broken.json
}

resource "aws_kms_key" "dynamic" {
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.dynamic.json
}

resource "aws_sagemaker_notebook_instance" "fixed" {
  name          = "fixed"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.fixed.arn
}

resource "aws_sagemaker_notebook_instance" "still_broken" {
  name          = "still_broken"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.still_broken.arn
}

resource "aws_sagemaker_notebook_instance" "dynamic" {
  name          = "dynamic"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.dynamic.arn
}
