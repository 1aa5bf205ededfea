# The key is picked from a local map and from a module output built by a `for` expression,
# indexed by var.env. The plan is made with -var env=prod; the source's default is dev (a
# disabled key). The plan alone cannot follow local values or `for` results (UNKNOWN); scanned
# with this tree, the tree evaluated with the plan's variables settles them: the prod key.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "env" {
  type    = string
  default = "dev"
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "sagemaker.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}

resource "aws_kms_key" "dev" {
  description = "dev"
  is_enabled  = false
}

resource "aws_kms_key" "prod" {
  description         = "prod"
  enable_key_rotation = true
}

locals {
  keys = {
    dev  = aws_kms_key.dev.arn
    prod = aws_kms_key.prod.arn
  }
}

module "keys" {
  source = "./modules/keys"
  names  = ["dev", "prod"]
}

resource "aws_sagemaker_notebook_instance" "from_local" {
  name          = "from-local"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = local.keys[var.env]
}

resource "aws_sagemaker_notebook_instance" "from_module" {
  name          = "from-module"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = module.keys.arns[var.env]
}
