# The default key policy delegates to the key's own account: a key made through a provider that
# assumes a role may be in another account than the notebook's, so it is not a PASS.

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
resource "aws_sagemaker_notebook_instance" "nb" {
  name = "nb"
  role_arn = "arn:aws:iam::111111111111:role/r"
  instance_type = "ml.t3.medium"
  kms_key_id = aws_kms_key.good.arn
}
