"""Issue 8, "Done when": random HCL (from a grammar of blocks, attributes and expressions, and
random bytes), random plans and random key policy documents go through the parser, evaluator
and judge of the library API (``scan_paths``). Whatever they hold: no exception escapes, no
internal error is reported, every scan ends within its budget, and adding an unreadable part
(a syntax error, a variable without a value, an unparsable policy statement) never turns a FAIL
or UNKNOWN into a PASS.

The CI profile is small and derandomised (the same examples every run, well under a minute);
the ``slow`` variants draw many more, randomly.
"""

from __future__ import annotations

import copy
import json
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cmkguard.findings import ScanResult, Status
from cmkguard.scan import ScanOptions, scan_paths

# Budget of one example: the scan's own --timeout, and Hypothesis' deadline a little above it.
SCAN_TIMEOUT = 20.0
CI = settings(
    max_examples=25,
    derandomize=True,
    deadline=timedelta(seconds=SCAN_TIMEOUT + 10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
    # Shrinking a plan can take minutes: CI reports the example as drawn.
    phases=[Phase.explicit, Phase.generate],
)
HEAVY = settings(CI, max_examples=300, derandomize=False, phases=list(Phase))

KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ROLE_ARN = "arn:aws:iam::111122223333:role/nb"

# -- HCL expressions ------------------------------------------------------------------------

_TEXTS = st.sampled_from(
    [
        "",
        "alias/aws/sagemaker",
        "alias/mine",
        KEY_ARN,
        "1234abcd-12ab-34cd-56ef-1234567890ab",
        "mrk-1234abcd12ab34cd56ef1234567890ab",
        "foo",
        "inf",
        "NaN",
        "1e400",
        "eu-west-1",
        'a"b',
        "\\n",
    ]
)
_LEAVES = st.one_of(
    _TEXTS.map(json.dumps),
    st.integers(-3, 3).map(str),
    st.sampled_from(["1e3", "1E0", "1.5", "0.1e1", "true", "false", "null"]),
    st.sampled_from(
        [
            "local.a",
            "local.b",
            "local.m",
            "var.v",
            "aws_kms_key.k.arn",
            "aws_kms_key.k.key_id",
            "aws_kms_key.k.id",
            "aws_kms_alias.a.arn",
            "aws_kms_alias.a.name",
            "data.aws_kms_alias.d.target_key_arn",
            "data.aws_caller_identity.me.account_id",
            "data.aws_partition.p.partition",
            "aws_iam_role.r.arn",
            "path.module",
            "terraform.workspace",
        ]
    ),
)
_FUNCTIONS = ["format", "coalesce", "try", "lookup", "join", "lower", "element", "concat"]
_FUNCTIONS += ["merge", "jsonencode", "tostring", "tonumber", "replace", "length", "upper"]


def _compound(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    pair = st.tuples(inner, inner)
    return st.one_of(
        st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.lists(st.tuples(st.sampled_from("abk"), inner), max_size=3).map(
            lambda items: "{" + ", ".join(f"{k} = {v}" for k, v in items) + "}"
        ),
        st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} ? {t[1]} : {t[2]})"),
        st.tuples(st.sampled_from(_FUNCTIONS), st.lists(inner, max_size=3)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"
        ),
        st.tuples(st.sampled_from(["==", "!=", "+", "&&", "||", "<"]), pair).map(
            lambda t: f"({t[1][0]} {t[0]} {t[1][1]})"
        ),
        pair.map(lambda p: f"{p[0]}[{p[1]}]"),
        inner.map(lambda e: f'"x-${{{e}}}"'),
        inner.map(lambda e: f"[for x in {e} : x]"),
        inner.map(lambda e: f"!{e}"),
    )


EXPRESSIONS = st.recursive(_LEAVES, _compound, max_leaves=8)

# -- key policy documents -------------------------------------------------------------------

