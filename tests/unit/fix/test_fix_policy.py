"""``cmkguard fix`` for ``key-policy-missing-grants``: statements added to an inline
``jsonencode`` policy (each list layout), to an ``aws_kms_key_policy`` and to an
``aws_iam_policy_document``; advice with the statement JSON for every other way of writing a
policy; and a proposal an explicit Deny defeats is never offered."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path

import pytest
from fix_trees import PROVIDER, ROLE, Run, notebook, write_tree
from syrupy.assertion import SnapshotAssertion

from cmkguard.catalogue.codes import Reason
from cmkguard.findings import Status
from cmkguard.fix.grant_statements import missing_actions
from cmkguard.fix.verify import fmt_accepts
from cmkguard.scan import ScanOptions, scan_terraform

Fix = Callable[..., Run]
USES_KEY = "  kms_key_id    = aws_kms_key.k.arn\n"

S3_ONLY = """    {
      Sid       = "S3"
      Effect    = "Allow"
      Principal = { Service = "s3.amazonaws.com" }
      Action    = "kms:*"
      Resource  = "*"
    }"""


def _key(statements: str, policy_indent: str = "  ") -> str:
    return (
        'resource "aws_kms_key" "k" {\n'
        "  enable_key_rotation = true\n"
        f"{policy_indent}policy = jsonencode({{\n"
        '    Version = "2012-10-17"\n'
        f"    Statement = {statements}\n"
        "  })\n"
        "}\n"
    )


OWN_LINES = _key("[\n  " + S3_ONLY.replace("\n", "\n  ") + " # S3 keeps its grant\n    ]")
COMPACT = _key(
    "[{\n"
    '      Effect    = "Allow"\n'
    '      Principal = { Service = "s3.amazonaws.com" }\n'
    '      Action    = "kms:*"\n'
    '      Resource  = "*"\n'
    "    }]"
)
TRAILING_COMMA = _key("[\n  " + S3_ONLY.replace("\n", "\n  ") + ",\n    ]")
EMPTY_LIST = _key("[]")


def _statuses(root: Path) -> dict[str, Status]:
    result = scan_terraform(root, ScanOptions())
    assert not result.errors
    return {f.address: f.status for f in result.findings}


def _tree(tmp_path: Path, key: str, **more: str) -> Path:
    main = PROVIDER + "\n" + ROLE + "\n" + key + "\n" + notebook("nb", USES_KEY)
    return write_tree(tmp_path, {"main.tf": main, **more})


def _added_only(before: str, after: str) -> list[str]:
    """The lines the edit changed: only additions, every other line kept byte for byte."""
    changed = [
        line
        for line in difflib.ndiff(before.splitlines(), after.splitlines())
        if line.startswith(("+ ", "- "))
    ]
    return changed


def _fmt_clean(text: str) -> None:
    accepted = fmt_accepts(text)
    if accepted is None:
        pytest.skip("terraform is not installed: terraform fmt -check not run")
    assert accepted, text


@pytest.mark.parametrize(
    "key",
    [OWN_LINES, COMPACT, TRAILING_COMMA, EMPTY_LIST],
    ids=["own-lines", "compact", "trailing-comma", "empty-list"],
)
def test_inline_policy_gets_the_statements(
    tmp_path: Path, fix: Fix, golden: SnapshotAssertion, key: str
) -> None:
    root = _tree(tmp_path, key)
    assert _statuses(root) == {"aws_sagemaker_notebook_instance.nb": Status.FAIL}
    before = (root / "main.tf").read_text()
    run = fix(str(root))
    assert run.status == 1, run.err
    assert run.out == golden
    assert "main.tf:12 aws_kms_key.k: policy statements added allowing kms:Decrypt" in run.err
    assert "to the notebook's role (aws_iam_role.nb.arn)" in run.err
    assert (root / "main.tf").read_text() == before

    assert fix(str(root), "--write").status == 0
    after = (root / "main.tf").read_text()
    assert _statuses(root) == {"aws_sagemaker_notebook_instance.nb": Status.PASS}
    _fmt_clean(after)
    again = fix(str(root), "--write")
    assert again.status == 0
    assert (root / "main.tf").read_text() == after


def test_comment_after_the_last_statement_stays_on_its_line(tmp_path: Path, fix: Fix) -> None:
    root = _tree(tmp_path, OWN_LINES)
    before = (root / "main.tf").read_text()
    assert fix(str(root), "--write").status == 0
    after = (root / "main.tf").read_text()
    changed = _added_only(before, after)
    # The last statement's closing line gains its comma before the comment; the rest is added.
    assert changed[:2] == ["-       } # S3 keeps its grant", "+       }, # S3 keeps its grant"]
    assert all(line.startswith("+ ") for line in changed[2:])


def test_only_the_missing_actions_are_added(tmp_path: Path, fix: Fix) -> None:
    use_only = _key(
        "[{\n"
        '      Effect    = "Allow"\n'
        "      Principal = { AWS = aws_iam_role.nb.arn }\n"
        '      Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]\n'
        '      Resource  = "*"\n'
        "    }]"
    )
    root = _tree(tmp_path, use_only)
    run = fix(str(root), "--write")
    assert run.status == 0, run.err
    text = (root / "main.tf").read_text()
    assert "NotebookKeyGrants" in text
    assert "NotebookKeyUse" not in text
    assert 'Action    = "kms:CreateGrant"' in text
    assert _statuses(root) == {"aws_sagemaker_notebook_instance.nb": Status.PASS}


STANDALONE = (
    """resource "aws_kms_key" "k" {
  enable_key_rotation = true
}

