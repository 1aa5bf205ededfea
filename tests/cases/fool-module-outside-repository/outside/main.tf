# Beyond the repository that holds the scanned directory: never read, so its notebook is
# neither judged nor silently dropped - the module call is an error naming what to scan.
resource "aws_sagemaker_notebook_instance" "hidden" {
  name          = "hidden"
  role_arn      = "arn:aws:iam::111122223333:role/nb"
  instance_type = "ml.t3.medium"
}
