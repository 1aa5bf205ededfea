# Variable types applied as Terraform 1.3+ applies them (the terraform-aws-eks style): optional
# attributes take their defaults when absent or null, nested defaults too, in the root module's
# variables and in a module's inputs alike.
provider "aws" {
  region = "eu-west-1"
}

variable "notebooks" {
  type = map(object({
    instance_type = optional(string, "ml.t3.medium")
    kms_key_id    = optional(string)
    encryption = optional(object({
      enabled = optional(bool, true)
      key     = optional(string, "alias/aws/sagemaker")
    }), {})
  }))
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

# kms_key_id comes straight from the element: absent means null, so "missing".
resource "aws_sagemaker_notebook_instance" "direct" {
  for_each      = var.notebooks
  name          = each.key
  role_arn      = aws_iam_role.nb.arn
  instance_type = each.value.instance_type
  kms_key_id    = each.value.kms_key_id
}

# The nested object's defaults: the AWS managed alias unless the element names a key.
resource "aws_sagemaker_notebook_instance" "nested" {
  for_each      = var.notebooks
  name          = "nested-${each.key}"
  role_arn      = aws_iam_role.nb.arn
  instance_type = each.value.instance_type
  kms_key_id    = each.value.encryption.enabled ? each.value.encryption.key : null
}

module "team" {
  source = "./modules/notebook"
  settings = {
    name = "team"
  }
  role_arn = aws_iam_role.nb.arn
}
