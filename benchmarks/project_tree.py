"""The project's own static benchmark tree (issue 2): 2,000 files of Terraform and
CloudFormation with 1,539 module calls, the tree ``static_scan.py --scenario project`` scans.

The tree (``benchmarks/.work/tree-N``) is generated from a fixed seed, so every run and every
machine scans the same bytes: shared child modules (network, bucket, lambda, KMS key, notebook)
and about a hundred root modules of everyday AWS resources (VPCs, security groups, S3, IAM with
``aws_iam_policy_document``, Lambda, KMS keys and aliases, log groups), with a few dozen
SageMaker notebooks spread over some of them the way real code sets their keys: mostly no key,
``aws_kms_key.x.id``/``.key_id``/``.arn``, ``alias/aws/sagemaker``, keys passed through module
outputs and variables (defaults and ``terraform.tfvars``), locals and ``for_each``. A tenth of
the files are CloudFormation templates under ``cloudformation/`` (YAML with short-form tags and
CDK-shaped JSON): buckets, queues, roles and functions, with notebooks keyed the same ways
(none, ``!GetAtt Key.Arn``, an alias, ``alias/aws/sagemaker``, a parameter, an import).
"""

from __future__ import annotations

import json
import random
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchtools import WORK

SEED = 20240601
TREE_FORMAT = "4"
"""Bump when the generator changes, so a cached tree is regenerated."""

ACCOUNTS = ["prod", "staging", "dev", "sandbox", "data", "shared-services"]
REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1"]
STACKS = [
    "payments", "checkout", "search", "ml-research", "analytics", "identity", "billing",
    "catalog", "orders", "notifications", "reporting", "ingest", "feature-store", "web",
]  # fmt: skip
RUNTIMES = ["python3.12", "python3.11", "nodejs20.x", "java21"]
INSTANCE_TYPES = ["ml.t3.medium", "ml.t3.large", "ml.m5.xlarge", "ml.g4dn.xlarge"]


# --- shared child modules --------------------------------------------------------------------

