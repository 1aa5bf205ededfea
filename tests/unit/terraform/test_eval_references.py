"""The evaluator on references: locals, resources, modules, data sources, files, cycles."""

from __future__ import annotations

from pathlib import Path

from tfeval import evaluate

from cmkguard.sources.terraform.evaluated import AttrStr, ObjectRef
from cmkguard.values import Known, Ref, Symbol, SymbolicText, Unknown

CURRENT = Symbol.CURRENT_ACCOUNT

RESOURCES = """
resource "aws_kms_key" "one" {
  description = "one"
}

resource "aws_kms_key" "many" {
  count       = 2
  description = "key ${count.index}"
}

resource "aws_kms_key" "byname" {
  for_each    = { a = "first", b = "second" }
  description = each.value
}
"""


def test_computed_attribute_is_a_reference(tmp_path: Path) -> None:
    value, _ = evaluate(tmp_path, "aws_kms_key.one.arn", {"main.tf": RESOURCES})
    assert isinstance(value, Known)
    assert value.value == Ref("aws_kms_key.one", "arn")
    assert [str(s) for s in value.trail] == ["aws_kms_key.one.arn (main.tf:2)"]


def test_configured_attribute_is_its_value_remembering_the_argument(tmp_path: Path) -> None:
    value, _ = evaluate(tmp_path, "aws_kms_key.one.description", {"main.tf": RESOURCES})
    assert isinstance(value, Known)
    assert value.value == "one"
    assert isinstance(value.value, AttrStr)
    assert value.value.ref == Ref("aws_kms_key.one", "description")


def test_count_and_for_each_instances(tmp_path: Path) -> None:
    files = {"main.tf": RESOURCES}
    value, _ = evaluate(tmp_path, "aws_kms_key.many[1].description", files)
    assert value == Known("key 1", value.trail)
    value, _ = evaluate(tmp_path, 'aws_kms_key.byname["b"].description', files)
    assert value == Known("second", value.trail)
    value, _ = evaluate(tmp_path, "aws_kms_key.many[*].arn", files)
    assert isinstance(value, Known)
    assert value.value == [Ref("aws_kms_key.many[0]", "arn"), Ref("aws_kms_key.many[1]", "arn")]
    value, _ = evaluate(tmp_path, "[for k in values(aws_kms_key.byname) : k.key_id]", files)
    assert isinstance(value, Known)
    assert value.value == [
        Ref('aws_kms_key.byname["a"]', "key_id"),
        Ref('aws_kms_key.byname["b"]', "key_id"),
    ]


def test_a_whole_instance_is_an_object_reference(tmp_path: Path) -> None:
    value, _ = evaluate(tmp_path, "aws_kms_key.one", {"main.tf": RESOURCES})
    assert value == Known(ObjectRef("aws_kms_key.one", ""), value.trail)


def test_undeclared_references_are_unknown(tmp_path: Path) -> None:
    for text in (
        "aws_kms_key.nope.arn",
        "var.nope",
        "local.nope",
        "module.nope.x",
        "data.aws_x.y.z",
    ):
        value, _ = evaluate(tmp_path, text, {"main.tf": RESOURCES})
        assert isinstance(value, Unknown), text
        assert "not declared" in value.why, text


def test_module_outputs_follow_inputs(tmp_path: Path) -> None:
    files = {
        "main.tf": """
            locals {
              suffix = "notebooks"
            }

            module "m" {
              source = "./m"
              count  = 2
              name   = "alias/${local.suffix}-${count.index}"
            }
        """,
        "m/main.tf": """
            variable "name" {
              type = string
            }

            output "alias" {
              value = var.name
            }
        """,
    }
    value, _ = evaluate(tmp_path, "module.m[1].alias", files)
    assert isinstance(value, Known)
    assert value.value == "alias/notebooks-1"
    labels = [s.label for s in value.trail]
    assert labels == ["module.m[1].alias", "var.name", "module.m input name", "local.suffix"]


def test_module_output_of_a_missing_module_is_unknown(tmp_path: Path) -> None:
    files = {"main.tf": 'module "m" {\n  source = "./gone"\n}\n'}
    value, ev = evaluate(tmp_path, "module.m.x", files)
    assert isinstance(value, Unknown)
    assert value.why == "module.m: module source ./gone does not exist"
    assert [str(e) for e in ev.tree.errors] == ["main.tf:1: module source ./gone does not exist"]


def test_data_sources_the_configuration_determines(tmp_path: Path) -> None:
    files = {
        "main.tf": """
            provider "aws" {
              region = "cn-north-1"
            }

            data "aws_caller_identity" "me" {}
            data "aws_region" "here" {}
            data "aws_partition" "p" {}
        """
    }
    cases = {
        "data.aws_caller_identity.me.account_id": SymbolicText((CURRENT,)),
        "data.aws_region.here.name": "cn-north-1",
        "data.aws_partition.p.partition": "aws-cn",
        "data.aws_partition.p.dns_suffix": "amazonaws.com.cn",
    }
    for text, expected in cases.items():
        value, _ = evaluate(tmp_path, text, files)
        assert isinstance(value, Known), text
        assert value.value == expected, text
    value, _ = evaluate(tmp_path, "data.aws_caller_identity.me.arn", files)
    assert value == Known(Ref("data.aws_caller_identity.me", "arn"), value.trail)


