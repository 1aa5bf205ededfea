# The key lives in a child module and reaches notebooks through a module output, directly and
# through another module's input (also expanded with for_each).
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-central-1"
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "sagemaker.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}

module "keys" {
  source = "./modules/keys"
}

resource "aws_sagemaker_notebook_instance" "root" {
  name          = "root"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = module.keys.key_arn
}

module "team" {
  source   = "./modules/notebook"
  for_each = toset(["alpha", "beta"])
  name     = each.key
  role_arn = aws_iam_role.nb.arn
  key_arn  = module.keys.key_arn
}

module "unencrypted" {
  source   = "./modules/notebook"
  name     = "unencrypted"
  role_arn = aws_iam_role.nb.arn
}
