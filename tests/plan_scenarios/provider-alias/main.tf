# Two regions: the key is created through the aliased provider in us-west-2. Notebooks that use
# it from us-east-1 (directly or in a module given the default provider) are cross-region.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

variable "home_region" {
  type    = string
  default = "us-east-1"
}

provider "aws" {
  region = var.home_region
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "sagemaker.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}

resource "aws_kms_key" "west" {
  provider            = aws.west
  description         = "notebook volumes in us-west-2"
  enable_key_rotation = true
}

resource "aws_sagemaker_notebook_instance" "east" {
  name          = "east"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.west.arn
}

resource "aws_sagemaker_notebook_instance" "west" {
  provider      = aws.west
  name          = "west"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.west.arn
}

module "in_west" {
  source    = "./modules/notebook"
  providers = { aws = aws.west }
  name      = "module-west"
  role_arn  = aws_iam_role.nb.arn
  key_arn   = aws_kms_key.west.arn
}

module "in_east" {
  source   = "./modules/notebook"
  name     = "module-east"
  role_arn = aws_iam_role.nb.arn
  key_arn  = aws_kms_key.west.arn
}
