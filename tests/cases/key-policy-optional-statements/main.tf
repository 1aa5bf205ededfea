provider "aws" {
  region = "eu-west-1"
}

variable "access_principal_arns" {
  type    = list(string)
  default = []
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

resource "aws_iam_role" "autoscaling" {
  name               = "autoscaling"
  path               = "/aws-service-role/autoscaling.amazonaws.com/"
  assume_role_policy = "{}"
}

locals {
  # Role ARNs are known only after apply, so each `if` below is unknown: the statements it
  # yields may or may not be in the policy (the pattern of NOAA-OWP/hydrovis Core/KMS/key).
  principals = [aws_iam_role.nb.arn, aws_iam_role.autoscaling.arn]
}

# Certain statements grant the notebook's use; optional Allows cannot take that away.
resource "aws_kms_key" "optional_allows" {
  description         = "optional allows"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat([
      {
        Sid       = "Use"
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.nb.arn }
        Action    = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*"
      }
      ], [
      for arn in local.principals : {
        Sid       = "Allow attachment of persistent resources"
        Effect    = "Allow"
        Principal = { AWS = arn }
        Action    = "kms:CreateGrant"
        Resource  = "*"
        Condition = { Bool = { "kms:GrantIsForAWSResource" = "true" } }
      } if contains(split("/", arn), "autoscaling.amazonaws.com")
    ])
  })
}

resource "aws_sagemaker_notebook_instance" "optional_allows" {
  name          = "optional-allows"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.optional_allows.arn
}

# An optional Deny may take the grant away: UNKNOWN, naming the for condition.
resource "aws_kms_key" "optional_deny" {
  description         = "optional deny"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat([
      {
        Sid       = "Use"
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.nb.arn }
        Action    = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*"
      }
      ], [
      for arn in local.principals : {
        Sid       = "DenyServiceRoles"
        Effect    = "Deny"
        Principal = { AWS = arn }
        Action    = "kms:*"
        Resource  = "*"
      } if contains(split("/", arn), "aws-service-role")
    ])
  })
}

resource "aws_sagemaker_notebook_instance" "optional_deny" {
  name          = "optional-deny"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.optional_deny.arn
}

# Only an optional Allow would grant the use: it may not be there, so UNKNOWN.
resource "aws_kms_key" "only_optional" {
  description         = "only optional"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      for arn in local.principals : {
        Effect    = "Allow"
        Principal = { AWS = arn }
        Action    = "kms:*"
        Resource  = "*"
      } if length(regexall("notebook", arn)) > 0
    ]
  })
}

resource "aws_sagemaker_notebook_instance" "only_optional" {
  name          = "only-optional"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.only_optional.arn
}
