# dynamic "statement" blocks with an unknown for_each that must not pass: one that adds a Deny,
# one whose statements may replace the grant by sid, and one that is the only grant.
provider "aws" {
  region = "eu-west-1"
}

variable "denied" {
  type = list(string)
}

variable "readers" {
  type = list(object({ sid = string, arn = string }))
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

data "aws_iam_policy_document" "grant" {
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

# A Deny of everything to everyone, however many times it is made.
data "aws_iam_policy_document" "dynamic_deny" {
  source_policy_documents = [data.aws_iam_policy_document.grant.json]

  dynamic "statement" {
    for_each = var.denied
    content {
      effect    = "Deny"
      actions   = ["kms:*"]
      resources = ["*"]
      principals {
        type        = "AWS"
        identifiers = ["*"]
      }
    }
  }
}

# An Allow whose unknown sid may be "Notebook": it would replace the grant.
data "aws_iam_policy_document" "unknown_sid" {
  source_policy_documents = [data.aws_iam_policy_document.grant.json]

  dynamic "statement" {
    for_each = var.readers
    content {
      sid     = statement.value.sid
      actions = ["kms:Decrypt"]
      principals {
        type        = "AWS"
        identifiers = [statement.value.arn]
      }
      resources = ["*"]
    }
  }
}

# An Allow named like the grant: present, it replaces it.
data "aws_iam_policy_document" "same_sid" {
  source_policy_documents = [data.aws_iam_policy_document.grant.json]

  dynamic "statement" {
    for_each = var.readers
    content {
      sid     = "Notebook"
      actions = ["kms:Decrypt"]
      principals {
        type        = "AWS"
        identifiers = [statement.value.arn]
      }
      resources = ["*"]
    }
  }
}

# The grant comes only from the dynamic block: it may not be there.
data "aws_iam_policy_document" "only_grant" {
  statement {
    sid     = "Admins"
    actions = ["kms:Describe*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/admin"]
    }
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = var.readers
    content {
      actions = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*"]
      principals {
        type        = "AWS"
        identifiers = [aws_iam_role.nb.arn]
      }
      resources = ["*"]
    }
  }
}

resource "aws_kms_key" "dynamic_deny" {
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.dynamic_deny.json
}

resource "aws_kms_key" "unknown_sid" {
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.unknown_sid.json
}

resource "aws_kms_key" "same_sid" {
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.same_sid.json
}

resource "aws_kms_key" "only_grant" {
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.only_grant.json
}

resource "aws_sagemaker_notebook_instance" "dynamic_deny" {
  name          = "dynamic-deny"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.dynamic_deny.arn
}

resource "aws_sagemaker_notebook_instance" "unknown_sid" {
  name          = "unknown-sid"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.unknown_sid.arn
}

resource "aws_sagemaker_notebook_instance" "same_sid" {
  name          = "same-sid"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.same_sid.arn
}

resource "aws_sagemaker_notebook_instance" "only_grant" {
  name          = "only-grant"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.only_grant.arn
}
