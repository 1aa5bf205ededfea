provider "aws" {
  region = "eu-west-1"
}
provider "aws" {
  alias  = "us"
  region = "us-east-1"
}
resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

resource "aws_kms_key" "k" {
  enable_key_rotation = true
}

module "in_us" {
  source  = "./nb"
  key_arn = aws_kms_key.k.arn
  role    = aws_iam_role.nb.arn
  providers = {
    aws = aws.us
  }
}

module "inherits" {
  source  = "./nb"
  key_arn = aws_kms_key.k.arn
  role    = aws_iam_role.nb.arn
}