SHARED_MODULES: dict[str, dict[str, str]] = {
    "network": {
        "main.tf": """
resource "aws_vpc" "this" {
  cidr_block           = var.cidr
  enable_dns_hostnames = true
  tags                 = merge(var.tags, { Name = var.name })
}

resource "aws_subnet" "private" {
  count             = length(var.azs)
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(var.cidr, 4, count.index)
  availability_zone = var.azs[count.index]
  tags              = merge(var.tags, { Name = "${var.name}-private-${count.index}" })
}

resource "aws_subnet" "public" {
  count                   = length(var.azs)
  vpc_id                  = aws_vpc.this.id
  cidr_block              = cidrsubnet(var.cidr, 4, count.index + 8)
  map_public_ip_on_launch = true
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "this" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public[0].id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.this.id
  }
}
""",
        "variables.tf": """
variable "name" {
  type = string
}

variable "cidr" {
  type    = string
  default = "10.0.0.0/16"
}

variable "azs" {
  type    = list(string)
  default = ["a", "b", "c"]
}

variable "tags" {
  type    = map(string)
  default = {}
}
""",
        "outputs.tf": """
output "vpc_id" {
  value = aws_vpc.this.id
}

output "private_subnet_ids" {
  value = aws_subnet.private[*].id
}
""",
    },
    "bucket": {
        "main.tf": """
resource "aws_s3_bucket" "this" {
  bucket = var.name
  tags   = var.tags
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

data "aws_iam_policy_document" "tls_only" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.tls_only.json
}
""",
        "variables.tf": """
variable "name" {
  type = string
}

variable "kms_key_arn" {
  type    = string
  default = null
}

variable "tags" {
  type    = map(string)
  default = {}
}
""",
        "outputs.tf": """
output "arn" {
  value = aws_s3_bucket.this.arn
}

output "id" {
  value = aws_s3_bucket.this.id
}
""",
    },
    "lambda": {
        "main.tf": """
resource "aws_iam_role" "this" {
  name = "${var.name}-lambda"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "logs" {
  role       = aws_iam_role.this.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.retention_days
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = aws_iam_role.this.arn
  runtime       = var.runtime
  handler       = "main.handler"
  filename      = "${path.module}/build/${var.name}.zip"
  timeout       = 30
  environment {
    variables = var.environment
  }
  depends_on = [aws_cloudwatch_log_group.this]
}
""",
        "variables.tf": """
variable "name" {
  type = string
}

variable "runtime" {
  type    = string
  default = "python3.12"
}

variable "retention_days" {
  type    = number
  default = 30
}

variable "environment" {
  type    = map(string)
  default = {}
}
""",
        "outputs.tf": """
output "function_arn" {
  value = aws_lambda_function.this.arn
}
""",
    },
    "kms-key": {
        "main.tf": """
data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "key" {
  statement {
    sid       = "EnableIAMPolicies"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
  statement {
    sid       = "AllowUsers"
    actions   = ["kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = var.user_arns
    }
  }
}

resource "aws_kms_key" "this" {
  description         = var.description
  enable_key_rotation = true
  is_enabled          = var.enabled
  policy              = data.aws_iam_policy_document.key.json
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}
""",
        "variables.tf": """
variable "name" {
  type = string
}

variable "description" {
  type    = string
  default = "managed by terraform"
}

variable "user_arns" {
  type    = list(string)
  default = []
}

variable "enabled" {
  type    = bool
  default = true
}
""",
        "outputs.tf": """
output "key_id" {
  value = aws_kms_key.this.key_id
}

output "key_arn" {
  value = aws_kms_key.this.arn
}

output "alias_arn" {
  value = aws_kms_alias.this.arn
}
""",
    },
    "notebook": {
        "main.tf": """
resource "aws_sagemaker_notebook_instance" "this" {
  for_each               = var.instances
  name                   = "${var.prefix}-${each.key}"
  role_arn               = var.role_arn
  instance_type          = each.value.instance_type
  kms_key_id             = var.kms_key_id
  direct_internet_access = "Disabled"
  subnet_id              = var.subnet_id
  tags                   = var.tags
}
""",
        "variables.tf": """
variable "prefix" {
  type = string
}

variable "role_arn" {
  type = string
}

variable "instances" {
  type = map(object({ instance_type = string }))
}

variable "kms_key_id" {
  type    = string
  default = null
}

variable "subnet_id" {
  type    = string
  default = null
}

variable "tags" {
  type    = map(string)
  default = {}
}
""",
        "outputs.tf": """
output "arns" {
  value = { for k, nb in aws_sagemaker_notebook_instance.this : k => nb.arn }
}
""",
    },
}


# --- everyday resources of a root module -------------------------------------------------------


def _security_group(rng: random.Random, name: str) -> str:
    ports = rng.sample([22, 80, 443, 5432, 6379, 8080, 9092], rng.randint(1, 3))
    ingress = "".join(
        f"""
  ingress {{
    description = "port {port}"
    from_port   = {port}
    to_port     = {port}
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }}
"""
        for port in ports
    )
    return f"""
resource "aws_security_group" "{name}" {{
  name        = "${{local.prefix}}-{name}"
  description = "{name} traffic"
  vpc_id      = module.network.vpc_id
{ingress}
  egress {{
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }}
  tags = local.tags
}}

resource "aws_security_group_rule" "{name}_self" {{
  type                     = "ingress"
  from_port                = 0
  to_port                  = 65535
  protocol                 = "tcp"
  security_group_id        = aws_security_group.{name}.id
  source_security_group_id = aws_security_group.{name}.id
}}
"""


def _bucket(rng: random.Random, name: str) -> str:
    logging = rng.random() < 0.5
    return f"""
resource "aws_s3_bucket" "{name}" {{
  bucket = "${{local.prefix}}-{name.replace("_", "-")}"
  tags   = local.tags
}}

resource "aws_s3_bucket_server_side_encryption_configuration" "{name}" {{
  bucket = aws_s3_bucket.{name}.id
  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }}
    bucket_key_enabled = true
  }}
}}

resource "aws_s3_bucket_public_access_block" "{name}" {{
  bucket                  = aws_s3_bucket.{name}.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}}
""" + (
        f"""
resource "aws_s3_bucket_logging" "{name}" {{
  bucket        = aws_s3_bucket.{name}.id
  target_bucket = module.logs_bucket.id
  target_prefix = "s3/{name}/"
}}
"""
        if logging
        else ""
    )