_PRINCIPALS = st.one_of(
    st.just("*"),
    st.fixed_dictionaries(
        {},
        optional={
            "AWS": st.sampled_from(
                ["*", ROLE_ARN, "arn:aws:iam::111122223333:root", "111122223333", "arn:aws:x"]
            ),
            "Service": st.sampled_from(["sagemaker.amazonaws.com", "s3.amazonaws.com", "*"]),
        },
    ),
)
_ACTIONS = st.sampled_from(
    [
        *("kms:*", "*", "kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*", "kms:Create*"),
        *("kms:Describe?ey", "KMS:DECRYPT", "s3:*", "kms:GenerateDataKeyWithoutPlaintext"),
    ]
)
_CONDITIONS = st.dictionaries(
    st.sampled_from(
        ["StringEquals", "StringLike", "Bool", "ArnLike", "Null", "ForAnyValue:StringEquals"]
    )
    | st.sampled_from(["StringEqualsIfExists", "NumericLessThan", "Weird"]),
    st.dictionaries(
        st.sampled_from(
            [
                *("kms:ViaService", "kms:CallerAccount", "aws:SourceIp"),
                *("kms:GrantIsForAWSResource", "aws:PrincipalArn", "aws:SourceArn"),
                "aws:PrincipalTag/team",
            ]
        ),
        st.one_of(
            st.sampled_from(["sagemaker.eu-west-1.amazonaws.com", "111122223333", "true", "*"]),
            st.lists(st.sampled_from(["true", "10.0.0.0/8", ROLE_ARN]), max_size=2),
        ),
        max_size=2,
    ),
    max_size=2,
)
_STATEMENTS = st.fixed_dictionaries(
    {"Effect": st.sampled_from(["Allow", "Deny"])},
    optional={
        "Sid": st.text("abc", max_size=3),
        "Principal": _PRINCIPALS,
        "NotPrincipal": _PRINCIPALS,
        "Action": st.one_of(_ACTIONS, st.lists(_ACTIONS, max_size=3)),
        "NotAction": st.one_of(_ACTIONS, st.lists(_ACTIONS, max_size=2)),
        "Resource": st.sampled_from(["*", KEY_ARN, "arn:aws:s3:::b/*", ["*"]]),
        "NotResource": st.sampled_from(["*", "arn:aws:s3:::b"]),
        "Condition": _CONDITIONS,
    },
)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text("aAkms:*", max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text("ab", max_size=2), inner),
    max_leaves=6,
)
POLICIES = st.fixed_dictionaries(
    {"Statement": st.one_of(st.lists(_STATEMENTS, max_size=4), _STATEMENTS, _JSON)},
    optional={"Version": st.sampled_from(["2012-10-17", "2008-10-17", 7]), "Id": _JSON},
)


def _heredoc(document: object) -> str:
    text = json.dumps(document).replace("${", "$${").replace("%{", "%%{")
    return f"<<EOT\n{text}\nEOT"


# -- configurations -------------------------------------------------------------------------


@st.composite
def configurations(draw: st.DrawFn) -> str:
    """A root module: locals, a variable, a key with a random policy, an alias, data sources
    and one to three notebooks, every value a random expression."""
    blocks = [
        'provider "aws" {\n  region = "eu-west-1"\n}\n',
        f"locals {{\n  a = {draw(EXPRESSIONS)}\n  b = {draw(EXPRESSIONS)}\n"
        f"  m = {{ x = {draw(EXPRESSIONS)} }}\n}}\n",
        'variable "v" {\n'
        + draw(st.sampled_from(["", f"  default = {draw(EXPRESSIONS)}\n"]))
        + "}\n",
        'resource "aws_iam_role" "r" {\n  name = "nb"\n  assume_role_policy = "{}"\n}\n',
        'data "aws_caller_identity" "me" {}\ndata "aws_partition" "p" {}\n',
        f'data "aws_kms_alias" "d" {{\n  name = {draw(EXPRESSIONS)}\n}}\n',
        f'resource "aws_kms_key" "k" {{\n  is_enabled = {draw(EXPRESSIONS)}\n'
        f"  policy = {_heredoc(draw(POLICIES))}\n}}\n",
        'resource "aws_kms_alias" "a" {\n  name = "alias/mine"\n'
        "  target_key_id = aws_kms_key.k.key_id\n}\n",
    ]
    for index in range(draw(st.integers(1, 3))):
        meta = draw(st.sampled_from(["", "count = 2", 'for_each = toset(["p", "q"])']))
        role = draw(st.sampled_from([json.dumps(ROLE_ARN), "aws_iam_role.r.arn"]))
        blocks.append(
            f'resource "aws_sagemaker_notebook_instance" "nb{index}" {{\n  {meta}\n'
            f'  name = "nb{index}"\n  instance_type = "ml.t3.medium"\n  role_arn = {role}\n'
            f"  kms_key_id = {draw(EXPRESSIONS)}\n}}\n"
        )
    return "".join(blocks)


