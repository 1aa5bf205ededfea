# A bare alias name is looked up in the notebook's account: an alias of that name created through a
# provider that assumes a role (possibly another account) is not linked, so its key is not
# taken as checked (the literal stays unverified).

provider "aws" { region = "us-east-1" }
provider "aws" {
  alias  = "other"
  region = "us-east-1"
  assume_role { role_arn = "arn:aws:iam::222222222222:role/deployer" }
}
resource "aws_kms_key" "good" {
  provider = aws.other
  enable_key_rotation = true
}
resource "aws_kms_alias" "x" {
  provider = aws.other
  name          = "alias/x"
  target_key_id = aws_kms_key.good.key_id
}
resource "aws_sagemaker_notebook_instance" "nb" {
  name = "nb"
  role_arn = "arn:aws:iam::111111111111:role/r"
  instance_type = "ml.t3.medium"
  kms_key_id = "alias/x"
}
