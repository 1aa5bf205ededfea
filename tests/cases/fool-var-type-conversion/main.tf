# Values that would pass if the variable's type were not applied: Terraform drops attributes an
# object type does not declare, rejects a value missing a required attribute, and fills an
# optional attribute's default.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

# The value carries kms_key_id, but the type does not declare it: Terraform drops it.
variable "dropped" {
  type = object({ name = string })
  default = {
    name       = "dropped"
    kms_key_id = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }
}

# The value lacks the required "name": Terraform rejects it.
variable "incomplete" {
  type = object({ name = string, kms_key_id = string })
}

# The optional key's default is the AWS managed alias.
variable "defaulted" {
  type = object({
    name       = string
    kms_key_id = optional(string, "alias/aws/sagemaker")
  })
}

# A map of strings: a number given for a key is its text, not a key.
variable "keys" {
  type = map(string)
  default = {
    team = 1234
  }
}

resource "aws_sagemaker_notebook_instance" "dropped" {
  name          = var.dropped.name
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = lookup(var.dropped, "kms_key_id", null)
}

resource "aws_sagemaker_notebook_instance" "incomplete" {
  name          = "incomplete"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = var.incomplete.kms_key_id
}

resource "aws_sagemaker_notebook_instance" "defaulted" {
  name          = var.defaulted.name
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = var.defaulted.kms_key_id
}

resource "aws_sagemaker_notebook_instance" "number_as_key" {
  name          = "number-as-key"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = var.keys["team"]
}
