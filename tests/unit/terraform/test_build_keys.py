"""What a notebook's kms_key_id resolves to in the inventory: KeyRef and Key values."""

from __future__ import annotations

from pathlib import Path

from tfeval import notebooks

from cmkguard.address import Address
from cmkguard.errors import InputError
from cmkguard.inventory import Key, KeyManager, KeyRef, KeyVia, Notebook
from cmkguard.values import Known, Ref, Symbol, Unknown

CURRENT = Symbol.CURRENT_ACCOUNT

HEAD = """
provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "r" {
  name = "nb"
}
"""


def _nb(name: str, kms: str, extra: str = "") -> str:
    return f"""
resource "aws_sagemaker_notebook_instance" "{name}" {{
  name          = "{name}"
  role_arn      = aws_iam_role.r.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = {kms}{extra}
}}
"""


def _load(tmp_path: Path, body: str) -> tuple[dict[str, Notebook], list[InputError]]:
    return notebooks(tmp_path, {"main.tf": HEAD + body})


def _ref(nb: Notebook) -> KeyRef:
    assert isinstance(nb.kms_key, Known)
    assert nb.kms_key.value is not None
    return nb.kms_key.value


def _key(nb: Notebook) -> Key:
    key = _ref(nb).key
    assert key is not None
    return key


def test_key_resource_defaults(tmp_path: Path) -> None:
    found, errors = _load(
        tmp_path, 'resource "aws_kms_key" "k" {}\n' + _nb("nb", "aws_kms_key.k.arn")
    )
    assert errors == []
    nb = found["aws_sagemaker_notebook_instance.nb"]
    assert nb.region == Known("eu-west-1", nb.region.trail)
    assert nb.account == Known(CURRENT)
    assert isinstance(nb.role, Known)
    assert nb.role.value == Ref("aws_iam_role.r", "arn")
    ref = _ref(nb)
    assert ref.via is KeyVia.RESOURCE
    assert isinstance(ref.text, Unknown)
    key = _key(nb)
    assert key.label == "aws_kms_key.k"
    assert isinstance(key.manager, Known)
    assert key.manager.value is KeyManager.CUSTOMER
    assert isinstance(key.arn, Unknown)
    assert [
        v.value
        for v in (key.spec, key.usage, key.state, key.rotation, key.policy)
        if isinstance(v, Known)
    ] == [
        "SYMMETRIC_DEFAULT",
        "ENCRYPT_DECRYPT",
        "Enabled",
        False,
        None,
    ]
    assert key.region == nb.region
    assert key.location is not None
    assert (key.location.file, key.location.line) == ("main.tf", 9)


def test_key_resource_settings(tmp_path: Path) -> None:
    body = """
resource "aws_kms_key" "k" {
  customer_master_key_spec = "RSA_2048"
  key_usage                = "SIGN_VERIFY"
  is_enabled               = false
  enable_key_rotation      = true
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { AWS = aws_iam_role.r.arn } }]
  })
}
""" + _nb("nb", "aws_kms_key.k.key_id")
    found, _ = _load(tmp_path, body)
    key = _key(found["aws_sagemaker_notebook_instance.nb"])
    assert [
        v.value for v in (key.spec, key.usage, key.state, key.rotation) if isinstance(v, Known)
    ] == [
        "RSA_2048",
        "SIGN_VERIFY",
        "Disabled",
        True,
    ]
    assert key.policy == Known(
        {"Statement": [{"Effect": "Allow", "Principal": {"AWS": Ref("aws_iam_role.r", "arn")}}]},
        key.policy.trail,
    )


def test_invalid_policy_json_is_unknown_and_an_error(tmp_path: Path) -> None:
    body = 'resource "aws_kms_key" "k" {\n  policy = "{not json"\n}\n' + _nb(
        "nb", "aws_kms_key.k.arn"
    )
    found, errors = _load(tmp_path, body)
    key = _key(found["aws_sagemaker_notebook_instance.nb"])
    assert isinstance(key.policy, Unknown)
    assert key.policy.why.startswith("policy of aws_kms_key.k is not valid JSON")
    assert [(e.path, e.line) for e in errors] == [("main.tf", 10)]


def test_standalone_key_policy_overrides(tmp_path: Path) -> None:
    body = """
resource "aws_kms_key" "k" {
  policy = jsonencode({ Statement = [] })
}

resource "aws_kms_key_policy" "p" {
  key_id = aws_kms_key.k.id
  policy = jsonencode({ Statement = [{ Sid = "standalone" }] })
}
""" + _nb("nb", "aws_kms_key.k.arn")
    found, _ = _load(tmp_path, body)
    key = _key(found["aws_sagemaker_notebook_instance.nb"])
    assert isinstance(key.policy, Known)
    assert key.policy.value == {"Statement": [{"Sid": "standalone"}]}
    assert "aws_kms_key_policy.p sets the policy of aws_kms_key.k" in [
        s.label for s in key.policy_trail
    ]


