"""Plan loader paths the Terraform-made fixtures do not reach, on small plan documents.

The documents keep the shape of ``terraform show -json`` output (only the members the loader
reads); ``tests/plans/`` holds the real, complete ones.
"""

from __future__ import annotations

import json
from typing import Any

from cmkguard.inventory import KeyManager, KeyRef, KeyVia, Notebook, Replacement, SourceLocation
from cmkguard.sources.plan import load_plan
from cmkguard.values import Known, Step, Symbol, Unknown

CURRENT = Symbol.CURRENT_ACCOUNT

NB = "aws_sagemaker_notebook_instance"
KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-4000-8000-000000000001"


def change(
    address: str,
    after: dict[str, Any],
    unknown: dict[str, Any] | None = None,
    actions: tuple[str, ...] = ("create",),
    **extra: Any,
) -> dict[str, Any]:
    """One ``resource_changes`` entry."""
    type_, name = address.split(".")[-2:]
    mode = "data" if address.split(".")[-3:-2] == ["data"] else "managed"
    body: dict[str, Any] = {
        "actions": list(actions),
        "after": after,
        "after_unknown": unknown or {},
    }
    body.update(extra)
    return {"address": address, "mode": mode, "type": type_, "name": name, "change": body}


def config(address: str, expressions: dict[str, Any], provider: str = "aws") -> dict[str, Any]:
    """One ``configuration`` resource block."""
    return {"address": address, "provider_config_key": provider, "expressions": expressions}


def plan(changes: list[dict[str, Any]], resources: list[dict[str, Any]], **extra: Any) -> bytes:
    """A plan document with one provider configuration in eu-west-1."""
    document = {
        "format_version": "1.2",
        "planned_values": {"root_module": {}},
        "resource_changes": changes,
        "configuration": {
            "provider_config": {
                "aws": {"name": "aws", "expressions": {"region": {"constant_value": "eu-west-1"}}}
            },
            "root_module": {"resources": resources},
        },
        **extra,
    }
    return json.dumps(document).encode()


def notebooks(data: bytes) -> dict[str, Notebook]:
    inventory, _, errors = load_plan(data, "plan.json")
    assert errors == []
    return {nb.address: nb for nb in inventory.notebooks}


def key_ref(nb: Notebook) -> KeyRef:
    assert isinstance(nb.kms_key, Known)
    assert nb.kms_key.value is not None
    return nb.kms_key.value


def test_root_variable_gives_a_literal_and_provider_region_from_variable() -> None:
    data = plan(
        [change(f"{NB}.n", {"kms_key_id": KEY_ARN, "role_arn": "arn:aws:iam::1:role/r"})],
        [config(f"{NB}.n", {"kms_key_id": {"references": ["var.key"]}})],
        variables={"key": {"value": KEY_ARN}, "region": {"value": "eu-west-1"}},
    )
    nb = notebooks(data)[f"{NB}.n"]
    ref = key_ref(nb)
    assert (ref.via, ref.text, ref.key) == (KeyVia.LITERAL, Known(KEY_ARN), None)
    assert nb.region == Known("eu-west-1")
    assert nb.account == Known(CURRENT)


def test_written_empty_string_is_empty_and_unwritten_is_missing() -> None:
    data = plan(
        [
            change(f"{NB}.written", {"kms_key_id": ""}, actions=("no-op",)),
            change(f"{NB}.unwritten", {"kms_key_id": ""}, actions=("no-op",)),
        ],
        [
            config(f"{NB}.written", {"kms_key_id": {"constant_value": ""}}),
            config(f"{NB}.unwritten", {}),
        ],
    )
    found = notebooks(data)
    assert key_ref(found[f"{NB}.written"]).text == Known("")
    assert found[f"{NB}.unwritten"].kms_key == Known(None)


def test_deferred_data_source_stands_for_the_key_it_reads() -> None:
    data = plan(
        [
            change("aws_kms_key.k", {"is_enabled": False}, {"arn": True, "key_id": True}),
            change("data.aws_kms_key.k", {}, {"arn": True, "key_id": True}, actions=("read",)),
            change(f"{NB}.n", {}, {"kms_key_id": True, "role_arn": True}),
        ],
        [
            config("aws_kms_key.k", {"is_enabled": {"constant_value": False}}),
            config("data.aws_kms_key.k", {"key_id": {"references": ["aws_kms_key.k.key_id"]}}),
            config(f"{NB}.n", {"kms_key_id": {"references": ["data.aws_kms_key.k.arn"]}}),
        ],
    )
    ref = key_ref(notebooks(data)[f"{NB}.n"])
    assert ref.via is KeyVia.RESOURCE
    assert ref.key is not None
    assert ref.key.label == "aws_kms_key.k"
    assert ref.key.state == Known("Disabled")
    assert ref.key.policy == Known(None), "no policy argument: the default key policy"


