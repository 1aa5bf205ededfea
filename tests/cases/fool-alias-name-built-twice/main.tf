# "alias/${aws_kms_alias.a.name}" is alias/alias/notebooks: the alias's name already starts with
# "alias/". No alias has that name, so the text names no key the configuration checks: UNKNOWN
# with unmatched-alias, never a PASS as a key "defined elsewhere".
provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "nb" {
  name               = "notebook"
  assume_role_policy = "{}"
}

resource "aws_kms_key" "k" {
  enable_key_rotation = true
}

resource "aws_kms_alias" "a" {
  name          = "alias/notebooks"
  target_key_id = aws_kms_key.k.key_id
}

resource "aws_sagemaker_notebook_instance" "template" {
  name          = "template"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = "alias/${aws_kms_alias.a.name}"
}

data "aws_kms_alias" "looked_up" {
  name = "alias/${aws_kms_alias.a.name}"
}

resource "aws_sagemaker_notebook_instance" "data_source" {
  name          = "data-source"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = data.aws_kms_alias.looked_up.target_key_arn
}

# Built from the alias and matching it: linked, judged on the key.
resource "aws_sagemaker_notebook_instance" "matching" {
  name          = "matching"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = "${aws_kms_alias.a.name}"
}
