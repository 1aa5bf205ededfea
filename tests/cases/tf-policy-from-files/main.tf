provider "aws" {
  region = "eu-west-1"
}
resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

resource "aws_kms_key" "from_file" {
  enable_key_rotation = true
  policy              = file("${path.module}/policies/service.json")
}

resource "aws_kms_key" "from_template" {
  enable_key_rotation = true
  policy = templatefile("${path.module}/policies/role.json.tpl", {
    role_arn = aws_iam_role.nb.arn
    actions  = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey"]
  })
}

resource "aws_sagemaker_notebook_instance" "from_file" {
  name          = "from_file"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.from_file.arn
}

resource "aws_sagemaker_notebook_instance" "from_template" {
  name          = "from_template"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.from_template.arn
}