def test_several_unknown_candidates_are_unknown() -> None:
    data = plan(
        [
            change("aws_kms_key.a", {}, {"arn": True}),
            change("aws_kms_key.b", {}, {"arn": True}),
            change(f"{NB}.n", {}, {"kms_key_id": True}),
        ],
        [
            config(
                f"{NB}.n",
                {
                    "kms_key_id": {
                        "references": ["var.flag", "aws_kms_key.a.arn", "aws_kms_key.b.arn"]
                    }
                },
            )
        ],
        variables={"flag": {"value": True}},
    )
    setting = notebooks(data)[f"{NB}.n"].kms_key
    assert isinstance(setting, Unknown)
    assert "aws_kms_key.a, aws_kms_key.b" in setting.why


def test_known_arn_of_aws_managed_data_key_is_aws_managed() -> None:
    """The known ARN alone would be an unverified literal; the data source says AWS manages it."""
    prior = {
        "values": {
            "root_module": {
                "resources": [
                    {
                        "address": "data.aws_kms_key.sm",
                        "mode": "data",
                        "type": "aws_kms_key",
                        "name": "sm",
                        "values": {
                            "arn": KEY_ARN,
                            "key_id": "alias/aws/sagemaker-like",
                            "key_manager": "AWS",
                            "key_state": "Enabled",
                            "key_usage": "ENCRYPT_DECRYPT",
                            "customer_master_key_spec": "SYMMETRIC_DEFAULT",
                        },
                    }
                ]
            }
        }
    }
    data = plan(
        [change(f"{NB}.n", {"kms_key_id": KEY_ARN}, {"role_arn": True})],
        [config(f"{NB}.n", {"kms_key_id": {"references": ["data.aws_kms_key.sm.arn"]}})],
        prior_state=prior,
    )
    ref = key_ref(notebooks(data)[f"{NB}.n"])
    assert ref.via is KeyVia.DATA_SOURCE
    assert ref.key is not None
    assert ref.key.manager == Known(KeyManager.AWS)
    assert ref.key.region == Known("eu-west-1")


def test_replacement_with_unknown_lifecycle_and_forgotten_notebooks() -> None:
    data = plan(
        [
            change(
                f"{NB}.r",
                {"kms_key_id": KEY_ARN},
                {"lifecycle_config_name": True},
                actions=("create", "delete"),
                replace_paths=[["kms_key_id"]],
            ),
            change(f"{NB}.gone", {}, actions=("forget",)),
            change(
                f"{NB}.other",
                {"kms_key_id": KEY_ARN},
                actions=("delete", "create"),
                replace_paths=[["instance_type"]],
            ),
        ],
        [config(f"{NB}.r", {"kms_key_id": {"constant_value": KEY_ARN}})],
    )
    found = notebooks(data)
    assert set(found) == {f"{NB}.r", f"{NB}.other"}
    replacement = found[f"{NB}.r"].replacement
    assert isinstance(replacement, Replacement)
    assert replacement.actions == ("create", "delete")
    assert isinstance(replacement.lifecycle_config, Unknown)
    assert found[f"{NB}.other"].replacement is None


def test_raw_tfstate_links_the_key_by_arn_and_takes_region_and_account_from_arns() -> None:
    state = {
        "version": 4,
        "terraform_version": "1.11.4",
        "resources": [
            {
                "mode": "managed",
                "type": "aws_kms_key",
                "name": "k",
                "instances": [{"attributes": {"arn": KEY_ARN, "key_id": "x", "is_enabled": True}}],
            },
            {
                "module": "module.nb",
                "mode": "managed",
                "type": NB,
                "name": "n",
                "instances": [
                    {
                        "index_key": "a",
                        "attributes": {
                            "arn": "arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/n",
                            "kms_key_id": KEY_ARN,
                        },
                    }
                ],
            },
        ],
    }
    inventory, kind, errors = load_plan(json.dumps(state, indent=1).encode(), "terraform.tfstate")
    assert (kind.value, errors) == ("state", [])
    (nb,) = inventory.notebooks
    assert nb.address == 'module.nb.aws_sagemaker_notebook_instance.n["a"]'
    assert (nb.region, nb.account) == (Known("us-east-1"), Known("111122223333"))
    ref = key_ref(nb)
    assert ref.key is not None
    assert ref.key.region == Known("eu-west-1"), "cross-region, from the key ARN"
    assert isinstance(nb.location, SourceLocation)
    assert nb.location.line > 1


