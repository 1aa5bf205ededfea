#!/usr/bin/env python3
"""Regenerate the plan and state fixtures in ``tests/plans/`` with real Terraform, offline.

Each directory under ``tests/plan_scenarios/`` is a Terraform configuration. For each one this
script, against a moto server it starts on 127.0.0.1 (a free port):

1. creates what ``scenario.json`` asks for in moto first (``kms_aliases``: keys the configuration
   looks up with data sources, including the AWS managed ``alias/aws/sagemaker`` that moto lacks;
   ``sagemaker_lifecycle_configs``: lifecycle configurations notebooks name);
2. copies the scenario to a temporary directory and adds ``zz_cmkguard_override.tf``, a Terraform
   override file that gives every ``aws`` provider configuration fake credentials and moto
   endpoints (the scenario's own ``region`` stays);
3. when the scenario has a ``.first/`` directory, applies its ``*.tf.before`` files first (the
   replacement scenario: notebooks that exist before ``kms_key_id`` is added);
4. runs ``terraform init``, ``plan -out`` (with ``-var`` for each ``scenario.json``
   ``plan_vars`` entry) and ``show -json`` into ``<scenario>.plan.json``, and
   when ``scenario.json`` says ``"state": true`` also ``apply`` and ``show -json`` into
   ``<scenario>.state.json``.

Volatile fields are normalised so that the fixtures are stable and reviewable: random key IDs
become ``00000000-0000-4000-8000-00000000000N`` in order of first appearance, timestamps become
``2000-01-01T00:00:00Z``, IAM unique IDs ``AROAEXAMPLE000000000N``, ``relevant_attributes`` is
sorted (Terraform prints it in no stable order), the moto URL becomes ``http://127.0.0.1:5000`` and
``terraform_version`` becomes ``normalised``. The JSON is indented so that findings can name the
line of a resource.

Terraform comes from ``PATH`` (or ``CMKGUARD_TERRAFORM``). The AWS provider comes from a local
filesystem mirror: ``CMKGUARD_TF_MIRROR`` or ``--mirror``, else the first directory found that
holds ``registry.terraform.io/hashicorp/aws/*/*/terraform-provider-aws_v*``. Nothing is
downloaded.

Usage: ``.venv/bin/python scripts/regen_plan_fixtures.py [--out DIR] [--scenario NAME ...]``
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "tests" / "plan_scenarios"
PLANS = ROOT / "tests" / "plans"
OVERRIDE_NAME = "zz_cmkguard_override.tf"
MOTO_ACCOUNT = "123456789012"
"""The account moto reports for every request."""
FIXED_URL = "http://127.0.0.1:5000"
FIXED_TIME = "2000-01-01T00:00:00Z"
FIXED_WORKDIR = "/scenario"
"""Replaces the temporary working directory, should Terraform ever print it."""
MIRROR_SEARCH_ROOTS = ("/opt", "/usr/local/share", "/usr/share", str(Path.home()))
SCENARIO_FILES = frozenset({"scenario.json", "expected.json"})
"""Files of a scenario directory that are not Terraform configuration."""

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_IAM_ID = re.compile(r"\b(AROA|AIDA|ANPA|AGPA|AIPA)[A-Z0-9]{17}\b")
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)")
_ALIAS = re.compile(r'provider\s+"aws"\s*\{[^}]*?\balias\s*=\s*"([^"]+)"', re.S)


class RegenError(Exception):
    """A step failed; the message says which and shows Terraform's output."""


@dataclass(frozen=True, slots=True)
class Tools:
    """Where Terraform and the provider mirror are."""

    terraform: str
    """The ``terraform`` executable."""
    mirror: Path
    """The filesystem mirror root (the folder above ``registry.terraform.io``)."""


def find_terraform() -> str | None:
    """The Terraform executable, or ``None``."""
    return os.environ.get("CMKGUARD_TERRAFORM") or shutil.which("terraform")


def _is_mirror(root: Path) -> bool:
    return any(root.glob("registry.terraform.io/hashicorp/aws/*/*/terraform-provider-aws_v*"))


def find_mirror(explicit: str | None = None) -> Path | None:
    """The AWS provider filesystem mirror: ``explicit``, ``CMKGUARD_TF_MIRROR``, or a search."""
    given = explicit or os.environ.get("CMKGUARD_TF_MIRROR")
    if given:
        return Path(given) if _is_mirror(Path(given)) else None
    for base in MIRROR_SEARCH_ROOTS:
        for found in _walk_for_registry(Path(base), depth=4):
            if _is_mirror(found):
                return found
    return None


