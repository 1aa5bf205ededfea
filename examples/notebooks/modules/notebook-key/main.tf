variable "name" {
  type = string
}

variable "role_arn" {
  type = string
}

data "aws_caller_identity" "current" {}

resource "aws_kms_key" "this" {
  description         = "${var.name} notebook volumes"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministers"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "NotebookRoleUsesKey"
        Effect    = "Allow"
        Principal = { AWS = var.role_arn }
        Action    = ["kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey*"]
        Resource  = "*"
      }
    ]
  })
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}-notebooks"
  target_key_id = aws_kms_key.this.key_id
}

output "key_id" {
  value = aws_kms_key.this.key_id
}

output "alias_arn" {
  value = aws_kms_alias.this.arn
}
