# String functions around a key reference or an unknown keep what they can: format("%s", x) is
# x, a key's ARN or ID is lower case already, basename() of a key ARN is the key's ID, and an
# unknown stays the unknown it was, naming its cause.
provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "me" {}

variable "key_arn" {
  type = string
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

resource "aws_kms_key" "k" {
  enable_key_rotation = true
}

resource "aws_sagemaker_notebook_instance" "format_s" {
  name          = "format-s"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = format("%s", aws_kms_key.k.arn)
}

resource "aws_sagemaker_notebook_instance" "format_v_key_id" {
  name          = "format-v-key-id"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = format("%v", aws_kms_key.k.key_id)
}

resource "aws_sagemaker_notebook_instance" "lower_arn" {
  name          = "lower-arn"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = lower(aws_kms_key.k.arn)
}

resource "aws_sagemaker_notebook_instance" "trimspace_arn" {
  name          = "trimspace-arn"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = trimspace(tostring(aws_kms_key.k.arn))
}

resource "aws_sagemaker_notebook_instance" "basename_arn" {
  name          = "basename-arn"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = basename(aws_kms_key.k.arn)
}

# Text with the current account in it keeps the symbol through lower() and trimspace().
resource "aws_sagemaker_notebook_instance" "lower_symbolic" {
  name          = "lower-symbolic"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = lower(trimspace(" arn:aws:kms:eu-west-1:${data.aws_caller_identity.me.account_id}:key/1234ABCD-12ab-34cd-56ef-1234567890ab "))
}

# An unknown stays unknown naming the variable, not the function.
resource "aws_sagemaker_notebook_instance" "lower_unknown" {
  name          = "lower-unknown"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = basename(lower(var.key_arn))
}

# The key ID taken from the ARN by splitting it: still the key.
resource "aws_sagemaker_notebook_instance" "split_arn" {
  name          = "split-arn"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = element(split("/", aws_kms_key.k.arn), 1)
}
