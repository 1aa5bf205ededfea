# The repository's root module: a notebook whose key the caller passes in.
variable "key_arn" {
  type = string
}
variable "role" {
  type = string
}

resource "aws_sagemaker_notebook_instance" "this" {
  name          = "this"
  role_arn      = var.role
  instance_type = "ml.t3.medium"
  kms_key_id    = var.key_arn
}
