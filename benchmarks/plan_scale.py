"""Time ``cmkguard scan STATE.json`` on states of growing size: reading plans and state must
scale linearly (issue 8, item 5: 4,000 notebooks took 12 s and 100,000 never finished).

    .venv/bin/python benchmarks/plan_scale.py [--resources 4000 20000 100000] [--repeat 3]
        [--format json|text|sarif|...] [--editable]

Each state (``benchmarks/.work/state-N.json``, generated from a fixed seed) holds N resources in
``terraform show -json`` form, spread over root and child modules the way large estates are:
a quarter SageMaker notebooks (with ``count`` and ``for_each`` instances), their keys, aliases
and roles, and everyday resources around them. Notebooks refer to their keys by ARN, key ID or
alias, some in another module, some with no key.

For each size the script runs, alternately and ``--repeat`` times each, ``cmkguard scan`` and a
baseline in the same run: a Python process that only ``json.load``\\ s the same file. It prints
the median wall time and peak RSS of both, cmkguard's ratio to the baseline, and the time per
thousand resources (flat when the scan is linear). Nothing asserts on these figures. cmkguard is
installed from a wheel into its own venv as ``static_scan.py`` does (``--editable``: the
development console script).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

from benchtools import (
    WORK,
    Run,
    cmkguard_argv,
    cmkguard_summary,
    installed_cmkguard,
    median,
    ratio,
    run_measured,
)

SEED = 20261129
STATE_FORMAT = "1"
"""Bump when the generator changes, so a cached state is regenerated."""

ACCOUNT = "123456789012"
REGION = "us-east-1"
PROVIDER = "registry.terraform.io/hashicorp/aws"
FILLER_TYPES = ("aws_s3_bucket", "aws_iam_policy", "aws_cloudwatch_log_group", "aws_sqs_queue")


def _resource(
    module: str, rtype: str, name: str, index: Any, values: dict[str, Any]
) -> dict[str, Any]:
    base = f"{rtype}.{name}"
    if index is not None:
        base += f"[{json.dumps(index)}]"
    address = f"{module}.{base}" if module else base
    resource: dict[str, Any] = {
        "address": address,
        "mode": "managed",
        "type": rtype,
        "name": name,
        "provider_name": PROVIDER,
        "schema_version": 0,
        "values": values,
        "sensitive_values": {},
    }
    if index is not None:
        resource["index"] = index
    return resource


def _key_values(key_id: str, rng: random.Random) -> dict[str, Any]:
    return {
        "arn": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{key_id}",
        "id": key_id,
        "key_id": key_id,
        "customer_master_key_spec": "SYMMETRIC_DEFAULT",
        "key_usage": "ENCRYPT_DECRYPT",
        "is_enabled": rng.random() > 0.05,
        "enable_key_rotation": True,
        "policy": json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                        "Action": "kms:*",
                        "Resource": "*",
                    }
                ],
            }
        ),
    }


def _group(module: str, number: int, rng: random.Random) -> list[dict[str, Any]]:
    """Eight resources: a key, its alias, a role, four notebooks, one filler."""
    key_id = f"{number:08x}-0000-4000-8000-{rng.getrandbits(48):012x}"
    key = _resource(module, "aws_kms_key", f"k{number}", None, _key_values(key_id, rng))
    alias_name = f"alias/team-{number}"
    alias = _resource(
        module,
        "aws_kms_alias",
        f"a{number}",
        None,
        {
            "arn": f"arn:aws:kms:{REGION}:{ACCOUNT}:{alias_name}",
            "id": alias_name,
            "name": alias_name,
            "target_key_arn": key["values"]["arn"],
            "target_key_id": key_id,
        },
    )
    role_arn = f"arn:aws:iam::{ACCOUNT}:role/nb-{number}"
    role = _resource(module, "aws_iam_role", f"r{number}", None, {"arn": role_arn})
    choices = [key["values"]["arn"], key_id, alias_name, None]
    notebooks = []
    for position in range(4):
        index: Any = position if number % 2 else f"n{position}"
        notebooks.append(
            _resource(
                module,
                "aws_sagemaker_notebook_instance",
                f"nb{number}",
                index,
                {
                    "arn": f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:notebook-instance/"
                    f"n{number}-{position}",
                    "kms_key_id": rng.choice(choices),
                    "role_arn": role_arn,
                    "name": f"n{number}-{position}",
                },
            )
        )
    filler_type = FILLER_TYPES[number % len(FILLER_TYPES)]
    filler = _resource(module, filler_type, f"f{number}", None, {"id": f"f{number}"})
    return [key, alias, role, *notebooks, filler]


def generate(resources: int) -> Path:
    """``benchmarks/.work/state-N.json``: a state of about ``resources`` resources."""
    path = WORK / f"state-{resources}-v{STATE_FORMAT}.json"
    if path.exists():
        return path
    rng = random.Random(SEED)
    groups = max(1, resources // 8)
    root: list[dict[str, Any]] = []
    children: dict[str, list[dict[str, Any]]] = {}
    for number in range(groups):
        module = "" if number % 3 == 0 else f'module.team["t{number % 50}"]'
        made = _group(module, number, rng)
        (root if not module else children.setdefault(module, [])).extend(made)
    document = {
        "format_version": "1.0",
        "terraform_version": "1.9.8",
        "values": {
            "root_module": {
                "resources": root,
                "child_modules": [
                    {"address": module, "resources": items} for module, items in children.items()
                ],
            }
        },
    }
    WORK.mkdir(parents=True, exist_ok=True)
    # Indented like `terraform show -json | jq .`: one resource spans many lines, so locating a
    # notebook's line is real work.
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    return path


def _measure(argv: list[str], name: str) -> Run:
    out = WORK / "out" / name
    out.parent.mkdir(parents=True, exist_ok=True)
    return run_measured(argv, out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resources", type=int, nargs="+", default=[4_000, 20_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--format", default="json", help="cmkguard's report format")
    parser.add_argument("--editable", action="store_true", help="the dev console script")
    args = parser.parse_args()
    # As a user installs it (see static_scan.py), unless the development script is asked for.
    cmkguard = cmkguard_argv() if args.editable else [str(installed_cmkguard())]
    baseline = [sys.executable, "-c", "import json, sys; json.load(open(sys.argv[1], 'rb'))"]
    print(f"{'resources':>10} {'cmkguard s':>11} {'MiB':>7} {'json.load s':>12} {'MiB':>7}"
          f" {'ratio':>7} {'s per 1k':>9}")  # fmt: skip
    for count in args.resources:
        state = generate(count)
        ours: list[Run] = []
        theirs: list[Run] = []
        for _ in range(args.repeat):
            argv = [*cmkguard, "scan", str(state), "--format", args.format]
            ours.append(_measure(argv, f"plan.{args.format}"))
            theirs.append(_measure([*baseline, str(state)], "plan-baseline.out"))
        seconds = median([r.seconds for r in ours])
        base = median([r.seconds for r in theirs])
        print(
            f"{count:>10,} {seconds:>11.2f} {max(r.max_rss_mib for r in ours):>7.0f}"
            f" {base:>12.2f} {max(r.max_rss_mib for r in theirs):>7.0f}"
            f" {ratio(seconds, base):>7} {seconds / count * 1000:>9.3f}"
        )
        if args.format == "json":
            print(f"{'':>10} {cmkguard_summary(ours[-1])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
