# A key ARN built from the deploying account (and partition and region) is a well-formed key ARN
# in the current account: a literal key ID there behaves as a literal key ARN.
provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias = "west"
  # No region: the run gives none either, so this provider's region is unknown.
}

data "aws_caller_identity" "me" {}
data "aws_partition" "p" {}
data "aws_region" "r" {}

data "aws_region" "west" {
  provider = aws.west
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

resource "aws_sagemaker_notebook_instance" "account" {
  name          = "account"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = "arn:aws:kms:us-east-1:${data.aws_caller_identity.me.account_id}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

resource "aws_sagemaker_notebook_instance" "all_data_sources" {
  name          = "all-data-sources"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = "arn:${data.aws_partition.p.partition}:kms:${data.aws_region.r.name}:${data.aws_caller_identity.me.id}:key/mrk-1234abcd12ab34cd56ef1234567890ab"
}

resource "aws_sagemaker_notebook_instance" "region_id" {
  name          = "region-id"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = format("arn:aws:kms:%s:%s:key/%s", data.aws_region.r.id, data.aws_caller_identity.me.account_id, "1234abcd-12ab-34cd-56ef-1234567890ab")
}

resource "aws_sagemaker_notebook_instance" "alias_arn" {
  name          = "alias-arn"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = "arn:aws:kms:us-east-1:${data.aws_caller_identity.me.account_id}:alias/team-notebooks"
}

# The key is in another region than the notebook: cross-region, as with a literal account.
resource "aws_sagemaker_notebook_instance" "other_region" {
  name          = "other-region"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = "arn:aws:kms:eu-west-1:${data.aws_caller_identity.me.account_id}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

# The notebook's region is unknown: whether the key is in it is unknown.
resource "aws_sagemaker_notebook_instance" "unknown_region" {
  provider      = aws.west
  name          = "unknown-region"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = "arn:aws:kms:us-east-1:${data.aws_caller_identity.me.account_id}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

# Both the notebook's and the key's region come from the same unknown provider region.
resource "aws_sagemaker_notebook_instance" "unknown_region_same_provider" {
  provider      = aws.west
  name          = "unknown-region-same-provider"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = "arn:aws:kms:${data.aws_region.west.name}:${data.aws_caller_identity.me.account_id}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}