def test_the_current_account_stays_a_symbol_through_text(tmp_path: Path) -> None:
    """Interpolated, the caller's account is text with a symbol in it, never placeholder text;
    functions that must read its digits are unknown, naming the account."""
    files = {"main.tf": 'data "aws_caller_identity" "me" {}\n'}
    me = "data.aws_caller_identity.me.account_id"
    cases: dict[str, object] = {
        f'"arn:aws:iam::${{{me}}}:root"': SymbolicText(("arn:aws:iam::", CURRENT, ":root")),
        f'format("arn:aws:iam::%s:root", {me})': SymbolicText(("arn:aws:iam::", CURRENT, ":root")),
        f'"${{{me}}}"': SymbolicText((CURRENT,)),
        f"jsonencode({{a = {me}}})": {"a": SymbolicText((CURRENT,))},
        f"[{me}][0]": SymbolicText((CURRENT,)),
        # Case mappings leave an account's digits as they are (issue 7 item 12).
        f"lower({me})": SymbolicText((CURRENT,)),
        f"upper({me})": SymbolicText((CURRENT,)),
    }
    for text, expected in cases.items():
        value, _ = evaluate(tmp_path, text, files)
        assert isinstance(value, Known), text
        assert value.value == expected, text
    for text in (f"substr({me}, 0, 3)", f'{me} == "111122223333"', f'"<current-account>" == {me}'):
        value, _ = evaluate(tmp_path, text, files)
        assert isinstance(value, Unknown), text
    value, _ = evaluate(tmp_path, f"substr({me}, 0, 3)", files)
    assert isinstance(value, Unknown)
    assert "depends on the current account" in value.why


def test_partition_is_unknown_without_a_region(tmp_path: Path) -> None:
    value, _ = evaluate(
        tmp_path, "data.aws_partition.p.partition", {"main.tf": 'data "aws_partition" "p" {}\n'}
    )
    assert isinstance(value, Unknown)
    assert "provider aws has no region" in value.why


def test_path_module_and_files(tmp_path: Path) -> None:
    files = {
        "main.tf": 'module "m" {\n  source = "./m"\n}\n',
        "m/main.tf": 'output "text" {\n  value = file("${path.module}/t.txt")\n}\n',
        "m/t.txt": "hello",
        "m/t.tpl": "hi ${name}",
    }
    value, _ = evaluate(tmp_path, "module.m.text", files)
    assert value == Known("hello", value.trail)
    value, _ = evaluate(tmp_path, 'templatefile("m/t.tpl", { name = "there" })', files)
    assert value == Known("hi there", value.trail)
    value, _ = evaluate(tmp_path, 'fileexists("m/t.txt")', files)
    assert value == Known(True, value.trail)


def test_files_outside_the_scanned_directory_are_not_read(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("secret")
    root = tmp_path / "root"
    root.mkdir()
    for text in ('file("../secret.txt")', 'file("/etc/hostname")'):
        value, _ = evaluate(root, text)
        assert isinstance(value, Unknown), text
        assert "outside the scanned directory" in value.why


def test_files_are_read_up_to_the_version_control_root_but_never_hidden_ones(
    tmp_path: Path,
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git/config").write_text("token")
    (tmp_path / "policy.json").write_text("{}")
    root = tmp_path / "examples/x"
    root.mkdir(parents=True)
    value, _ = evaluate(root, 'file("../../policy.json")')
    assert value == Known("{}", value.trail)
    value, _ = evaluate(root, 'file("../../.git/config")')
    assert isinstance(value, Unknown)
    assert "hidden" in value.why


def test_missing_files_are_errors_try_can_catch(tmp_path: Path) -> None:
    value, _ = evaluate(tmp_path, 'try(file("nope.json"), "{}")')
    assert value == Known("{}", value.trail)


def test_cycles_are_unknown_and_reported_once(tmp_path: Path) -> None:
    files = {"main.tf": "locals {\n  a = local.b\n  b = local.a\n}\n"}
    value, ev = evaluate(tmp_path, "local.a", files)
    assert isinstance(value, Unknown)
    assert value.why == "cycle: local.a → local.b → local.a"
    again, _ = evaluate(tmp_path, "local.b", files)
    assert isinstance(again, Unknown)
    assert [str(e) for e in ev.errors] == ["main.tf:2: cycle: local.a → local.b → local.a"]


def test_deep_reference_chains_are_cut_off(tmp_path: Path) -> None:
    chain = "\n".join(f"  l{i} = local.l{i + 1}" for i in range(400))
    files = {"main.tf": f"locals {{\n{chain}\n  l400 = 1\n}}\n"}
    value, _ = evaluate(tmp_path, "local.l0", files)
    assert isinstance(value, Unknown)
    assert "nested too deeply" in value.why
    shallow, _ = evaluate(tmp_path, "local.l390", files)
    assert shallow == Known(1, shallow.trail)


def test_each_and_count_outside_their_blocks_are_errors(tmp_path: Path) -> None:
    for text in ("each.key", "count.index"):
        value, _ = evaluate(tmp_path, text)
        assert isinstance(value, Unknown)


def test_self_is_unknown(tmp_path: Path) -> None:
    value, _ = evaluate(tmp_path, "self")
    assert isinstance(value, Unknown)
