resource "aws_sagemaker_notebook_instance" "nb" {
  kms_key_id = aws_kms_key.k.arn
}