def _iam(rng: random.Random, name: str) -> str:
    service = rng.choice(["ec2", "ecs-tasks", "lambda", "glue", "states"])
    actions = rng.sample(
        ['"s3:GetObject"', '"s3:PutObject"', '"sqs:SendMessage"', '"dynamodb:Query"',
         '"kms:Decrypt"', '"logs:PutLogEvents"', '"secretsmanager:GetSecretValue"'],
        3,
    )  # fmt: skip
    return f"""
data "aws_iam_policy_document" "{name}_assume" {{
  statement {{
    actions = ["sts:AssumeRole"]
    principals {{
      type        = "Service"
      identifiers = ["{service}.amazonaws.com"]
    }}
  }}
}}

resource "aws_iam_role" "{name}" {{
  name               = "${{local.prefix}}-{name}"
  assume_role_policy = data.aws_iam_policy_document.{name}_assume.json
  tags               = local.tags
}}

data "aws_iam_policy_document" "{name}" {{
  statement {{
    sid       = "Work"
    actions   = [{", ".join(actions)}]
    resources = ["*"]
  }}
}}

resource "aws_iam_policy" "{name}" {{
  name   = "${{local.prefix}}-{name}"
  policy = data.aws_iam_policy_document.{name}.json
}}

resource "aws_iam_role_policy_attachment" "{name}" {{
  role       = aws_iam_role.{name}.name
  policy_arn = aws_iam_policy.{name}.arn
}}
"""


def _lambda(rng: random.Random, name: str) -> str:
    return f"""
module "{name}" {{
  source  = "{{modules}}/lambda"
  name    = "${{local.prefix}}-{name.replace("_", "-")}"
  runtime = "{rng.choice(RUNTIMES)}"
  environment = {{
    STAGE = var.environment
    TABLE = aws_dynamodb_table.{name}.name
  }}
}}

resource "aws_dynamodb_table" "{name}" {{
  name         = "${{local.prefix}}-{name}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {{
    name = "pk"
    type = "S"
  }}
  point_in_time_recovery {{
    enabled = true
  }}
}}

resource "aws_sqs_queue" "{name}" {{
  name                       = "${{local.prefix}}-{name}"
  visibility_timeout_seconds = {rng.choice([30, 60, 300])}
  kms_master_key_id          = aws_kms_alias.data.name
}}

resource "aws_lambda_event_source_mapping" "{name}" {{
  event_source_arn = aws_sqs_queue.{name}.arn
  function_name    = module.{name}.function_arn
  batch_size       = {rng.choice([1, 10, 100])}
}}
"""


def _monitoring(rng: random.Random, name: str) -> str:
    return f"""
resource "aws_cloudwatch_log_group" "{name}" {{
  name              = "/${{local.prefix}}/{name}"
  retention_in_days = {rng.choice([7, 30, 90, 365])}
  kms_key_id        = aws_kms_key.data.arn
}}

resource "aws_cloudwatch_metric_alarm" "{name}" {{
  alarm_name          = "${{local.prefix}}-{name}-errors"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 2
  metric_name         = "Errors"
  namespace           = "AWS/Lambda"
  period              = 300
  statistic           = "Sum"
  threshold           = {rng.randint(1, 50)}
  alarm_actions       = [aws_sns_topic.alerts.arn]
}}
"""


def _kms(rng: random.Random, name: str) -> str:
    return f"""
resource "aws_kms_key" "{name}" {{
  description             = "{name} data key"
  deletion_window_in_days = {rng.choice([7, 14, 30])}
  enable_key_rotation     = {rng.choice(["true", "false"])}
}}

resource "aws_kms_alias" "{name}" {{
  name          = "alias/${{local.prefix}}-{name}"
  target_key_id = aws_kms_key.{name}.key_id
}}
"""


FILLERS = [_security_group, _bucket, _iam, _lambda, _monitoring, _kms]
FILLERS_PER_FILE = 8
"""Groups of resources per service file: about 25 resources and 300 lines, as in real stacks."""


