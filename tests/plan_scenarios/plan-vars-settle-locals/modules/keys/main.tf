variable "names" {
  type = list(string)
}

# dev is disabled, prod enabled: the key a notebook gets depends on which name it picks.
resource "aws_kms_key" "this" {
  for_each            = toset(var.names)
  description         = each.key
  is_enabled          = each.key != "dev"
  enable_key_rotation = true
}

output "arns" {
  value = { for name, key in aws_kms_key.this : name => key.arn }
}
