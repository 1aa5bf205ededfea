provider "aws" {
  region = "eu-west-1"
}
resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

module "keys" {
  source = "./modules/keys"
  role   = aws_iam_role.nb.arn
}

module "notebook" {
  source  = "./modules/notebook"
  key_arn = module.keys.key_arn
  role    = aws_iam_role.nb.arn
}
