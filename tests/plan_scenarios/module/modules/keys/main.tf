resource "aws_kms_key" "notebooks" {
  description         = "notebook volumes"
  enable_key_rotation = true
}

output "key_arn" {
  value = aws_kms_key.notebooks.arn
}
