# Aliases are per region: an alias named alias/notebooks created through the us-east-1
# provider is not the alias a eu-west-1 notebook's "alias/notebooks" means. Not linked: the key
# stays defined elsewhere (unverified), never judged on the other region's key.
provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "east"
  region = "us-east-1"
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

resource "aws_kms_key" "east" {
  provider   = aws.east
  is_enabled = false
}

resource "aws_kms_alias" "east" {
  provider      = aws.east
  name          = "alias/notebooks"
  target_key_id = aws_kms_key.east.key_id
}

resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = "alias/notebooks"
}

# An alias ARN in us-east-1 is in another region than the notebook by its text alone.
resource "aws_sagemaker_notebook_instance" "by_arn" {
  name          = "by-arn"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = "arn:aws:kms:us-east-1:111122223333:alias/notebooks"
}
