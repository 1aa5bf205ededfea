variable "name" {
  type = string
}

variable "role_arn" {
  type = string
}

variable "key_arn" {
  type    = string
  default = null
}

resource "aws_sagemaker_notebook_instance" "this" {
  name          = var.name
  role_arn      = var.role_arn
  instance_type = "ml.t3.medium"
  kms_key_id    = var.key_arn
}