def _root_common(account: str, region: str, stack: str, modules: str) -> dict[str, str]:
    """The files every root module has."""
    return {
        "versions.tf": """
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
}
""",
        "providers.tf": f"""
provider "aws" {{
  region = var.region
  default_tags {{
    tags = {{ Account = "{account}", Stack = "{stack}" }}
  }}
}}

provider "aws" {{
  alias  = "us_east_1"
  region = "us-east-1"
}}
""",
        "variables.tf": f"""
variable "region" {{
  type    = string
  default = "{region}"
}}

variable "environment" {{
  type = string
}}

variable "vpc_cidr" {{
  type    = string
  default = "10.20.0.0/16"
}}
""",
        "terraform.tfvars": f'environment = "{account}"\n',
        "locals.tf": f"""
locals {{
  prefix = "{stack}-${{var.environment}}"
  tags = {{
    Stack       = "{stack}"
    Environment = var.environment
    CostCenter  = lookup({{ prod = "cc-100", staging = "cc-200" }}, var.environment, "cc-900")
  }}
}}
""",
        "network.tf": f"""
module "network" {{
  source = "{modules}/network"
  name   = local.prefix
  cidr   = var.vpc_cidr
  tags   = local.tags
}}

module "logs_bucket" {{
  source      = "{modules}/bucket"
  name        = "${{local.prefix}}-logs"
  kms_key_arn = aws_kms_key.data.arn
}}
""",
        "kms.tf": """
resource "aws_kms_key" "data" {
  description         = "data at rest"
  enable_key_rotation = true
}

resource "aws_kms_alias" "data" {
  name          = "alias/${local.prefix}-data"
  target_key_id = aws_kms_key.data.key_id
}

resource "aws_sns_topic" "alerts" {
  name              = "${local.prefix}-alerts"
  kms_master_key_id = aws_kms_alias.data.name
}
""",
        "outputs.tf": """
output "vpc_id" {
  value = module.network.vpc_id
}
""",
    }


# --- notebooks -------------------------------------------------------------------------------


@dataclass
class Root:
    """One root module being generated."""

    path: str
    files: dict[str, str]
    modules: str
    """Relative path from the root to the shared ``modules/`` directory."""
    notebooks: int = 0
    """Notebook instances declared here (``for_each`` instances counted)."""
    kinds: list[str] = field(default_factory=list)

    def add(self, name: str, text: str) -> None:
        """Append ``text`` to file ``name``."""
        self.files[name] = self.files.get(name, "") + text


NOTEBOOK_ROLE = """
resource "aws_iam_role" "notebook" {
  name = "${local.prefix}-notebook"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "sagemaker.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}
"""


def _notebook_block(name: str, key_line: str, extra: str = "") -> str:
    key = f"  kms_key_id             = {key_line}\n" if key_line else ""
    return f"""
resource "aws_sagemaker_notebook_instance" "{name}" {{
{extra}  name                   = "${{local.prefix}}-{name.replace("_", "-")}"
  role_arn               = aws_iam_role.notebook.arn
  instance_type          = "ml.t3.medium"
{key}  subnet_id              = module.network.private_subnet_ids[0]
  direct_internet_access = "Disabled"
  tags                   = local.tags
}}
"""


def _key_block(name: str, with_policy: bool, rng: random.Random) -> str:
    policy = (
        """
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Root"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "Notebooks"
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.notebook.arn }
        Action    = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"]
        Resource  = "*"
      },
    ]
  })"""
        if with_policy
        else ""
    )
    enabled = "" if rng.random() < 0.85 else "\n  is_enabled          = false"
    return f"""
resource "aws_kms_key" "{name}" {{
  description         = "notebook volumes"
  enable_key_rotation = true{enabled}{policy}
}}
"""


