"""Compare HCL parsers on a generated, real-world-looking Terraform corpus (not a dependency).

Measures, for each parser importable in the running interpreter:

- cmkguard (tree-sitter-hcl to the typed AST, ``readers.parse_file``) and tree-sitter alone;
- python-hcl2 (``hcl2.loads``) and pygohcl (``pygohcl.loads``, HashiCorp's Go HCL via cgo),
  when installed. Install them into a throwaway venv, never into the project's:

    python3.11 -m venv /tmp/parsers-venv
    /tmp/parsers-venv/bin/pip install python-hcl2 pygohcl tree-sitter tree-sitter-hcl
    PYTHONPATH=src /tmp/parsers-venv/bin/python benchmarks/parser_compare.py

It prints files/s and MiB/s over the corpus, how many valid files each parser rejected, and how
many of a list of invalid snippets each one wrongly accepted. ``--files N`` sets the corpus size.
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cmkguard.sources.terraform.readers import parse_file

ROOT = Path(__file__).resolve().parent.parent

REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"]
TYPES = ["ml.t3.medium", "ml.t3.large", "ml.m5.xlarge", "ml.c5.2xlarge"]

# Valid for Terraform, yet some parsers accept each of these (tree-sitter's error recovery and
# looser grammar is the known gap: we report ERROR/MISSING nodes, nothing more).
INVALID_SNIPPETS = [
    "a = }\n",
    "a = 1 +\n",
    'resource "x" "y" {\n',
    'a = "unterminated\n',
    "a = [1, 2\n",
    "a = f(\n",
    "x = 1 2\n",
    "a b c\n",
    'a = "\\q"\n',
    "a = 0x10\n",
    "a = {\n  b = 1 c = 2\n}\n",
    'block "x" { a = 1 }}\n',
    "a = <<EOT\nno end\n",
    "a = b ? c\n",
    "= 1\n",
    "a = 1\na = 2\n",
]


# Valid Terraform that exercises corners of the grammar.
VALID_SNIPPETS = [
    "a = 1e3\n",
    "a = 1.5e-3\n",
    "a = x.*.y[0]\n",
    "a = x[*].y.z\n",
    'a = "${~ x ~}"\n',
    "a = provider::aws::arn_parse(x)\n",
    "a = { for k, v in m : k => v... if v != null }\n",
    "a = [for i, v in l : v]\n",
    "a = <<-EOT\n  x ${y}\n  %{ for i in l ~}${i}%{ endfor }\n  EOT\n",
    'a = "%{ if x }y%{ else }z%{ endif }"\n',
    "a = x ? 1 : y ? 2 : 3\n",
    "a = f(l...)\n",
    'a = {\n  (k) = 1\n  "q" : 2\n}\n',
    "a = -x.y * 2 % 3\n",
    'a = "$${literal} %%{literal}"\n',
    'b "x" y {\n  c = 1\n}\n',
    "a = x.0.y\n",
]


def _notebook(rng: random.Random, n: int) -> str:
    key_ref = rng.choice(
        [
            "aws_kms_key.nb.arn",
            "var.kms_key_arn",
            "local.key_arn",
            'data.aws_kms_alias.sm["default"].target_key_arn',
            'coalesce(var.kms_key_arn, "alias/aws/sagemaker")',
            'format("arn:aws:kms:%s:%s:alias/%s", var.region, local.account, var.alias)',
        ]
    )
    return f'''
resource "aws_sagemaker_notebook_instance" "nb{n}" {{
  count                  = var.enabled ? {rng.randint(1, 3)} : 0
  name                   = "${{var.prefix}}-nb{n}-${{count.index}}"
  role_arn               = aws_iam_role.nb.arn
  instance_type          = "{rng.choice(TYPES)}"
  kms_key_id             = {key_ref}
  subnet_id              = element(var.subnet_ids, count.index)
  security_groups        = [for sg in aws_security_group.nb : sg.id]
  direct_internet_access = "Disabled"
  root_access            = var.root_access ? "Enabled" : "Disabled"
  volume_size            = {rng.choice([5, 20, 50])}

  lifecycle_config_name = aws_sagemaker_notebook_instance_lifecycle_configuration.lc.name

  tags = merge(local.common_tags, {{
    Name  = "nb{n}"
    Owner = lookup(var.owners, "nb{n}", "platform")
  }})

  lifecycle {{
    ignore_changes = [tags["LastModified"]]
  }}
}}
'''


def _key(rng: random.Random, n: int) -> str:
    if rng.random() < 0.5:
        policy = """jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "EnableRoot"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "SageMaker"
        Effect    = "Allow"
        Principal = { Service = "sagemaker.amazonaws.com" }
        Action    = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*"
        Condition = { StringEquals = { "kms:CallerAccount" = local.account } }
      },
    ]
  })"""
    else:
        policy = """<<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Principal": {"AWS": "${aws_iam_role.nb.arn}"},
          "Action": ["kms:Decrypt", "kms:GenerateDataKey*", "kms:CreateGrant"],
          "Resource": "*"
        }
      ]
    }
  POLICY"""
    return f"""
