# Inside the repository but outside the scanned directory (repo/env): the link is followed.
resource "aws_sagemaker_notebook_instance" "shared" {
  name          = "shared"
  role_arn      = "arn:aws:iam::111122223333:role/nb"
  instance_type = "ml.t3.medium"
}
