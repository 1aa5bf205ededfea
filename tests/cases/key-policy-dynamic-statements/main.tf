# dynamic "statement" blocks whose for_each is not known, or filtered by an unknown if: blocks
# that can only add Allow statements cannot take away the grant the certain statements give;
# blocks that may add a Deny leave the verdict unknown, naming the for_each.
provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "me" {}

variable "extra_readers" {
  type = list(string)
}

variable "extra_statements" {
  type = list(object({ sid = string, effect = string, actions = list(string) }))
}

variable "strict" {
  type = bool
}

locals {
  optional_statements = [
    { sid = "Audit", effect = "Allow", enabled = var.strict },
    { sid = "NoDecrypt", effect = "Deny", enabled = var.strict },
  ]
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

data "aws_iam_policy_document" "certain_grant" {
  statement {
    sid     = "Notebook"
    actions = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"]
    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.nb.arn]
    }
    resources = ["*"]
  }
}

# Only Allow statements may be added: the certain grant stands.
data "aws_iam_policy_document" "dynamic_allows" {
  source_policy_documents = [data.aws_iam_policy_document.certain_grant.json]

  dynamic "statement" {
    for_each = var.extra_readers
    content {
      effect  = "Allow"
      actions = ["kms:Decrypt"]
      principals {
        type        = "AWS"
        identifiers = [statement.value]
      }
      resources = ["*"]
    }
  }
}

# The effect comes from the unknown element: it may be a Deny.
data "aws_iam_policy_document" "dynamic_effect" {
  source_policy_documents = [data.aws_iam_policy_document.certain_grant.json]

  dynamic "statement" {
    for_each = var.extra_statements
    content {
      effect  = statement.value.effect
      actions = statement.value.actions
      principals {
        type        = "AWS"
        identifiers = ["*"]
      }
      resources = ["*"]
    }
  }
}

# A for ... if over known elements, filtered by an unknown condition: the Allow may be added,
# the Deny may be added too.
data "aws_iam_policy_document" "filtered_with_deny" {
  source_policy_documents = [data.aws_iam_policy_document.certain_grant.json]

  dynamic "statement" {
    for_each = [for s in local.optional_statements : s if s.enabled]
    content {
      sid     = statement.value.sid
      effect  = statement.value.effect
      actions = ["kms:Decrypt"]
      principals {
        type        = "AWS"
        identifiers = ["*"]
      }
      resources = ["*"]
    }
  }
}

# The same filter keeping only the Allow: the certain grant stands.
data "aws_iam_policy_document" "filtered_allow_only" {
  source_policy_documents = [data.aws_iam_policy_document.certain_grant.json]

  dynamic "statement" {
    for_each = [for s in local.optional_statements : s if s.enabled && s.effect == "Allow"]
    content {
      sid     = statement.value.sid
      effect  = statement.value.effect
      actions = ["kms:Decrypt"]
      principals {
        type        = "AWS"
        identifiers = ["*"]
      }
      resources = ["*"]
    }
  }
}

resource "aws_kms_key" "dynamic_allows" {
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.dynamic_allows.json
}

resource "aws_kms_key" "dynamic_effect" {
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.dynamic_effect.json
}

resource "aws_kms_key" "filtered_with_deny" {
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.filtered_with_deny.json
}

resource "aws_kms_key" "filtered_allow_only" {
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.filtered_allow_only.json
}

resource "aws_sagemaker_notebook_instance" "dynamic_allows" {
  name          = "dynamic-allows"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.dynamic_allows.arn
}

resource "aws_sagemaker_notebook_instance" "dynamic_effect" {
  name          = "dynamic-effect"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.dynamic_effect.arn
}

resource "aws_sagemaker_notebook_instance" "filtered_with_deny" {
  name          = "filtered-with-deny"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.filtered_with_deny.arn
}

resource "aws_sagemaker_notebook_instance" "filtered_allow_only" {
  name          = "filtered-allow-only"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.filtered_allow_only.arn
}