# Customer managed key {n} for notebook volumes.
resource "aws_kms_key" "k{n}" {{
  description              = "notebook volumes ({n})"
  deletion_window_in_days  = {rng.choice([7, 14, 30])}
  enable_key_rotation      = {rng.choice(["true", "false", "var.rotate"])}
  customer_master_key_spec = "SYMMETRIC_DEFAULT"
  is_enabled               = true
  policy                   = {policy}
}}

resource "aws_kms_alias" "k{n}" {{
  name          = "alias/${{var.prefix}}-k{n}"
  target_key_id = aws_kms_key.k{n}.key_id
}}
"""


def _misc(rng: random.Random, n: int) -> str:
    region = rng.choice(REGIONS)
    return f'''
variable "subnets_{n}" {{
  type = list(object({{
    id   = string
    cidr = optional(string, "10.0.0.0/24")
  }}))
  default     = []
  description = "Subnets for block {n}"

  validation {{
    condition     = alltrue([for s in var.subnets_{n} : can(cidrhost(s.cidr, 0))])
    error_message = "Every subnet needs a CIDR."
  }}
}}

locals {{
  by_az_{n}   = {{ for s in var.subnets_{n} : s.id => s... }}
  names_{n}   = [for i in range(3) : format("n-%02d", i) if i % 2 == 0]
  label_{n}   = "%{{ if var.enabled }}on%{{ else }}off%{{ endif }}-${{upper("{region}")}}"
  ids_{n}     = aws_security_group.nb[*].id
  legacy_{n}  = aws_subnet.a.*.id
  first_{n}   = try(local.ids_{n}[0], null)
  math_{n}    = (var.size * 2 + 1) / 3 >= 4 && !var.small || var.force
}}

provider "aws" {{
  alias  = "r{n}"
  region = "{region}"
}}

module "net_{n}" {{
  source    = "./modules/net"
  providers = {{ aws = aws.r{n} }}
  cidrs     = [for i, s in var.subnets_{n} : cidrsubnet("10.{n % 250}.0.0/16", 8, i)]
}}

data "aws_iam_policy_document" "d{n}" {{
  statement {{
    sid     = "AllowUse"
    actions = ["kms:Decrypt", "kms:GenerateDataKey*"]
    principals {{
      type        = "AWS"
      identifiers = [aws_iam_role.nb.arn]
    }}
    dynamic "condition" {{
      for_each = var.conditions
      content {{
        test     = condition.value.test
        variable = condition.value.variable
        values   = condition.value.values
      }}
    }}
  }}
}}

output "notebook_{n}" {{
  value     = {{ for k, v in aws_sagemaker_notebook_instance.nb0 : k => v.arn }}
  sensitive = false
}}
'''


def _json_file(rng: random.Random, n: int) -> str:
    document = {
        "//": "generated by cdktf",
        "resource": {
            "aws_sagemaker_notebook_instance": {
                f"nb{n}": {
                    "name": f"nb{n}",
                    "role_arn": "${aws_iam_role.nb.arn}",
                    "instance_type": rng.choice(TYPES),
                    "kms_key_id": "${aws_kms_key.k.arn}",
                    "tags": {"Name": f"nb{n}", "Env": "${var.env}"},
                    "lifecycle": {"ignore_changes": ["tags"]},
                }
            },
            "aws_kms_key": {
                "k": {
                    "description": "cdk key",
                    "policy": '${jsonencode({"Version" = "2012-10-17"})}',
                }
            },
        },
        "variable": {"env": {"type": "string", "default": "dev"}},
        "locals": {"n": n, "flag": True, "nothing": None},
    }
    return json.dumps(document, indent=2)


def generate_corpus(directory: Path, files: int, seed: int = 7) -> list[Path]:
    """Write ``files`` synthetic Terraform files (about 1 in 10 ``.tf.json``)."""
    rng = random.Random(seed)
    written: list[Path] = []
    for n in range(files):
        if n % 10 == 9:
            path = directory / f"cdk{n:05d}.tf.json"
            path.write_text(_json_file(rng, n))
        else:
            parts = [_notebook(rng, n)]
            parts.extend(_key(rng, n * 10 + i) for i in range(rng.randint(1, 3)))
            if rng.random() < 0.7:
                parts.append(_misc(rng, n))
            path = directory / f"main{n:05d}.tf"
            path.write_text("\n".join(parts))
        written.append(path)
    return written


def repo_files() -> list[Path]:
    """The repository's own example and test-case Terraform files."""
    found: list[Path] = []
    for base in (ROOT / "examples", ROOT / "tests" / "cases"):
        found.extend(sorted(base.rglob("*.tf")))
        found.extend(sorted(base.rglob("*.tf.json")))
    return found