resource "aws_kms_key_policy" "k" {
  key_id = aws_kms_key.k.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
"""
    + S3_ONLY.replace("\n", "\n  ").replace("    {", "      {", 1)
    + """
    ]
  })
}
"""
)


def test_kms_key_policy_resource_is_edited(tmp_path: Path, fix: Fix) -> None:
    root = _tree(tmp_path, STANDALONE)
    assert _statuses(root) == {"aws_sagemaker_notebook_instance.nb": Status.FAIL}
    run = fix(str(root), "--write")
    assert run.status == 0, run.err
    assert "aws_kms_key.k: policy statements added" in run.err
    after = (root / "main.tf").read_text()
    assert after.index("NotebookKeyUse") > after.index('resource "aws_kms_key_policy" "k"')
    assert _statuses(root) == {"aws_sagemaker_notebook_instance.nb": Status.PASS}
    _fmt_clean(after)


DOCUMENT = """data "aws_iam_policy_document" "k" {
  statement {
    sid       = "S3"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }
  }
}

resource "aws_kms_key" "k" {
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.k.json
}
"""


def test_policy_document_gets_statement_blocks(
    tmp_path: Path, fix: Fix, golden: SnapshotAssertion
) -> None:
    root = _tree(tmp_path, "", **{"kms.tf": DOCUMENT})
    before = (root / "kms.tf").read_text()
    run = fix(str(root))
    assert run.status == 1, run.err
    assert run.out == golden
    assert "kms.tf:1 data.aws_iam_policy_document.k: statements added" in run.err
    assert fix(str(root), "--write").status == 0
    after = (root / "kms.tf").read_text()
    assert all(line.startswith("+ ") for line in _added_only(before, after))
    assert _statuses(root) == {"aws_sagemaker_notebook_instance.nb": Status.PASS}
    _fmt_clean(after)


HEREDOC = """resource "aws_kms_key" "k" {
  enable_key_rotation = true
  policy              = <<-EOT
    {"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
       "Action": "kms:*", "Resource": "*"}]}
  EOT
}
"""
FROM_FILE = """resource "aws_kms_key" "k" {
  enable_key_rotation = true
  policy              = file("${path.module}/policy.json")
}
"""
POLICY_JSON = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
    '"Principal": {"Service": "s3.amazonaws.com"}, "Action": "kms:*", "Resource": "*"}]}'
)
FROM_LOCAL = """locals {
  policy = "{\\"Version\\": \\"2012-10-17\\", \\"Statement\\": []}"
}

