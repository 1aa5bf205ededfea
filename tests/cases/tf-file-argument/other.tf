resource "aws_sagemaker_notebook_instance" "in_other" {
  name          = "in_other"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = null
}
