variable "settings" {
  type = object({
    name = string
    kms = optional(object({
      key_arn = optional(string, "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
    }), {})
  })
}

variable "role_arn" {
  type = string
}

resource "aws_sagemaker_notebook_instance" "this" {
  name          = var.settings.name
  role_arn      = var.role_arn
  instance_type = "ml.t3.medium"
  kms_key_id    = var.settings.kms.key_arn
}