def add_notebook(root: Root, n: int, kind: str, rng: random.Random) -> None:
    """Add notebook scenario ``kind`` number ``n`` to ``root`` (``sagemaker.tf`` and friends)."""
    if "aws_iam_role.notebook" not in root.files.get("sagemaker.tf", ""):
        root.add("sagemaker.tf", NOTEBOOK_ROLE + '\ndata "aws_caller_identity" "current" {}\n')
    name = f"nb{n}"
    root.kinds.append(kind)
    if kind == "none":
        root.add("sagemaker.tf", _notebook_block(name, ""))
        root.notebooks += 1
    elif kind in ("key-id", "key-key_id", "key-arn"):
        attribute = kind.removeprefix("key-")
        root.add("sagemaker.tf", _key_block(f"{name}_key", rng.random() < 0.5, rng))
        root.add("sagemaker.tf", _notebook_block(name, f"aws_kms_key.{name}_key.{attribute}"))
        root.notebooks += 1
    elif kind == "alias-key":
        root.add("sagemaker.tf", _key_block(f"{name}_key", True, rng))
        root.add(
            "sagemaker.tf",
            f"""
resource "aws_kms_alias" "{name}" {{
  name          = "alias/${{local.prefix}}-{name}"
  target_key_id = aws_kms_key.{name}_key.key_id
}}
""",
        )
        root.add("sagemaker.tf", _notebook_block(name, f"aws_kms_alias.{name}.arn"))
        root.notebooks += 1
    elif kind == "aws-managed":
        root.add("sagemaker.tf", _notebook_block(name, '"alias/aws/sagemaker"'))
        root.notebooks += 1
    elif kind == "module-key":
        root.add(
            "sagemaker.tf",
            f"""
module "{name}_key" {{
  source    = "{root.modules}/kms-key"
  name      = "${{local.prefix}}-{name}"
  user_arns = [aws_iam_role.notebook.arn]
}}
""",
        )
        root.add("sagemaker.tf", _notebook_block(name, f"module.{name}_key.key_id"))
        root.notebooks += 1
    elif kind == "tfvars":
        value = rng.choice(['"alias/aws/sagemaker"', f'"alias/{name}-volumes"'])
        root.add("variables.tf", f'\nvariable "{name}_kms_key" {{\n  type    = string\n}}\n')
        root.add("terraform.tfvars", f"{name}_kms_key = {value}\n")
        if "aws/" not in value:
            root.add("sagemaker.tf", _key_block(f"{name}_key", True, rng))
            root.add(
                "sagemaker.tf",
                f'\nresource "aws_kms_alias" "{name}" {{\n  name          = {value}\n'
                f"  target_key_id = aws_kms_key.{name}_key.id\n}}\n",
            )
        root.add("sagemaker.tf", _notebook_block(name, f"var.{name}_kms_key"))
        root.notebooks += 1
    elif kind == "default-var":
        root.add(
            "variables.tf",
            f'\nvariable "{name}_kms_key" {{\n  type    = string\n  default = ""\n}}\n',
        )
        root.add("sagemaker.tf", _notebook_block(name, f"var.{name}_kms_key"))
        root.notebooks += 1
    elif kind == "local":
        root.add("sagemaker.tf", _key_block(f"{name}_key", True, rng))
        root.add(
            "locals.tf",
            f'\nlocals {{\n  {name}_key = var.environment == "sandbox" ? null'
            f" : aws_kms_key.{name}_key.arn\n}}\n",
        )
        root.add("sagemaker.tf", _notebook_block(name, f"local.{name}_key"))
        root.notebooks += 1
    elif kind == "for-each":
        teams = rng.sample(["research", "fraud", "pricing", "vision", "nlp", "risk"], 3)
        entries = "\n".join(
            f"    {team} = {{ encrypt = {'true' if i else 'false'} }}"
            for i, team in enumerate(teams)
        )
        root.add("sagemaker.tf", _key_block(f"{name}_key", True, rng))
        root.add("locals.tf", f"\nlocals {{\n  {name}_teams = {{\n{entries}\n  }}\n}}\n")
        root.add(
            "sagemaker.tf",
            _notebook_block(
                name,
                f"each.value.encrypt ? aws_kms_key.{name}_key.key_id : null",
                f"  for_each               = local.{name}_teams\n",
            ),
        )
        root.notebooks += len(teams)
    elif kind == "local-module":
        # A child module of this root creates the key and hands its ARN up through an output;
        # the shared notebook module receives it through a variable.
        root.files[f"modules/{name}-platform/main.tf"] = f"""
resource "aws_kms_key" "volumes" {{
  description         = "{name} platform volumes"
  enable_key_rotation = true
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {{ AWS = var.notebook_role_arn }}
      Action    = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*"]
      Resource  = "*"
    }}]
  }})
}}

resource "aws_kms_alias" "volumes" {{
  name          = "alias/{name}-platform"
  target_key_id = aws_kms_key.volumes.key_id
}}
"""
        root.files[f"modules/{name}-platform/variables.tf"] = (
            '\nvariable "notebook_role_arn" {\n  type = string\n}\n'
        )
        root.files[f"modules/{name}-platform/outputs.tf"] = (
            '\noutput "volume_key_arn" {\n  value = aws_kms_key.volumes.arn\n}\n'
        )
        count = rng.randint(1, 3)
        instances = "\n".join(
            f'    "{name}-{i}" = {{ instance_type = "{rng.choice(INSTANCE_TYPES)}" }}'
            for i in range(count)
        )
        root.add(
            "sagemaker.tf",
            f"""
module "{name}_platform" {{
  source            = "./modules/{name}-platform"
  notebook_role_arn = aws_iam_role.notebook.arn
}}

module "{name}" {{
  source     = "{root.modules}/notebook"
  prefix     = local.prefix
  role_arn   = aws_iam_role.notebook.arn
  kms_key_id = module.{name}_platform.volume_key_arn
  subnet_id  = module.network.private_subnet_ids[0]
  instances = {{
{instances}
  }}
}}
""",
        )
        root.notebooks += count
    else:
        raise ValueError(kind)