# -- unreadable parts -----------------------------------------------------------------------


def _syntax_error(files: dict[str, str]) -> None:
    files["zz_broken.tf"] = "locals {\n  broken = (\n}\n"


def _unset_variable(files: dict[str, str]) -> None:
    text = files["main.tf"].replace("  kms_key_id = ", "  kms_key_id = var.fuzz_unset == 1 ? 0 : ")
    files["main.tf"] = text + 'variable "fuzz_unset" {}\n'


def _unparsable_statement(files: dict[str, str]) -> None:
    statement = {"Effect": "Perhaps", "Principal": "*", "Action": 42, "Resource": "*"}
    text = files["main.tf"]
    start = text.index("policy = <<EOT\n") + len("policy = <<EOT\n")
    end = text.index("\nEOT", start)
    policy = json.loads(text[start:end].replace("$${", "${").replace("%%{", "%{"))
    statements = policy.get("Statement")
    if not isinstance(statements, list):
        statements = [statements]
    policy["Statement"] = [*statements, statement]
    files["main.tf"] = text[: start - len("<<EOT\n")] + _heredoc(policy) + text[end + 4 :]


UNREADABLE: dict[str, Callable[[dict[str, str]], None]] = {
    "syntax error": _syntax_error,
    "variable without a value": _unset_variable,
    "unparsable policy statement": _unparsable_statement,
}

# -- scanning -------------------------------------------------------------------------------


def _scan(files: dict[str, str | bytes]) -> ScanResult:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        for name, content in files.items():
            path = root / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content)
        result = scan_paths([root], ScanOptions(timeout=SCAN_TIMEOUT))
    _assert_sound(result)
    return result


def _assert_sound(result: ScanResult) -> None:
    for error in result.errors:
        assert "internal error" not in error.message, error
        assert "--timeout" not in error.message, error
    for finding in result.findings:
        assert finding.status is not Status.PASS or not finding.reasons


def _statuses(result: ScanResult) -> dict[str, Status]:
    return {finding.address: finding.status for finding in result.findings}


def _never_passes_more(before: ScanResult, after: ScanResult, what: str) -> None:
    was = _statuses(before)
    now = _statuses(after)
    for address, status in was.items():
        if status is Status.PASS:
            continue
        if address in now:
            assert now[address] is not Status.PASS, f"{address}: {status} became PASS by {what}"
        else:
            assert after.errors, f"{address}: {status} vanished without an error by {what}"
    if before.exit_code() != 0:
        assert after.exit_code() != 0, what


def _configuration_property(text: str, part: str) -> None:
    files: dict[str, str] = {"main.tf": text}
    before = _scan(dict(files))
    UNREADABLE[part](files)
    after = _scan(dict(files))
    _never_passes_more(before, after, part)


@CI
@given(configurations(), st.sampled_from(sorted(UNREADABLE)))
def test_random_hcl_never_crashes_and_unreadable_parts_never_pass(text: str, part: str) -> None:
    _configuration_property(text, part)


