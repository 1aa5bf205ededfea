variable "region" {
  description = "Region of the notebooks and their keys."
  type        = string
  default     = "eu-west-1"
}

variable "shared_key_arn" {
  description = "ARN of a key shared by the platform team (no default on purpose)."
  type        = string
}

locals {
  sagemaker_default_alias = "alias/aws/${"sagemaker"}"
}
