provider "aws" {
  region = "eu-west-1"
}
resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

resource "aws_kms_key" "k" {
  enable_key_rotation = true
}

variable "teams" {
  type = set(string)
}

module "counted" {
  source  = "./nb"
  count   = 2
  key_arn = aws_kms_key.k.arn
  role    = aws_iam_role.nb.arn
}

module "by_team" {
  source   = "./nb"
  for_each = toset(["ml", "data"])
  key_arn  = aws_kms_key.k.arn
  role     = aws_iam_role.nb.arn
}

module "unknown_teams" {
  source   = "./nb"
  for_each = var.teams
  key_arn  = aws_kms_key.k.arn
  role     = aws_iam_role.nb.arn
}
