"""The synthetic Terraform trees of issue 13's scenarios, generated from a fixed seed.

- ``stacks(n)``: ``n`` root modules ("stacks") of 50 files each, with a SageMaker notebook in
  every stack (``notebooks=False``: the same tree with none). 40 stacks is the 40-stack tree;
  5 to 160 stacks give the 250 → 8,000-file series.
- ``monorepo()``: 2,000 files, 20 shared modules and 40 stacks each calling 8 of them, with 3
  notebooks in all: the module-heavy monorepo whose notebooks depend on little of it.
- ``one_module()``: a single root module of a dozen files with one notebook.

Every stack holds the files real stacks hold (versions, providers, variables and
``terraform.tfvars``, locals, a KMS key, network, outputs) and service files of everyday
resources (security groups, S3 buckets with encryption, IAM roles and policies built from
``aws_iam_policy_document``, log groups and alarms, KMS keys and aliases), 20 to 60 lines each.
Notebooks are keyed the ways real code keys them, rotating over the stacks: a key's ARN, an
alias, a variable set in ``terraform.tfvars``, ``alias/aws/sagemaker``, a shared module's
output, and no key at all, so both PASS and FAIL are judged.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from benchtools import WORK
from project_tree import FILLERS, NOTEBOOK_ROLE, _root_common

SEED = 20261129
TREE_FORMAT = "2"
"""Bump when a generator changes, so cached trees are regenerated."""
FILES_PER_STACK = 50
GROUPS_PER_FILE = 1
"""Resource groups per service file: two to six resources, 20 to 60 lines (Checkov's graph
grows faster than linearly with the resources of a module, so heavier stacks would only
flatter the ratios)."""
MODULE_NAMES = [
    "network", "edge", "data-lake", "warehouse", "streaming", "batch", "api", "auth", "search",
    "cache", "queue", "events", "secrets", "backup", "audit", "logging", "metrics", "registry",
    "build", "kms",
]  # fmt: skip
NOTEBOOK_KINDS = ("key-arn", "alias", "tfvars", "none", "aws-managed")


@dataclass(frozen=True)
class TreeStats:
    """What a generated tree holds."""

    files: int
    megabytes: float
    notebooks: int
    module_calls: int


# --- files every stack holds -------------------------------------------------------------------


def _common(stack: str, region: str) -> dict[str, str]:
    """The files of a stack besides its service files and notebooks (the project tree's where
    they are the same)."""
    shared = _root_common("-", region, stack, "-")
    return {
        "versions.tf": shared["versions.tf"],
        "providers.tf": f"""
provider "aws" {{
  region = var.region
  default_tags {{
    tags = {{ Stack = "{stack}" }}
  }}
}}
""",
        "variables.tf": shared["variables.tf"],
        "terraform.tfvars": 'environment = "prod"\n',
        "locals.tf": f"""
locals {{
  prefix = "{stack}-${{var.environment}}"
  tags = {{
    Stack       = "{stack}"
    Environment = var.environment
  }}
}}
""",
        "kms.tf": shared["kms.tf"],
        "network.tf": """
resource "aws_vpc" "main" {
  cidr_block           = var.vpc_cidr
  enable_dns_hostnames = true
  tags                 = local.tags
}

resource "aws_subnet" "private" {
  count      = 3
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(var.vpc_cidr, 4, count.index)
}

resource "aws_s3_bucket" "logs" {
  bucket = "${local.prefix}-logs"
  tags   = local.tags
}
""",
        "outputs.tf": """
output "vpc_id" {
  value = aws_vpc.main.id
}

output "data_key_arn" {
  value = aws_kms_key.data.arn
}
""",
    }


def _service_file(rng: random.Random, label: str) -> str:
    """Everyday resources that refer only to the stack's own blocks (no module calls: the
    shared fillers' module references are pointed at the stack's network and logs bucket)."""
    fillers = [f for f in FILLERS if f.__name__ != "_lambda"]
    parts = [
        filler(rng, f"{filler.__name__.strip('_')}_{label}_{j}")
        for j, filler in enumerate(rng.choices(fillers, k=GROUPS_PER_FILE))
    ]
    text = "".join(parts)
    return text.replace("module.network.vpc_id", "aws_vpc.main.id").replace(
        "module.logs_bucket.id", "aws_s3_bucket.logs.id"
    )


# --- notebooks ---------------------------------------------------------------------------------


def _notebook(name: str, key: str) -> str:
    line = f"  kms_key_id             = {key}\n" if key else ""
    return f"""