NOTEBOOK_KINDS = {
    "none": 10,
    "key-id": 4,
    "key-key_id": 3,
    "key-arn": 2,
    "alias-key": 1,
    "aws-managed": 3,
    "module-key": 3,
    "tfvars": 2,
    "default-var": 1,
    "local": 2,
    "for-each": 1,
    "local-module": 2,
}
"""Relative weights: most notebooks set no key; keys are mostly named by ``.id`` or ``.key_id``."""


# --- the tree --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TreeStats:
    """What was generated."""

    files: int
    resources: int
    roots: int
    notebook_roots: int
    notebooks: int
    kinds: dict[str, int]


_CFN_FILLER = """
  Bucket{n}:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${{AWS::StackName}}-data-{n}"
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: {{SSEAlgorithm: aws:kms}}
  Queue{n}:
    Type: AWS::SQS::Queue
    Properties:
      KmsMasterKeyId: alias/aws/sqs
      Tags: [{{Key: stack, Value: !Ref AWS::StackName}}]
  Role{n}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {{Effect: Allow, Principal: {{Service: lambda.amazonaws.com}}, Action: sts:AssumeRole}}
      Policies:
        - PolicyName: read
          PolicyDocument:
            Statement:
              - {{Effect: Allow, Action: "s3:GetObject", Resource: !Sub "${{Bucket{n}.Arn}}/*"}}
  Function{n}:
    Type: AWS::Lambda::Function
    Condition: Deploy
    Properties:
      Runtime: {runtime}
      Handler: app.handler
      Role: !GetAtt Role{n}.Arn
      Code: {{ZipFile: "def handler(e, c): return e"}}
      Environment:
        Variables:
          QUEUE: !Ref Queue{n}
          BUCKET: !If [IsProd, !Ref Bucket{n}, !Ref AWS::NoValue]
"""

_CFN_KEYS = {
    "none": "",
    "key": "      KmsKeyId: !GetAtt Key.Arn",
    "alias": "      KmsKeyId: !Ref Alias",
    "aws-managed": "      KmsKeyId: alias/aws/sagemaker",
    "parameter": "      KmsKeyId: !Ref NotebookKey",
    "import": "      KmsKeyId: !ImportValue shared-kms-NotebookKeyArn",
}


def _template(rng: random.Random, index: int, notebooks: int) -> str:
    """One everyday template: a few fillers and ``notebooks`` notebook instances."""
    parts = [
        'AWSTemplateFormatVersion: "2010-09-09"',
        "Parameters:",
        "  Stage: {Type: String, Default: prod}",
        "  NotebookKey: {Type: String, Default: alias/notebooks}",
        "Conditions:",
        "  IsProd: !Equals [!Ref Stage, prod]",
        "  Deploy: !Or [!Condition IsProd, !Equals [!Ref AWS::Region, eu-west-1]]",
        "Resources:",
        "  Key:",
        "    Type: AWS::KMS::Key",
        "    Properties: {EnableKeyRotation: true}",
        "  Alias:",
        "    Type: AWS::KMS::Alias",
        f"    Properties: {{AliasName: alias/notebooks-{index}, TargetKeyId: !Ref Key}}",
    ]
    parts.extend(
        _CFN_FILLER.format(n=n, runtime=rng.choice(RUNTIMES)).rstrip()
        for n in range(rng.randint(2, 5))
    )
    for n in range(notebooks):
        key = _CFN_KEYS[rng.choice(list(_CFN_KEYS))]
        parts += [
            f"  Notebook{n}:",
            "    Type: AWS::SageMaker::NotebookInstance",
            "    Properties:",
            f"      InstanceType: {rng.choice(INSTANCE_TYPES)}",
            "      RoleArn: !GetAtt Role0.Arn",
        ]
        parts += [key] if key else []
    return "\n".join(parts) + "\n"


