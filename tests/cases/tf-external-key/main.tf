provider "aws" {
  region = "eu-west-1"
}
resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

variable "key_material" {
  type      = string
  sensitive = true
  default   = "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI="
}

resource "aws_kms_external_key" "imported" {
  key_material_base64 = var.key_material
}

resource "aws_kms_external_key" "pending" {
  description = "no key material yet"
}

resource "aws_sagemaker_notebook_instance" "imported" {
  name          = "imported"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_external_key.imported.arn
}

resource "aws_sagemaker_notebook_instance" "pending" {
  name          = "pending"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_external_key.pending.id
}