def _walk_for_registry(base: Path, depth: int) -> Iterator[Path]:
    """Directories under ``base`` (at most ``depth`` deep) holding ``registry.terraform.io``."""
    if depth < 0 or not base.is_dir():
        return
    try:
        children = sorted(p for p in base.iterdir() if p.is_dir() and not p.is_symlink())
    except OSError:
        return
    if any(c.name == "registry.terraform.io" for c in children):
        yield base
    for child in children:
        if not child.name.startswith(".") and child.name != "registry.terraform.io":
            yield from _walk_for_registry(child, depth - 1)


def find_tools(mirror: str | None = None) -> Tools | str:
    """Both tools, or a sentence saying which is missing."""
    terraform = find_terraform()
    if terraform is None:
        return "terraform not on PATH (set CMKGUARD_TERRAFORM)"
    found = find_mirror(mirror)
    if found is None:
        return "no Terraform filesystem mirror with hashicorp/aws (set CMKGUARD_TF_MIRROR)"
    return Tools(terraform, found)


def cli_config(mirror: Path) -> str:
    """A Terraform CLI configuration that installs the AWS provider only from ``mirror``."""
    return (
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f"    path    = {json.dumps(str(mirror))}\n"
        '    include = ["registry.terraform.io/hashicorp/aws"]\n'
        "  }\n"
        "}\n"
    )


def provider_override(url: str, aliases: Sequence[str]) -> str:
    """Override blocks for the default ``aws`` provider and each alias: fake credentials, moto."""
    blocks = []
    for alias in ("", *aliases):
        alias_line = f'  alias = "{alias}"\n' if alias else ""
        endpoints = "".join(f'    {svc} = "{url}"\n' for svc in ("iam", "kms", "sagemaker", "sts"))
        blocks.append(
            'provider "aws" {\n'
            f"{alias_line}"
            '  access_key                  = "test"\n'
            '  secret_key                  = "test"\n'
            "  skip_credentials_validation = true\n"
            "  skip_requesting_account_id  = true\n"
            "  skip_metadata_api_check     = true\n"
            "  s3_use_path_style           = true\n"
            f"  endpoints {{\n{endpoints}  }}\n"
            "}\n"
        )
    return "\n".join(blocks)


def provider_aliases(workdir: Path) -> list[str]:
    """Aliases of ``aws`` provider blocks in the root module's ``.tf`` files."""
    found: list[str] = []
    for tf in sorted(workdir.glob("*.tf")):
        if tf.name != OVERRIDE_NAME:
            found.extend(a for a in _ALIAS.findall(tf.read_text()) if a not in found)
    return found


class Moto:
    """A moto server in this process, so that the script can also reach into its backends."""

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        # The same corrections to moto as the live tests' harness (KMS defaults as real KMS
        # gives them), so plans, state and live scans see one AWS.
        sys.path.insert(0, str(ROOT / "tests"))
        from awsharness import aws_managed

        aws_managed.install()
        # werkzeug logs every request of the server thread; only failures matter here.
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.url = f"http://{host}:{port}"

    def reset(self) -> None:
        """Forget every resource (scenarios are independent)."""
        # The URL is our own moto server's (http://127.0.0.1:PORT), never user input.
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")  # noqa: S310
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            response.read()

    def create_alias(self, spec: dict[str, Any]) -> None:
        """Create a key and an alias for it; ``key_manager: AWS`` marks the key AWS managed.

        Real KMS refuses ``alias/aws/*`` names from customers and moto only pre-creates a few of
        them (not ``alias/aws/sagemaker``), so the AWS managed key is made here and its
        ``KeyManager`` set in moto's backend, as AWS would report it.
        """
        import boto3

        region = spec["region"]
        kms = boto3.client(
            "kms",
            region_name=region,
            endpoint_url=self.url,
            aws_access_key_id="test",
            aws_secret_access_key="test",  # noqa: S106 (moto accepts any)
        )
        key = kms.create_key(Description=spec.get("description", ""))["KeyMetadata"]
        kms.create_alias(AliasName=spec["alias"], TargetKeyId=key["KeyId"])
        if spec.get("key_manager", "CUSTOMER") == "AWS":
            from moto.kms.models import kms_backends

            kms_backends[MOTO_ACCOUNT][region].keys[key["KeyId"]].key_manager = "AWS"

    def create_lifecycle_config(self, spec: dict[str, Any]) -> None:
        """Create a notebook lifecycle configuration (moto cannot list the tags of one, which
        the Terraform resource needs, so scenarios name one created here)."""
        import base64

        import boto3

        sagemaker = boto3.client(
            "sagemaker",
            region_name=spec["region"],
            endpoint_url=self.url,
            aws_access_key_id="test",
            aws_secret_access_key="test",  # noqa: S106 (moto accepts any)
        )
        script = base64.b64encode(spec["on_start"].encode()).decode()
        sagemaker.create_notebook_instance_lifecycle_config(
            NotebookInstanceLifecycleConfigName=spec["name"], OnStart=[{"Content": script}]
        )

    def stop(self) -> None:
        """Stop the server."""
        self._server.stop()