def templates(rng: random.Random, count: int) -> tuple[dict[str, str], int]:
    """``count`` templates under ``cloudformation/`` (a fifth with notebooks), and how many
    notebooks they hold."""
    out: dict[str, str] = {}
    notebooks = 0
    for i in range(count):
        n = rng.randint(1, 2) if i % 5 == 0 else 0
        notebooks += n
        out[f"cloudformation/{STACKS[i % len(STACKS)]}/stack-{i}.yaml"] = _template(rng, i, n)
    return out, notebooks


def generate(target: Path, files: int, seed: int = SEED) -> TreeStats:
    """Write the synthetic tree of about ``files`` files into ``target`` (emptied first)."""
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    out, template_notebooks = templates(rng, files // 10)
    for module, module_files in SHARED_MODULES.items():
        for file_name, text in module_files.items():
            out[f"modules/{module}/{file_name}"] = text

    common = len(_root_common("a", "r", "s", "m"))
    per_root = common + 8  # plus about eight files of everyday resources
    root_count = max(1, (files - len(out)) // per_root)
    roots: list[Root] = []
    for i in range(root_count):
        account, region = ACCOUNTS[i % len(ACCOUNTS)], REGIONS[(i // 3) % len(REGIONS)]
        stack = f"{STACKS[i % len(STACKS)]}-{i // len(STACKS)}"
        path = f"live/{account}/{region}/{stack}"
        modules = "../../../../modules"
        roots.append(Root(path, _root_common(account, region, stack, modules), modules))

    # A few dozen notebooks over about a fifth of the roots.
    kinds, weights = list(NOTEBOOK_KINDS), list(NOTEBOOK_KINDS.values())
    notebook_roots = rng.sample(roots, max(1, root_count // 5))
    n = 0
    for root in notebook_roots:
        for _ in range(rng.randint(1, 3)):
            add_notebook(root, n, rng.choices(kinds, weights)[0], rng)
            n += 1

    # Fill up to the file budget with everyday resources, round robin over the roots.
    budget = files - len(out) - sum(len(r.files) for r in roots)
    for k in range(max(0, budget)):
        root = roots[k % root_count]
        parts = [
            filler(rng, f"{filler.__name__.strip('_')}_{k}_{j}").replace("{modules}", root.modules)
            for j, filler in enumerate(rng.choices(FILLERS, k=FILLERS_PER_FILE))
        ]
        root.files[f"service_{k}.tf"] = "".join(parts)

    for root in roots:
        for file_name, text in root.files.items():
            out[f"{root.path}/{file_name}"] = text
    for rel, text in out.items():
        file = target / rel
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text.lstrip("\n"))

    resources = sum(
        len(re.findall(r'(?m)^(?:resource|data) "|^    Type: AWS::', t)) for t in out.values()
    )
    kind_counts = Counter(kind for root in roots for kind in root.kinds)
    return TreeStats(
        files=len(out),
        resources=resources,
        roots=root_count,
        notebook_roots=len(notebook_roots),
        notebooks=sum(r.notebooks for r in roots) + template_notebooks,
        kinds=dict(sorted(kind_counts.items())),
    )


def tree(files: int) -> tuple[Path, TreeStats]:
    """The cached tree of ``files`` files, generated when missing or stale."""
    target = WORK / f"tree-{files}"
    stamp = WORK / f"tree-{files}.json"
    if target.is_dir() and stamp.exists():
        saved = json.loads(stamp.read_text())
        if saved.get("format") == TREE_FORMAT:
            return target, TreeStats(**saved["stats"])
    stats = generate(target, files)
    stamp.write_text(json.dumps({"format": TREE_FORMAT, "stats": stats.__dict__}))
    return target, stats