@pytest.mark.slow
@HEAVY
@given(configurations(), st.sampled_from(sorted(UNREADABLE)))
def test_random_hcl_many_examples(text: str, part: str) -> None:
    _configuration_property(text, part)


@CI
@given(configurations(), st.binary(max_size=300), st.integers(0, 400))
def test_random_bytes_in_and_beside_a_module(text: str, noise: bytes, at: int) -> None:
    # Random bytes as a file of their own, and spliced into the module's text.
    _scan({"main.tf": text, "noise.tf": noise})
    data = text.encode()
    _scan({"main.tf": data[:at] + noise + data[at:]})


# -- plans ----------------------------------------------------------------------------------

PLAN = json.loads((Path(__file__).parent / "plans" / "create.plan.json").read_text())


def _mutated(document: Any, draw: st.DrawFn, depth: int = 0) -> Any:
    """``document`` with random subtrees replaced by random JSON."""
    if depth < 12 and draw(st.integers(0, 9)) == 0:
        return draw(_JSON | _TEXTS)
    if isinstance(document, dict):
        return {k: _mutated(v, draw, depth + 1) for k, v in document.items()}
    if isinstance(document, list):
        return [_mutated(v, draw, depth + 1) for v in document]
    return document


@st.composite
def plans(draw: st.DrawFn) -> Any:
    return _mutated(copy.deepcopy(PLAN), draw)


def _scan_plan(plan: Any) -> ScanResult:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "x.plan.json"
        path.write_text(json.dumps(plan))
        result = scan_paths([path], ScanOptions(timeout=SCAN_TIMEOUT))
    _assert_sound(result)
    return result


def _unknown_keys(plan: Any) -> Any:
    """``plan`` with every notebook's ``kms_key_id`` known only after apply."""
    plan = copy.deepcopy(plan)
    changes = plan.get("resource_changes")
    for change in changes if isinstance(changes, list) else []:
        if not isinstance(change, dict) or change.get("type") != "aws_sagemaker_notebook_instance":
            continue
        body = change.get("change")
        if isinstance(body, dict) and isinstance(body.get("after"), dict):
            body["after"].pop("kms_key_id", None)
            if not isinstance(body.get("after_unknown"), dict):
                body["after_unknown"] = {}
            body["after_unknown"]["kms_key_id"] = True
    planned = plan.get("planned_values")
    root = planned.get("root_module") if isinstance(planned, dict) else None
    resources = root.get("resources") if isinstance(root, dict) else None
    for resource in resources if isinstance(resources, list) else []:
        if (
            isinstance(resource, dict)
            and isinstance(resource.get("values"), dict)
            and resource.get("type") == "aws_sagemaker_notebook_instance"
        ):
            resource["values"].pop("kms_key_id", None)
    plan.pop("configuration", None)
    return plan


def _plan_property(plan: Any) -> None:
    before = _scan_plan(plan)
    if isinstance(plan, dict):
        _never_passes_more(before, _scan_plan(_unknown_keys(plan)), "kms_key_id after apply")


@CI
@given(plans())
def test_random_plans_never_crash_and_unknown_keys_never_pass(plan: Any) -> None:
    _plan_property(plan)


@pytest.mark.slow
@HEAVY
@given(plans())
def test_random_plans_many_examples(plan: Any) -> None:
    _plan_property(plan)


def test_plans_with_any_json_where_objects_and_arrays_belong_are_read() -> None:
    # What the fuzz test first found: each of these ended the whole scan with a TypeError.
    plan = copy.deepcopy(PLAN)
    for change in plan["resource_changes"]:
        change["change"]["actions"] = 5
        change["change"]["replace_paths"] = True
    root = plan["configuration"]["root_module"]
    root["module_calls"] = 7
    for block in root["resources"]:
        for expression in block.get("expressions", {}).values():
            if isinstance(expression, dict) and "references" in expression:
                expression["references"] = None
    plan["configuration"]["provider_config"] = []
    result = _scan_plan(plan)
    assert result.findings
    assert result.errors == ()
