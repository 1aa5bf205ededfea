"""Which reader reads a Terraform file: JSON syntax by its name, native HCL otherwise."""

from __future__ import annotations

from cmkguard.sources.terraform.hcl import Result, parse_hcl_file
from cmkguard.sources.terraform.tfjson import parse_json_file, parse_tfvars_json


def parse_file(data: bytes, path: str) -> Result:
    """Parse one Terraform file, choosing the syntax by ``path``'s suffix.

    ``.tf.json`` (and OpenTofu's ``.tofu.json``) is JSON configuration syntax, ``.tfvars.json`` a
    JSON variables file (see ``tfjson.parse_tfvars_json``), anything else (``.tf``, ``.tofu``,
    ``.tfvars``) native HCL. ``path`` is
    the root-relative display path used in errors and in every ``Block.file``.
    """
    if path.endswith(".tfvars.json"):
        return parse_tfvars_json(data, path)
    if path.endswith(".json"):
        return parse_json_file(data, path)
    return parse_hcl_file(data, path)
