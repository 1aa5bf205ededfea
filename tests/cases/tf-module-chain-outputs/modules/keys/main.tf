variable "role" {
  type = string
}

resource "aws_kms_key" "this" {
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = var.role }
      Action    = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*"]
      Resource  = "*"
    }]
  })
}

locals {
  arn = aws_kms_key.this.arn
}
