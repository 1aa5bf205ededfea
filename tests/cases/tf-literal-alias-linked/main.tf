# A literal alias name that an alias of this configuration has: the alias's key is checked
# (properties, policy), so no key-*-unverified warning. The alias ARN form links too when its
# region and account are those of the alias.
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

resource "aws_kms_alias" "notebooks" {
  name          = "alias/notebooks"
  target_key_id = aws_kms_key.k.key_id
}

resource "aws_sagemaker_notebook_instance" "by_name" {
  name          = "by-name"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = "alias/notebooks"
}

# The alias ARN names an account the configuration does not pin (the provider's account is
# whatever it is applied with): it is not linked, and stays a key defined elsewhere.
resource "aws_sagemaker_notebook_instance" "by_arn_other_account" {
  name          = "by-arn"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = "arn:aws:kms:eu-west-1:111122223333:alias/notebooks"
}