def test_external_key_without_material_is_pending_import() -> None:
    """Both builders read the provider's KMS resources alike: an external key that gets no key
    material waits in PendingImport, whatever its ``enabled`` says."""
    data = plan(
        [
            change("aws_kms_external_key.bare", {"enabled": True}, {"arn": True}),
            change(
                "aws_kms_external_key.given",
                {"enabled": True, "key_material_base64": "AAAA"},
                {"arn": True},
            ),
            change("aws_kms_external_key.later", {"enabled": True}, {"key_material_base64": True}),
            change(f"{NB}.bare", {}, {"kms_key_id": True}),
            change(f"{NB}.given", {}, {"kms_key_id": True}),
            change(f"{NB}.later", {}, {"kms_key_id": True}),
        ],
        [
            config(f"{NB}.{name}", {"kms_key_id": {"references": [f"{ext}.{name}.arn"]}})
            for ext in ("aws_kms_external_key",)
            for name in ("bare", "given", "later")
        ],
    )
    found = notebooks(data)
    states = {name: key_ref(found[f"{NB}.{name}"]).key for name in ("bare", "given", "later")}
    assert {name: key.state if key else None for name, key in states.items()} == {
        "bare": Known(
            "PendingImport",
            (Step("aws_kms_external_key.bare has no key_material_base64: PendingImport"),),
        ),
        "given": Known("Enabled"),
        "later": Known("Enabled"),
    }


def test_source_location_found_for_a_non_ascii_instance_key() -> None:
    """Plan addresses render as the source's do: ``["café"]`` finds its source line."""
    address = f'{NB}.nb["café"]'
    data = plan([change(address, {"kms_key_id": KEY_ARN})], [config(f"{NB}.nb", {})])
    where = SourceLocation("main.tf", 7)
    inventory, _, errors = load_plan(data, "plan.json", {address: where})
    assert errors == []
    assert [nb.location for nb in inventory.notebooks] == [where]


def test_replica_key_has_its_primary_keys_spec_and_usage() -> None:
    """Both builders read a replica's spec, usage and rotation from its primary: a replica of
    an asymmetric key is not symmetric, and one whose primary is not in the plan is unknown."""
    primary_arn = "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
    data = plan(
        [
            change(
                "aws_kms_key.primary",
                {
                    "arn": primary_arn,
                    "customer_master_key_spec": "RSA_2048",
                    "key_usage": "SIGN_VERIFY",
                    "enable_key_rotation": False,
                    "multi_region": True,
                },
            ),
            change("aws_kms_replica_key.known", {"primary_key_arn": primary_arn}, {"arn": True}),
            change("aws_kms_replica_key.ref", {}, {"arn": True, "primary_key_arn": True}),
            change(
                "aws_kms_replica_key.elsewhere",
                {"primary_key_arn": primary_arn.replace("1234abcd", "99999999")},
                {"arn": True},
            ),
            *(change(f"{NB}.{n}", {}, {"kms_key_id": True}) for n in ("known", "ref", "elsewhere")),
        ],
        [
            config(
                "aws_kms_replica_key.ref",
                {"primary_key_arn": {"references": ["aws_kms_key.primary.arn"]}},
            ),
            *(
                config(
                    f"{NB}.{n}", {"kms_key_id": {"references": [f"aws_kms_replica_key.{n}.arn"]}}
                )
                for n in ("known", "ref", "elsewhere")
            ),
        ],
    )
    found = notebooks(data)
    for name in ("known", "ref"):
        key = key_ref(found[f"{NB}.{name}"]).key
        assert key is not None
        assert (key.spec, key.usage, key.rotation) == (
            Known("RSA_2048"),
            Known("SIGN_VERIFY"),
            Known(False),
        ), name
    orphan = key_ref(found[f"{NB}.elsewhere"]).key
    assert orphan is not None
    assert isinstance(orphan.spec, Unknown)
    assert "primary key of aws_kms_replica_key.elsewhere is not in the plan" in orphan.spec.why