resource "aws_kms_key" "k" {
  enable_key_rotation = true
  policy              = local.policy
}
"""


@pytest.mark.parametrize(
    ("key", "more", "how"),
    [
        (HEREDOC, {}, "it is heredoc JSON"),
        (FROM_FILE, {"policy.json": POLICY_JSON}, "it is read from policy.json by file()"),
        (FROM_LOCAL, {}, "it comes from local.policy"),
    ],
    ids=["heredoc", "file", "local"],
)
def test_other_policies_get_advice_with_the_json(
    tmp_path: Path, fix: Fix, key: str, more: dict[str, str], how: str
) -> None:
    root = _tree(tmp_path, key, **more)
    before = {p: p.read_text() for p in root.iterdir()}
    run = fix(str(root), "--write")
    assert run.status == 1
    assert run.out == ""
    line = 16 if key is FROM_LOCAL else 12
    assert f"aws_kms_key.k (main.tf:{line}) is not edited automatically: {how}" in run.err
    assert '"AWS": "${aws_iam_role.nb.arn}"' in run.err
    assert '"kms:GrantIsForAWSResource": "true"' in run.err
    assert {p: p.read_text() for p in root.iterdir()} == before


def test_explicit_deny_is_explained_not_offered(tmp_path: Path, fix: Fix) -> None:
    """fool: an Allow cannot beat a Deny, so the statements are not offered even though they
    are exactly what is missing; the re-scan says which statement denies."""
    deny = _key(
        "[\n  " + S3_ONLY.replace("\n", "\n  ") + ",\n"
        "      {\n"
        '        Sid       = "OnlyViaS3"\n'
        '        Effect    = "Deny"\n'
        '        Principal = "*"\n'
        '        Action    = "kms:*"\n'
        '        Resource  = "*"\n'
        "        Condition = {\n"
        '          StringNotEquals = { "kms:ViaService" = "s3.eu-west-1.amazonaws.com" }\n'
        "        }\n"
        "      }\n"
        "    ]"
    )
    root = _tree(tmp_path, deny)
    before = (root / "main.tf").read_text()
    run = fix(str(root), "--write")
    assert run.status == 1
    assert run.out == ""
    assert "not fixed: the edit would leave it FAIL (key-policy-missing-grants)" in run.err
    assert 'statement 2 ("OnlyViaS3") denies' in run.err
    assert (root / "main.tf").read_text() == before


MODULE_NOTEBOOK = """variable "key_arn" {
  type = string
}

variable "role_arn" {
  type = string
}

resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = var.role_arn
  instance_type = "ml.t3.medium"
  kms_key_id    = var.key_arn
}
"""


def test_notebook_in_another_module_gets_the_sagemaker_service(tmp_path: Path, fix: Fix) -> None:
    """The role's expression means nothing where the policy is written: SageMaker is named."""
    call = (
        'module "team" {\n'
        '  source   = "./team"\n'
        "  key_arn  = aws_kms_key.k.arn\n"
        "  role_arn = aws_iam_role.nb.arn\n"
        "}\n"
    )
    main = PROVIDER + "\n" + ROLE + "\n" + OWN_LINES + "\n" + call
    root = write_tree(tmp_path, {"main.tf": main, "team/main.tf": MODULE_NOTEBOOK})
    run = fix(str(root), "--write")
    assert run.status == 0, run.err
    assert "to the SageMaker service" in run.err
    text = (root / "main.tf").read_text()
    assert 'Principal = { Service = "sagemaker.amazonaws.com" }' in text
    assert _statuses(root) == {"module.team.aws_sagemaker_notebook_instance.nb": Status.PASS}


def test_missing_actions_read_from_the_real_finding(tmp_path: Path) -> None:
    root = _tree(tmp_path, OWN_LINES)
    (finding,) = scan_terraform(root, ScanOptions()).findings
    assert finding.reasons == (Reason.KEY_POLICY_MISSING_GRANTS,)
    assert missing_actions(finding.message) == (
        "kms:CreateGrant",
        "kms:Decrypt",
        "kms:GenerateDataKey",
    )


def test_missing_actions_of_other_text_is_empty() -> None:
    assert missing_actions("The key policy of k is not a valid policy: no Statement") == ()


KEY_MODULE = (
    _key("[\n  " + S3_ONLY.replace("\n", "\n  ") + "\n    ]")
    + '\noutput "arn" {\n  value = aws_kms_key.k.arn\n}\n'
)


