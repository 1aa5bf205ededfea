# A set(string) variable is in Terraform's order (sorted), not as written: tolist(...)[0] is
# alias/aws/sagemaker here, so the notebook FAILs.

provider "aws" { region = "us-east-1" }
variable "keys" {
  type    = set(string)
  default = ["arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab", "alias/aws/sagemaker"]
}
resource "aws_sagemaker_notebook_instance" "nb" {
  name = "nb"
  role_arn = "arn:aws:iam::111111111111:role/r"
  instance_type = "ml.t3.medium"
  kms_key_id = tolist(var.keys)[0]
}