class Terraform:
    """Runs Terraform in one working directory with the mirror-only CLI configuration."""

    def __init__(self, tools: Tools, workdir: Path, config_file: Path) -> None:
        self.tools = tools
        self.workdir = workdir
        keep = ("PATH", "HOME", "TMPDIR", "LANG", "SYSTEMROOT")
        self.env = {k: v for k, v in os.environ.items() if k in keep}
        self.env.update(
            TF_CLI_CONFIG_FILE=str(config_file),
            TF_IN_AUTOMATION="1",
            TF_INPUT="0",
            CHECKPOINT_DISABLE="1",
            AWS_EC2_METADATA_DISABLED="true",
        )

    def run(self, *args: str) -> str:
        """Run one command; its stdout, or ``RegenError`` with the output."""
        argv = [self.tools.terraform, *args]
        proc = subprocess.run(  # noqa: S603 (fixed argv, our own scenario directories)
            argv, cwd=self.workdir, env=self.env, capture_output=True, text=True, check=False
        )
        if proc.returncode != 0:
            raise RegenError(
                f"{' '.join(args)} failed in {self.workdir}:\n{proc.stdout}\n{proc.stderr}"
            )
        return proc.stdout

    def show_json(self, *args: str) -> Any:
        """``terraform show -json`` parsed."""
        return json.loads(self.run("show", "-json", "-no-color", *args))


def normalise(documents: Sequence[Any], volatile: Sequence[str]) -> list[str]:
    """Serialise ``documents`` (one scenario's plan and state) with volatile values replaced.

    Key IDs are renumbered across all documents of the scenario together, so that a state's
    key ARNs still match its plan's.
    """
    ids: dict[str, str] = {}

    def renumber(match: re.Match[str]) -> str:
        return ids.setdefault(match[0], f"00000000-0000-4000-8000-{len(ids) + 1:012d}")

    def iam_id(match: re.Match[str]) -> str:
        return ids.setdefault(match[0], f"{match[1]}EXAMPLE{len(ids) + 1:010d}")

    texts = []
    for document in documents:
        _fix_versions(document)
        text = json.dumps(document, indent=1, ensure_ascii=False)
        for value in volatile:
            text = text.replace(value, FIXED_URL if value.startswith("http") else FIXED_WORKDIR)
        text = _UUID.sub(renumber, text)
        text = _IAM_ID.sub(iam_id, text)
        text = _TIME.sub(FIXED_TIME, text)
        texts.append(text + "\n")
    return texts


def _fix_versions(node: Any) -> None:
    """Fix version and time fields, and sort lists Terraform prints in no stable order."""
    if isinstance(node, dict):
        relevant = node.get("relevant_attributes")
        if isinstance(relevant, list):
            relevant.sort(key=lambda item: json.dumps(item, sort_keys=True))
        if "terraform_version" in node:
            node["terraform_version"] = "normalised"
        if "timestamp" in node and isinstance(node["timestamp"], str):
            node["timestamp"] = FIXED_TIME
        for value in node.values():
            _fix_versions(value)
    elif isinstance(node, list):
        for value in node:
            _fix_versions(value)