def test_standalone_key_policy_with_unknown_key_id_makes_the_policy_unknown(tmp_path: Path) -> None:
    body = """
variable "key_id" {}

resource "aws_kms_key" "k" {}

resource "aws_kms_key_policy" "p" {
  key_id = var.key_id
  policy = "{}"
}
""" + _nb("nb", "aws_kms_key.k.arn")
    found, _ = _load(tmp_path, body)
    key = _key(found["aws_sagemaker_notebook_instance.nb"])
    assert isinstance(key.policy, Unknown)
    assert key.policy.why.startswith("aws_kms_key_policy.p may set the policy of aws_kms_key.k")


def test_replica_inherits_from_its_primary(tmp_path: Path) -> None:
    body = (
        """
resource "aws_kms_key" "p" {
  customer_master_key_spec = "HMAC_256"
  key_usage                = "GENERATE_VERIFY_MAC"
  multi_region             = true
}

resource "aws_kms_replica_key" "r" {
  primary_key_arn = aws_kms_key.p.arn
}

resource "aws_kms_replica_key" "orphan" {
  primary_key_arn = "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
}
"""
        + _nb("nb", "aws_kms_replica_key.r.arn")
        + _nb("orphan", "aws_kms_replica_key.orphan.arn")
    )
    found, _ = _load(tmp_path, body)
    key = _key(found["aws_sagemaker_notebook_instance.nb"])
    assert key.spec == Known("HMAC_256", key.spec.trail)
    assert key.usage == Known("GENERATE_VERIFY_MAC", key.usage.trail)
    orphan = _key(found["aws_sagemaker_notebook_instance.orphan"])
    assert isinstance(orphan.spec, Unknown)
    assert isinstance(orphan.rotation, Unknown)
    assert orphan.state == Known("Enabled", orphan.state.trail)


def test_external_key_without_material_is_pending_import(tmp_path: Path) -> None:
    body = 'resource "aws_kms_external_key" "x" {}\n' + _nb("nb", "aws_kms_external_key.x.arn")
    found, _ = _load(tmp_path, body)
    key = _key(found["aws_sagemaker_notebook_instance.nb"])
    assert key.state == Known("PendingImport", key.state.trail)
    assert key.spec == Known("SYMMETRIC_DEFAULT", key.spec.trail)
    assert isinstance(key.rotation, Unknown)


def test_alias_resource_with_every_attribute(tmp_path: Path) -> None:
    body = """
resource "aws_kms_key" "k" {}

resource "aws_kms_alias" "a" {
  name          = "alias/notebooks"
  target_key_id = aws_kms_key.k.key_id
}
"""
    attributes = ("arn", "id", "name", "target_key_arn")
    for attribute in (*attributes, "target_key_id"):
        body += _nb(attribute, f"aws_kms_alias.a.{attribute}")
    found, _ = _load(tmp_path, body)
    # The configured target_key_id is the key's own reference: it leads to the key directly.
    direct = _ref(found["aws_sagemaker_notebook_instance.target_key_id"])
    assert direct.via is KeyVia.RESOURCE
    assert direct.key is not None
    assert direct.key.label == "aws_kms_key.k"
    for attribute in attributes:
        ref = _ref(found[f"aws_sagemaker_notebook_instance.{attribute}"])
        assert ref.via is KeyVia.ALIAS, attribute
        assert isinstance(ref.alias_name, Known)
        assert ref.alias_name.value == "alias/notebooks"
        assert ref.key is not None
        assert ref.key.label == "aws_kms_key.k"


def test_alias_with_a_literal_target_has_no_key(tmp_path: Path) -> None:
    body = """
resource "aws_kms_alias" "a" {
  name          = "alias/shared"
  target_key_id = "1234abcd-12ab-34cd-56ef-1234567890ab"
}
""" + _nb("nb", "aws_kms_alias.a.arn")
    found, _ = _load(tmp_path, body)
    ref = _ref(found["aws_sagemaker_notebook_instance.nb"])
    assert ref.via is KeyVia.ALIAS
    assert ref.key is None
    assert ref.text == Known("alias/shared", ref.text.trail)


def test_alias_with_an_unknown_target_is_unknown(tmp_path: Path) -> None:
    body = """
variable "target" {}

resource "aws_kms_alias" "a" {
  name          = "alias/shared"
  target_key_id = var.target
}
""" + _nb("nb", "aws_kms_alias.a.arn")
    found, _ = _load(tmp_path, body)
    nb = found["aws_sagemaker_notebook_instance.nb"]
    assert isinstance(nb.kms_key, Unknown)
    assert "var.target has no value" in nb.kms_key.why


def test_data_sources_give_their_lookup_text(tmp_path: Path) -> None:
    body = (
        """
data "aws_kms_key" "byid" {
  key_id = "alias/aws/sagemaker"
}

data "aws_kms_alias" "team" {
  name = "alias/team"
}
"""
        + _nb("key", "data.aws_kms_key.byid.arn")
        + _nb("alias", "data.aws_kms_alias.team.name")
    )
    found, _ = _load(tmp_path, body)
    key = _ref(found["aws_sagemaker_notebook_instance.key"])
    assert (key.via, key.key) == (KeyVia.DATA_SOURCE, None)
    assert key.text == Known("alias/aws/sagemaker", key.text.trail)
    alias = _ref(found["aws_sagemaker_notebook_instance.alias"])
    assert alias.via is KeyVia.DATA_SOURCE
    assert alias.text == Known("alias/team", alias.text.trail)