Parser = Callable[[bytes, str], bool]
"""Parse one file, return True if it was accepted."""


def _ours(data: bytes, path: str) -> bool:
    parsed, errors = parse_file(data, path)
    return parsed is not None and not errors


def _tree_sitter_only() -> Parser:
    tree_sitter = importlib.import_module("tree_sitter")
    tree_sitter_hcl = importlib.import_module("tree_sitter_hcl")
    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))

    def parse(data: bytes, path: str) -> bool:
        if path.endswith(".json"):
            json.loads(data)
            return True
        return not parser.parse(data).root_node.has_error

    return parse


def _optional(module: str, attribute: str) -> Parser | None:
    try:
        loads = getattr(importlib.import_module(module), attribute)
    except ImportError:
        return None

    def parse(data: bytes, path: str) -> bool:
        if path.endswith(".json"):
            json.loads(data)
            return True
        try:
            loads(data.decode())
        except Exception:  # third-party parsers raise anything on bad input
            return False
        return True

    return parse


def measure(name: str, parse: Parser, corpus: list[tuple[str, bytes]], rounds: int) -> None:
    """Print throughput and the number of rejected files for one parser."""
    rejected = sum(1 for path, data in corpus if not parse(data, path))
    total_bytes = sum(len(data) for _, data in corpus)
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for path, data in corpus:
            parse(data, path)
        best = min(best, time.perf_counter() - start)
    invalid_accepted = sum(
        1 for snippet in INVALID_SNIPPETS if parse(snippet.encode(), "invalid.tf")
    )
    valid_rejected = sum(1 for snippet in VALID_SNIPPETS if not parse(snippet.encode(), "valid.tf"))
    print(
        f"{name:<22} {len(corpus) / best:>9.0f} files/s {total_bytes / best / 2**20:>7.2f} MiB/s"
        f"  {best:>7.3f} s  rejected {rejected:>3}/{len(corpus)}"
        f"  invalid accepted {invalid_accepted:>2}/{len(INVALID_SNIPPETS)}"
        f"  valid rejected {valid_rejected:>2}/{len(VALID_SNIPPETS)}"
    )


def main(argv: list[str] | None = None) -> int:
    """Generate the corpus and measure every available parser."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--files", type=int, default=2000)
    options.add_argument("--rounds", type=int, default=3)
    args = options.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        paths = generate_corpus(Path(tmp), args.files) + repo_files()
        corpus = [(p.name, p.read_bytes()) for p in paths]
    hcl_only = [(p, d) for p, d in corpus if not p.endswith(".json")]
    size = sum(len(d) for _, d in corpus) / 2**20
    print(
        f"corpus: {len(corpus)} files ({len(corpus) - len(hcl_only)} .tf.json), {size:.1f} MiB,"
        f" python {sys.version.split()[0]}"
    )
    measure("cmkguard (AST)", _ours, corpus, args.rounds)
    measure("cmkguard (AST, .tf)", _ours, hcl_only, args.rounds)
    measure("tree-sitter only (.tf)", _tree_sitter_only(), hcl_only, args.rounds)
    for name, module, attribute in (
        ("python-hcl2 (.tf)", "hcl2", "loads"),
        ("pygohcl (.tf)", "pygohcl", "loads"),
    ):
        parser = _optional(module, attribute)
        if parser is None:
            print(f"{name:<22} not installed")
        else:
            measure(name, parser, hcl_only, 1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