def _copy_config(source: Path, target: Path) -> None:
    """Copy a scenario's configuration (not its expectations, not ``.first``)."""

    def ignore(directory: str, names: list[str]) -> list[str]:
        top = Path(directory) == source
        return [n for n in names if top and (n in SCENARIO_FILES or n == ".first")]

    shutil.copytree(source, target, ignore=ignore, dirs_exist_ok=True)


def _use_root_files(workdir: Path, source: Path, suffix: str = "") -> None:
    """Replace the root module's ``.tf`` files with those of ``source`` (named ``*.tf`` plus
    ``suffix``, which is dropped)."""
    for tf in workdir.glob("*.tf"):
        if tf.name != OVERRIDE_NAME:
            tf.unlink()
    for tf in sorted(source.glob(f"*.tf{suffix}")):
        shutil.copy2(tf, workdir / tf.name.removesuffix(suffix))


def regenerate(scenario: Path, tools: Tools, moto: Moto, out: Path, scratch: Path) -> list[Path]:
    """Produce one scenario's fixtures in ``out``; the paths written."""
    spec: dict[str, Any] = {}
    if (scenario / "scenario.json").exists():
        spec = json.loads((scenario / "scenario.json").read_text())
    moto.reset()
    for alias in spec.get("kms_aliases", []):
        moto.create_alias(alias)
    for config in spec.get("sagemaker_lifecycle_configs", []):
        moto.create_lifecycle_config(config)
    workdir = scratch / scenario.name
    _copy_config(scenario, workdir)
    config_file = scratch / "terraform.rc"
    config_file.write_text(cli_config(tools.mirror))
    tf = Terraform(tools, workdir, config_file)
    first = scenario / ".first"
    if first.is_dir():
        # Named *.tf.before: cmkguard scans hidden directories, and the scenario's tree must
        # hold only the configuration its expectations describe.
        _use_root_files(workdir, first, ".before")
        _write_override(workdir, moto.url)
        tf.run("init", "-input=false", "-no-color")
        tf.run("apply", "-input=false", "-no-color", "-auto-approve")
        _use_root_files(workdir, scenario)
    _write_override(workdir, moto.url)
    tf.run("init", "-input=false", "-no-color")
    # ``plan_vars``: values given with -var, so that the plan's ``variables`` differ from the
    # defaults the source tree alone would use.
    plan_vars = [f"-var={name}={value}" for name, value in spec.get("plan_vars", {}).items()]
    tf.run("plan", "-input=false", "-no-color", "-out=tfplan", *plan_vars)
    documents = [tf.show_json("tfplan")]
    names = [f"{scenario.name}.plan.json"]
    if spec.get("state"):
        tf.run("apply", "-input=false", "-no-color", "-auto-approve", "tfplan")
        documents.append(tf.show_json())
        names.append(f"{scenario.name}.state.json")
    written = []
    for name, text in zip(names, normalise(documents, [moto.url, str(workdir)]), strict=True):
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _write_override(workdir: Path, url: str) -> None:
    (workdir / OVERRIDE_NAME).write_text(provider_override(url, provider_aliases(workdir)))


def scenario_dirs(names: Sequence[str] = ()) -> list[Path]:
    """The scenario directories, all or those named."""
    found = sorted(p for p in SCENARIOS.iterdir() if p.is_dir() and any(p.glob("*.tf")))
    if names:
        found = [p for p in found if p.name in names]
        missing = set(names) - {p.name for p in found}
        if missing:
            raise RegenError(f"no such scenario: {', '.join(sorted(missing))}")
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate fixtures; 0 on success, 1 when a step failed, 2 when tools are missing."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=PLANS, help="where to write (tests/plans)")
    parser.add_argument("--scenario", action="append", default=[], help="only this scenario")
    parser.add_argument("--mirror", help="Terraform filesystem mirror root")
    parser.add_argument("--keep", action="store_true", help="keep the working directories")
    args = parser.parse_args(argv)
    tools = find_tools(args.mirror)
    if isinstance(tools, str):
        print(f"regen_plan_fixtures: {tools}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="cmkguard-plans-"))
    moto = Moto()
    try:
        for scenario in scenario_dirs(args.scenario):
            for path in regenerate(scenario, tools, moto, args.out, scratch):
                print(f"wrote {path}")
    except RegenError as exc:
        print(f"regen_plan_fixtures: {exc}", file=sys.stderr)
        return 1
    finally:
        moto.stop()
        if args.keep:
            print(f"working directories kept in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