def test_literals_null_and_empty(tmp_path: Path) -> None:
    body = (
        _nb("literal", '"alias/x"')
        + _nb("empty", '""')
        + _nb("null", "null")
        + 'resource "aws_sagemaker_notebook_instance" "absent" {\n  role_arn = "r"\n}\n'
    )
    found, _ = _load(tmp_path, body)
    literal = _ref(found["aws_sagemaker_notebook_instance.literal"])
    assert (literal.via, literal.text.value if isinstance(literal.text, Known) else None) == (
        KeyVia.LITERAL,
        "alias/x",
    )
    empty = _ref(found["aws_sagemaker_notebook_instance.empty"])
    assert empty.text == Known("", empty.text.trail)
    for name in ("null", "absent"):
        setting = found[f"aws_sagemaker_notebook_instance.{name}"].kms_key
        assert isinstance(setting, Known)
        assert setting.value is None


def test_partly_unknown_aws_managed_aliases(tmp_path: Path) -> None:
    body = (
        """
variable "x" {}

data "aws_partition" "p" {}
"""
        + _nb(
            "arn",
            '"arn:${data.aws_partition.p.partition}:kms:${var.x}:${var.x}:alias/aws/sagemaker"',
        )
        + _nb("format", 'format("alias/aws/%s", var.x)')
        + _nb("other", '"arn:aws:kms:${var.x}:1:alias/team"')
    )
    found, _ = _load(tmp_path, body)
    arn = _ref(found["aws_sagemaker_notebook_instance.arn"])
    assert isinstance(arn.text, Unknown)
    assert arn.alias_name == Known(
        "alias/aws/sagemaker", arn.alias_name.trail if arn.alias_name else ()
    )
    fmt = _ref(found["aws_sagemaker_notebook_instance.format"])
    assert fmt.alias_name is not None
    assert isinstance(fmt.alias_name, Known)
    assert fmt.alias_name.value == "alias/aws/*"
    assert isinstance(found["aws_sagemaker_notebook_instance.other"].kms_key, Unknown)


def test_references_to_other_resources_are_unknown(tmp_path: Path) -> None:
    body = 'resource "aws_s3_bucket" "b" {}\n' + _nb("nb", "aws_s3_bucket.b.arn")
    found, _ = _load(tmp_path, body)
    setting = found["aws_sagemaker_notebook_instance.nb"].kms_key
    assert isinstance(setting, Unknown)
    assert setting.why == "kms_key_id refers to aws_s3_bucket.b, which is not a KMS key resource"


def test_single_allowed_account_is_the_account(tmp_path: Path) -> None:
    files = {
        "main.tf": 'provider "aws" {\n  allowed_account_ids = ["111122223333"]\n}\n'
        + _nb("nb", "null").replace("aws_iam_role.r.arn", '"r"')
    }
    found, _ = notebooks(tmp_path, files)
    nb = found["aws_sagemaker_notebook_instance.nb"]
    assert nb.account == Known("111122223333", nb.account.trail)


def test_no_provider_region_and_none_given_is_unknown(tmp_path: Path) -> None:
    # The process environment is not the scan's: only a TerraformEnvironment given to the loader
    # supplies AWS_REGION (the CLI passes the few variables it reads).
    found, _ = notebooks(
        tmp_path, {"main.tf": _nb("nb", "null").replace("aws_iam_role.r.arn", '"r"')}
    )
    nb = found["aws_sagemaker_notebook_instance.nb"]
    assert nb.region == Unknown(
        "provider aws has no region, and neither AWS_REGION, AWS_DEFAULT_REGION nor --region is set"
    )


def test_instance_addresses_render_as_terraform_does(tmp_path: Path) -> None:
    """The source writes addresses as Terraform does (and as plans carry them), so that a plan
    scanned with its tree finds each notebook's source line."""
    body = """
resource "aws_sagemaker_notebook_instance" "nb" {
  for_each      = toset(["café", "q\\"x", "$${x}", "a\\u2028b"])
  name          = "nb"
  role_arn      = aws_iam_role.r.arn
  instance_type = "ml.t3.medium"
}
"""
    found, errors = _load(tmp_path, body)
    assert errors == []
    rendered = {
        str(Address((), "managed", "aws_sagemaker_notebook_instance", "nb", key))
        for key in ("café", 'q"x', "${x}", "a\u2028b")
    }
    assert set(found) == rendered
    assert set(found) == {
        'aws_sagemaker_notebook_instance.nb["café"]',
        'aws_sagemaker_notebook_instance.nb["q\\"x"]',
        'aws_sagemaker_notebook_instance.nb["$${x}"]',
        'aws_sagemaker_notebook_instance.nb["a\\u2028b"]',
    }
