# Bundled example for `cmkguard scan examples/`: one notebook per verdict.
# It is also applied against a moto server by the end-to-end test (tests/e2e).

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

provider "aws" {
  region = var.region
}

resource "aws_iam_role" "notebook" {
  name = "research-notebooks"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "sagemaker.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

module "notebook_key" {
  source   = "./modules/notebook-key"
  name     = "research"
  role_arn = aws_iam_role.notebook.arn
}

# PASS: a customer managed, enabled, symmetric key whose policy lets the notebook role use it.
resource "aws_sagemaker_notebook_instance" "encrypted" {
  name          = "research-encrypted"
  role_arn      = aws_iam_role.notebook.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = module.notebook_key.key_id
}

# FAIL (missing): no key, so SageMaker uses its AWS managed key.
resource "aws_sagemaker_notebook_instance" "default_key" {
  name          = "research-default-key"
  role_arn      = aws_iam_role.notebook.arn
  instance_type = "ml.t3.medium"
}

# FAIL (aws-managed-key): passes every incumbent tool, but it is not a customer managed key.
resource "aws_sagemaker_notebook_instance" "aws_managed" {
  name          = "research-aws-managed"
  role_arn      = aws_iam_role.notebook.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = local.sagemaker_default_alias
}

# UNKNOWN (unresolved): the key comes from a variable nobody set. Try
#   cmkguard scan examples/ --var shared_key_arn=arn:aws:kms:eu-west-1:111122223333:key/...
resource "aws_sagemaker_notebook_instance" "shared_key" {
  name          = "research-shared-key"
  role_arn      = aws_iam_role.notebook.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = var.shared_key_arn
}

# FAIL (key-disabled): a customer managed key that cannot encrypt anything.
resource "aws_kms_key" "retired" {
  description         = "retired notebook key"
  is_enabled          = false
  enable_key_rotation = true
}

resource "aws_sagemaker_notebook_instance" "retired_key" {
  name          = "research-retired-key"
  role_arn      = aws_iam_role.notebook.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.retired.arn
}