def _key_module_tree(tmp_path: Path, calls: tuple[str, ...]) -> Path:
    blocks = "".join(f'module "{c}" {{\n  source = "./key"\n}}\n\n' for c in calls)
    notebooks = "\n".join(notebook(c, f"  kms_key_id    = module.{c}.arn\n") for c in calls)
    main = PROVIDER + "\n" + ROLE + "\n" + blocks + notebooks
    return write_tree(tmp_path, {"main.tf": main, "key/main.tf": KEY_MODULE})


def test_key_module_used_once_gets_the_sagemaker_service(tmp_path: Path, fix: Fix) -> None:
    root = _key_module_tree(tmp_path, ("a",))
    run = fix(str(root), "--write")
    assert run.status == 0, run.err
    assert "key/main.tf:3 module.a.aws_kms_key.k: policy statements added" in run.err
    assert (
        'Principal = { Service = "sagemaker.amazonaws.com" }'
        in (root / "key" / "main.tf").read_text()
    )
    assert _statuses(root) == {"aws_sagemaker_notebook_instance.a": Status.PASS}


def test_key_module_used_twice_is_not_edited(tmp_path: Path, fix: Fix) -> None:
    root = _key_module_tree(tmp_path, ("a", "b"))
    run = fix(str(root), "--write")
    assert run.status == 1
    assert "is declared in a module that several module calls use" in run.err
    assert '"Service": "sagemaker.amazonaws.com"' in run.err
    assert (root / "key" / "main.tf").read_text() == KEY_MODULE


def test_two_reasons_of_one_key_fixed_together(tmp_path: Path, fix: Fix) -> None:
    """A disabled key with an empty, ``=``-aligned Statement list: both fixes are applied and
    re-scanned together; the expanded list leaves its run, so ``Version`` is re-padded."""
    key = (
        'resource "aws_kms_key" "k" {\n'
        "  enable_key_rotation = true\n"
        "  is_enabled          = false\n"
        "  policy = jsonencode({\n"
        '    Version   = "2012-10-17"\n'
        "    Statement = []\n"
        "  })\n"
        "}\n"
    )
    counted = notebook("nb", USES_KEY).replace(
        '  name          = "nb"\n', ('  count         = 2\n  name          = "nb${count.index}"\n')
    )
    main = PROVIDER + "\n" + ROLE + "\n" + key + "\n" + counted
    root = write_tree(tmp_path, {"main.tf": main})
    _fmt_clean(main)
    run = fix(str(root), "--write")
    assert run.status == 0, run.err
    after = (root / "main.tf").read_text()
    assert '    Version = "2012-10-17"\n' in after
    assert "  is_enabled          = true\n" in after
    assert set(_statuses(root).values()) == {Status.PASS}
    _fmt_clean(after)


@pytest.mark.parametrize("key", [OWN_LINES, EMPTY_LIST], ids=["own-lines", "empty-list"])
def test_crlf_file_keeps_its_line_breaks(tmp_path: Path, fix: Fix, key: str) -> None:
    main = (PROVIDER + "\n" + ROLE + "\n" + key + "\n" + notebook("nb", USES_KEY)).replace(
        "\n", "\r\n"
    )
    root = tmp_path
    (root / "main.tf").write_bytes(main.encode())
    run = fix(str(root), "--write")
    assert run.status == 0, run.err
    after = (root / "main.tf").read_bytes().decode()
    assert "NotebookKeyGrants" in after
    assert "\n" not in after.replace("\r\n", "")
    assert _statuses(root) == {"aws_sagemaker_notebook_instance.nb": Status.PASS}


def test_crlf_policy_document(tmp_path: Path, fix: Fix) -> None:
    main = (PROVIDER + "\n" + ROLE + "\n" + notebook("nb", USES_KEY)).replace("\n", "\r\n")
    (tmp_path / "main.tf").write_bytes(main.encode())
    (tmp_path / "kms.tf").write_bytes(DOCUMENT.replace("\n", "\r\n").encode())
    run = fix(str(tmp_path), "--write")
    assert run.status == 0, run.err
    after = (tmp_path / "kms.tf").read_bytes().decode()
    assert "NotebookKeyGrants" in after
    assert "\n" not in after.replace("\r\n", "")