resource "aws_sagemaker_notebook_instance" "{name}" {{
  name                   = "${{local.prefix}}-{name}"
  role_arn               = aws_iam_role.notebook.arn
  instance_type          = "ml.t3.medium"
{line}  subnet_id              = aws_subnet.private[0].id
  direct_internet_access = "Disabled"
  tags                   = local.tags
}}
"""


KEY = """
resource "aws_kms_key" "notebook" {
  description         = "notebook volumes"
  enable_key_rotation = true
}
"""


def _add_notebook(files: dict[str, str], kind: str, key_module: str = "") -> None:
    """A notebook of ``kind`` in ``sagemaker.tf`` (and what it refers to elsewhere)."""
    text = NOTEBOOK_ROLE
    if kind == "key-arn":
        text += KEY + _notebook("research", "aws_kms_key.notebook.arn")
    elif kind == "alias":
        text += KEY + (
            '\nresource "aws_kms_alias" "notebook" {\n  name          = "alias/${local.prefix}-nb"'
            "\n  target_key_id = aws_kms_key.notebook.key_id\n}\n"
        )
        text += _notebook("research", "aws_kms_alias.notebook.arn")
    elif kind == "tfvars":
        files["variables.tf"] += '\nvariable "notebook_key" {\n  type = string\n}\n'
        files["terraform.tfvars"] += 'notebook_key = "alias/aws/sagemaker"\n'
        text += _notebook("research", "var.notebook_key")
    elif kind == "aws-managed":
        text += _notebook("research", '"alias/aws/sagemaker"')
    elif kind == "module-key":
        text += _notebook("research", f"module.{key_module}.key_arn")
    else:
        text += _notebook("research", "")
    files["sagemaker.tf"] = text


# --- the trees ---------------------------------------------------------------------------------


def _write(target: Path, out: dict[str, str], notebooks: int, module_calls: int) -> TreeStats:
    if target.exists():
        shutil.rmtree(target)
    size = 0
    for rel, text in out.items():
        file = target / rel
        file.parent.mkdir(parents=True, exist_ok=True)
        data = text.lstrip("\n").encode()
        file.write_bytes(data)
        size += len(data)
    return TreeStats(len(out), round(size / 1e6, 1), notebooks, module_calls)


def _stack(rng: random.Random, index: int, files: int) -> dict[str, str]:
    """Stack ``index``'s common files and service files up to ``files`` files."""
    out = _common(f"stack-{index:03d}", ["us-east-1", "eu-west-1"][index % 2])
    for k in range(files - len(out)):
        out[f"service_{k:02d}.tf"] = _service_file(rng, f"{index}_{k}")
    return out


def stacks(target: Path, count: int, notebooks: bool = True) -> TreeStats:
    """``count`` stacks of 50 files under ``stacks/``, a notebook in each (or none)."""
    rng = random.Random(SEED)
    out: dict[str, str] = {}
    for i in range(count):
        files = _stack(rng, i, FILES_PER_STACK - (1 if notebooks else 0))
        if notebooks:
            _add_notebook(files, NOTEBOOK_KINDS[i % len(NOTEBOOK_KINDS)])
        out |= {f"stacks/stack-{i:03d}/{name}": text for name, text in files.items()}
    return _write(target, out, count if notebooks else 0, 0)


def _shared_module(rng: random.Random, name: str) -> dict[str, str]:
    """A shared module of six files: a stack's key, network and services behind variables."""
    common = _common(name, "us-east-1")
    return {
        "variables.tf": """
variable "name" {
  type = string
}

variable "tags" {
  type    = map(string)
  default = {}
}

variable "vpc_cidr" {
  type    = string
  default = "10.30.0.0/16"
}
""",
        "main.tf": "\nlocals {\n  prefix = var.name\n  tags   = var.tags\n}\n"
        + common["kms.tf"]
        + common["network.tf"],
        "outputs.tf": """
output "key_arn" {
  value = aws_kms_key.data.arn
}

output "vpc_id" {
  value = aws_vpc.main.id
}
""",
        **{
            f"service_{k}.tf": _service_file(rng, f"{name}_{k}".replace("-", "_")) for k in range(3)
        },
    }


def monorepo(target: Path, total: int = 2000, stack_count: int = 40) -> TreeStats:
    """20 shared modules, ``stack_count`` stacks each calling 8 of them, 3 notebooks (one keyed
    by the shared ``kms`` module's output), ``total`` files in all."""
    rng = random.Random(SEED)
    out: dict[str, str] = {}
    for name in MODULE_NAMES:
        out |= {f"modules/{name}/{f}": t for f, t in _shared_module(rng, name).items()}
    per_stack, extra = divmod(total - len(out), stack_count)
    notebook_stacks = {0: "key-arn", stack_count // 3: "module-key", 2 * stack_count // 3: "none"}
    calls = 0
    for i in range(stack_count):
        files = _stack(rng, i, per_stack + (1 if i < extra else 0) - 1)
        called = rng.sample(MODULE_NAMES, 8)
        if i in notebook_stacks and "kms" not in called:
            called[0] = "kms"
        files["modules.tf"] = "".join(
            f'\nmodule "{m.replace("-", "_")}" {{\n  source = "../../modules/{m}"\n'
            f'  name   = "${{local.prefix}}-{m}"\n  tags   = local.tags\n}}\n'
            for m in called
        )
        calls += len(called)
        if i in notebook_stacks:
            del files[max(f for f in files if f.startswith("service_"))]
            _add_notebook(files, notebook_stacks[i], key_module="kms")
        out |= {f"stacks/stack-{i:03d}/{name}": text for name, text in files.items()}
    return _write(target, out, len(notebook_stacks), calls)


def one_module(target: Path) -> TreeStats:
    """One root module of a dozen files with one notebook keyed by its own key's ARN."""
    rng = random.Random(SEED)
    files = _stack(rng, 0, 11)
    _add_notebook(files, "key-arn")
    return _write(target, files, 1, 0)


def cached(name: str, make: Callable[[Path], TreeStats]) -> tuple[Path, TreeStats]:
    """``benchmarks/.work/NAME``, generated by ``make`` when missing or stale."""
    target = WORK / name
    stamp = WORK / f"{name}.json"
    if target.is_dir() and stamp.exists():
        saved = json.loads(stamp.read_text())
        if saved.get("format") == TREE_FORMAT:
            return target, TreeStats(**saved["stats"])
    WORK.mkdir(parents=True, exist_ok=True)
    stats = make(target)
    stamp.write_text(json.dumps({"format": TREE_FORMAT, "stats": asdict(stats)}))
    return target, stats
