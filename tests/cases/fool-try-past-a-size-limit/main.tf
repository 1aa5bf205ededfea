# try() and can() catch what Terraform rejects, never cmkguard's own size limit: past it the fallback
# (a good key) is not what Terraform would choose (alias/aws/sagemaker).

locals {
  s0 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
  s1 = "${local.s0}${local.s0}"
  s2 = "${local.s1}${local.s1}"
  s3 = "${local.s2}${local.s2}"
  s4 = "${local.s3}${local.s3}"
  s5 = "${local.s4}${local.s4}"
  s6 = "${local.s5}${local.s5}"
  s7 = "${local.s6}${local.s6}"
  s8 = "${local.s7}${local.s7}"
  s9 = "${local.s8}${local.s8}"
  s10 = "${local.s9}${local.s9}"
  s11 = "${local.s10}${local.s10}"
  s12 = "${local.s11}${local.s11}"
  s13 = "${local.s12}${local.s12}"
  s14 = "${local.s13}${local.s13}"
  s15 = "${local.s14}${local.s14}"
}
provider "aws" { region = "us-east-1" }
resource "aws_kms_key" "good" { enable_key_rotation = true }
resource "aws_sagemaker_notebook_instance" "nb" {
  name = "nb"
  role_arn = "arn:aws:iam::111111111111:role/r"
  instance_type = "ml.t3.medium"
  kms_key_id = try(substr(local.s15, 0, 0) == "" ? "alias/aws/sagemaker" : "x", aws_kms_key.good.arn)
}
