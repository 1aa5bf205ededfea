# `cmkguard scan examples/complete`: the example calls the repository root with `../..`, as
# registry modules' examples do. It is followed (inside the repository holding the scanned
# directory), and the finding's file is relative to the scanned directory.
provider "aws" {
  region = "eu-west-1"
}
resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

resource "aws_kms_key" "this" {
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = aws_iam_role.nb.arn }
      Action    = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*"]
      Resource  = "*"
    }]
  })
}

module "notebook" {
  source  = "../.."
  key_arn = aws_kms_key.this.arn
  role    = aws_iam_role.nb.arn
}
