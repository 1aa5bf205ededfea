# The notebook lives in a registry module that `terraform init` has not downloaded: the scan
# cannot see it, so it must say so (exit 2), never report "0 notebooks" and pass the gate.
module "notebooks" {
  source  = "app.terraform.io/example/sagemaker-notebooks/aws"
  version = "~> 2.0"
}

module "git_notebooks" {
  source = "git::https://example.com/infra/notebooks.git?ref=v1.2.0"
}
