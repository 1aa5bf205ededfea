variable "key_arn" {}
variable "role" {}

resource "aws_sagemaker_notebook_instance" "this" {
  name          = "this"
  role_arn      = var.role
  instance_type = "ml.t3.medium"
  kms_key_id    = var.key_arn
}
