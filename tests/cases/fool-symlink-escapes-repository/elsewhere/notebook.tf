# Beyond the repository: the link to this file is an error, and the file is never read.
resource "aws_sagemaker_notebook_instance" "elsewhere" {
  name          = "elsewhere"
  role_arn      = "arn:aws:iam::111122223333:role/nb"
  instance_type = "ml.t3.medium"
  kms_key_id    = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}
