"""The catalogue entry of every reason and warning code: the texts every output renders.

``explain CODE``, SARIF ``rules[]``, JUnit messages and ``docs/reasons.md`` all read ``CATALOGUE``.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmkguard.catalogue.codes import Reason, WarningCode


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """Everything a person needs to know about one code."""

    code: Reason | WarningCode
    """The stable code."""
    title: str
    """One line: what the code says about the notebook."""
    what: str
    """What exactly is checked."""
    why: str
    """Why it matters."""
    fix: str
    """One line on how to fix it (printed under each finding)."""
    before: str
    """HCL that triggers the code."""
    after: str
    """The same HCL, fixed."""
    references: tuple[str, ...]
    """Links and document names for further reading."""
    since: str = "0.1.0"
    """The cmkguard version that introduced the code."""
    live_fix: str | None = None
    """How to fix it when the finding comes from ``cmkguard live`` (an account, not code:
    no ``--var``, no HCL), where that differs from ``fix``."""

    def advice(self, live: bool) -> str:
        """The one-line fix for a finding of a live scan (``live``) or of code."""
        return self.live_fix if live and self.live_fix is not None else self.fix

    @property
    def kind(self) -> str:
        """``reason`` or ``warning``."""
        return "reason" if isinstance(self.code, Reason) else "warning"

    @property
    def anchor(self) -> str:
        """The anchor of the entry in ``docs/reasons.md``."""
        return self.code.value


_KMS_DOC = "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#customer-cmk"
_SM_DOC = "https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest-nbi.html"
_SH_DOC = "https://docs.aws.amazon.com/securityhub/latest/userguide/sagemaker-controls.html"
_POLICY_DOC = "https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html"

_GOOD_KEY = """resource "aws_kms_key" "notebook" {
  description         = "SageMaker notebook volumes"
  enable_key_rotation = true
}

resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "research"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.notebook.arn
}"""

_NB = """resource "aws_sagemaker_notebook_instance" "nb" {{
  name          = "research"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
{line}
}}"""


_RECREATE = (
    "A notebook's key cannot be changed in place: back up /home/ec2-user/SageMaker to S3, then "
    "recreate the notebook with `KmsKeyId` set to {what} (or fix the Terraform or "
    "CloudFormation that creates it)."
)


def _nb(line: str) -> str:
    return _NB.format(line=line)


CATALOGUE: dict[Reason | WarningCode, CatalogueEntry] = {
    e.code: e
    for e in (
        CatalogueEntry(
            Reason.MISSING,
            "No KMS key is set: SageMaker encrypts with its AWS managed key",
            "`kms_key_id` is absent or evaluates to `null` (for example from a conditional).",
            "Without `kms_key_id`, SageMaker encrypts the notebook's ML storage volume with an AWS "
            "managed key. You cannot control its policy, audit its use separately, disable it or "
            "rotate it on your own schedule, so the data is not under your key management.",
            "Set `kms_key_id` to a customer managed key (an `aws_kms_key` resource or its ARN).",
            _nb("  # kms_key_id not set"),
            _GOOD_KEY,
            (_SM_DOC, _SH_DOC, "AWS Config: SAGEMAKER_NOTEBOOK_INSTANCE_KMS_KEY_CONFIGURED"),
            live_fix=_RECREATE.format(what="a customer managed key"),
        ),
        CatalogueEntry(
            Reason.EMPTY,
            "The KMS key is set to an empty string",
            '`kms_key_id` evaluates to `""`.',
            "An empty string is treated as not set: the volume is encrypted with the AWS managed "
            'key. It usually comes from a variable whose default is `""`.',
            "Give `kms_key_id` a customer managed key, or make the variable required.",
            _nb('  kms_key_id    = ""'),
            _GOOD_KEY,
            (_SM_DOC,),
            live_fix=_RECREATE.format(what="a customer managed key"),
        ),
        CatalogueEntry(
            Reason.AWS_MANAGED_KEY,
            "The KMS key is an AWS managed key",
            "`kms_key_id` names an `alias/aws/*` alias (name or ARN, literal or built by "
            "interpolation), a data source that looks one up, or a key whose live `KeyManager` is "
            "`AWS`.",
            "AWS managed keys satisfy the tools that only check that *some* key is set, but their "
            "policy cannot be changed, they cannot be disabled and access cannot be restricted to "
            "the notebook's role. Frameworks that require customer managed keys fail them.",
            "Create a customer managed key and reference it instead of `alias/aws/sagemaker`.",
            _nb('  kms_key_id    = "alias/aws/sagemaker"'),
            _GOOD_KEY,
            (_KMS_DOC, _SH_DOC),
            live_fix=_RECREATE.format(
                what="a customer managed key instead of `alias/aws/sagemaker`"
            ),
        ),
        CatalogueEntry(
            Reason.MALFORMED,
            "The KMS key setting is not a key identifier",
            "The value is none of: key ID (UUID or `mrk-` + 32 hex), key ARN, alias name "
            "(`alias/NAME`) or alias ARN, in any AWS partition.",
            "SageMaker rejects the notebook at apply time, or the value was meant to be something "
            'else. Checkov\'s own test passes `kms_key_id = "foo"`; cmkguard does not.',
            "Use a key ARN, key ID, alias name or alias ARN, ideally a reference to the key.",
            _nb('  kms_key_id    = "foo"'),
            _GOOD_KEY,
            ("https://docs.aws.amazon.com/kms/latest/developerguide/find-cmk-id-arn.html",),
            live_fix=_RECREATE.format(what="a key ARN, key ID, alias name or alias ARN"),
        ),
        CatalogueEntry(
            Reason.CROSS_REGION,
            "The KMS key is in another region than the notebook",
            "The key's region (from its ARN, its provider configuration or `DescribeKey`) differs "
            "from the notebook's region.",
            "KMS keys are regional: SageMaker cannot use a key from another region, so the "
            "notebook fails to create or the configuration is not what it seems.",
            "Create the key with the same provider (region) as the notebook, or use a multi-Region "
            "replica key in the notebook's region.",
            _nb(
                '  kms_key_id    = "arn:aws:kms:us-west-2:111122223333:key/'
                '1234abcd-12ab-34cd-56ef-1234567890ab"  # notebook in eu-west-1'
            ),
            _GOOD_KEY,
            (
                "https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html",
            ),
            live_fix=_RECREATE.format(what="a key in the notebook's own region"),
        ),
        CatalogueEntry(
            Reason.KEY_NOT_SYMMETRIC,
            "The KMS key is not a symmetric encryption key",
            "The key spec is not `SYMMETRIC_DEFAULT` or the key usage is not `ENCRYPT_DECRYPT`.",
            "Asymmetric and HMAC keys cannot encrypt EBS volumes: the notebook cannot be created "
            "with them.",
            'Use a key with `customer_master_key_spec = "SYMMETRIC_DEFAULT"` (the default) and '
            '`key_usage = "ENCRYPT_DECRYPT"`.',
            'resource "aws_kms_key" "notebook" {\n  customer_master_key_spec = "RSA_2048"\n'
            '  key_usage                = "SIGN_VERIFY"\n}',
            _GOOD_KEY,
            ("https://docs.aws.amazon.com/kms/latest/developerguide/symm-asymm-choose.html",),
            live_fix=_RECREATE.format(what="a symmetric encryption key"),
        ),
        CatalogueEntry(
            Reason.KEY_DISABLED,
            "The KMS key is disabled or not usable",
            "`is_enabled = false` (or `enabled = false` on replica/external keys), or live "
            "`KeyState` other than `Enabled` (for example `Disabled` or `PendingDeletion`).",
            "A disabled key cannot encrypt or decrypt: the notebook cannot start and its data is "
            "unreadable until the key is enabled again.",
            "Enable the key (`is_enabled = true`) or point the notebook at an enabled key.",
            'resource "aws_kms_key" "notebook" {\n  is_enabled = false\n}',
            _GOOD_KEY,
            ("https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html",),
            live_fix="Enable the key (`aws kms enable-key --key-id KEY --region REGION`); if it is "
            "pending deletion, `aws kms cancel-key-deletion` first.",
        ),
        CatalogueEntry(
            Reason.KEY_POLICY_MISSING_GRANTS,
            "The key policy does not let the notebook use the key",
            "The effective key policy does not allow `kms:CreateGrant`, `kms:Decrypt` and "
            "`kms:GenerateDataKey*` to a principal that can act for the notebook (the SageMaker "
            "service, the notebook's role, the owning account - the role's account, since "
            "`iam:PassRole` is same-account - `*`, or a configured deployer), or an explicit Deny "
            'removes one. A statement applies only when its `Resource` is `"*"` or this key\'s '
            "ARN (a statement naming an S3 bucket does not). Conditions are evaluated against the "
            "notebook's key use, never assumed true: `kms:ViaService` = "
            "`sagemaker.REGION.amazonaws.com`, `kms:GrantIsForAWSResource` = true for "
            "`kms:CreateGrant`, `kms:CallerAccount`/`aws:PrincipalAccount`/`aws:SourceAccount` = "
            "the notebook's account, `aws:PrincipalArn` = the role, `aws:SourceArn` = the "
            "notebook's ARN and `aws:PrincipalServiceName` for the service, with the `String*`, "
            "`Arn*`, `Bool`, `Null` and `Numeric*` operators, `IfExists` and `ForAnyValue:`/"
            "`ForAllValues:`. An Allow counts only when its Condition holds; a Deny whose "
            "Condition holds fails. A Condition on any other key (`aws:SourceIp`, tags, MFA, VPC "
            "endpoints...) makes the verdict UNKNOWN, naming the condition. Statements a "
            "`for ... if` may or may not include (its condition unknown) are judged "
            "monotonically: an optional Allow never grants, and never takes away what the "
            "certain statements grant; an optional Deny that would deny makes it UNKNOWN.",
            "SageMaker uses the key through a grant created when the notebook is created. If the "
            'policy locks it out (for example an "S3 only" key that denies every use not via '
            "`s3.REGION.amazonaws.com`), creation fails or the notebook cannot start. Tools that "
            "ignore Conditions pass such keys.",
            "Allow the notebook's role (or the account, delegating to IAM) to use the key.",
            'resource "aws_kms_key" "notebook" {\n  policy = jsonencode({\n'
            '    Version = "2012-10-17"\n    Statement = [{ Effect = "Deny", Principal = "*",\n'
            '      Action = "kms:CreateGrant", Resource = "*" }]\n  })\n}',
            'resource "aws_kms_key" "notebook" {\n  policy = jsonencode({\n'
            '    Version = "2012-10-17"\n    Statement = [{ Effect = "Allow",\n'
            "      Principal = { AWS = aws_iam_role.nb.arn },\n"
            '      Action = ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*",'
            ' "kms:DescribeKey"],\n      Resource = "*" }]\n  })\n}',
            (_POLICY_DOC, _SM_DOC),
            live_fix="Allow the notebook's role (or the account) `kms:CreateGrant`, `kms:Decrypt` "
            "and `kms:GenerateDataKey*` in the key policy, and drop any Deny that takes one away "
            "(`aws kms get-key-policy`, edit, `aws kms put-key-policy`).",
        ),
        CatalogueEntry(
            Reason.KEY_NOT_ALLOWED,
            "The KMS key is not on the configured allow-list",
            "An allow-list is configured (`allowed_keys` in cmkguard.toml or `--allowed-key`, like "
            "the Config rule's `kmsKeyArns`) and the key is not on it. Entries are key ARNs, key "
            "IDs or alias ARNs; an alias ARN allows notebooks that name that alias.",
            "Organisations approve specific keys for notebook data; any other key, even customer "
            "managed, is outside the approved key management process.",
            "Use one of the approved keys, or add the key to `allowed_keys`.",
            _nb("  kms_key_id    = aws_kms_key.unapproved.arn"),
            _nb('  kms_key_id    = "arn:aws:kms:eu-west-1:111122223333:key/approved-key-id"'),
            ("AWS Config: SAGEMAKER_NOTEBOOK_INSTANCE_KMS_KEY_CONFIGURED (kmsKeyArns)",),
            live_fix=_RECREATE.format(what="an approved key")
            + " Or add the key to `allowed_keys`.",
        ),
        CatalogueEntry(
            Reason.UNRESOLVED,
            "The verdict depends on a value the input does not contain",
            "A value that decides the verdict could not be determined: a variable with no value, "
            "a remote module not downloaded, a value known only after apply, a refused API call. "
            "The message names the missing input.",
            "Tools that pass unresolved values report compliance they cannot know. cmkguard "
            "fails closed: UNKNOWN is never PASS.",
            "Supply the missing input (`--var`, `--var-file`, `terraform init`, API permissions).",
            'variable "key_arn" {}\n\n' + _nb("  kms_key_id    = var.key_arn"),
            'variable "key_arn" {\n  default = "arn:aws:kms:eu-west-1:111122223333:key/'
            '1234abcd-12ab-34cd-56ef-1234567890ab"\n}\n\n' + _nb("  kms_key_id    = var.key_arn"),
            (),
            live_fix="The message names the call that failed: grant the scanning identity what it "
            "refused (`sagemaker:ListNotebookInstances`, `sagemaker:DescribeNotebookInstance`, "
            "`kms:DescribeKey`, `kms:GetKeyPolicy`) in that account and region, check "
            "`--regions`, `--region` and the endpoint, or raise `--timeout`/`--call-timeout` if "
            "the scan was cut short.",
        ),
        CatalogueEntry(
            WarningCode.DESTRUCTIVE_REPLACEMENT,
            "Applying this plan destroys and recreates the notebook",
            "The plan replaces the notebook (`delete` + `create`) because `kms_key_id` changed.",
            "The notebook's ML storage volume is deleted with the old instance: anything saved "
            "only on it is lost.",
            "Back the notebook up to S3 first (a lifecycle configuration that syncs "
            "/home/ec2-user/SageMaker to S3 on stop), stop it, then apply.",
            _nb("  kms_key_id    = aws_kms_key.new.arn  # was unset"),
            'resource "aws_sagemaker_notebook_instance_lifecycle_configuration" "backup" {\n'
            '  name     = "backup-to-s3"\n  on_start = base64encode(file("backup.sh"))\n}\n\n'
            + _nb(
                "  lifecycle_config_name = aws_sagemaker_notebook_instance_lifecycle_configuration"
                ".backup.name\n  kms_key_id    = aws_kms_key.new.arn"
            ),
            ("https://docs.aws.amazon.com/sagemaker/latest/dg/notebook-lifecycle-config.html",),
        ),
        CatalogueEntry(
            WarningCode.KEY_MANAGER_UNVERIFIED,
            "A literal key ID or ARN could be an AWS managed key",
            "`kms_key_id` is a key ID or key ARN that the scanned configuration does not define. "
            "Its text cannot tell an AWS managed key from a customer managed one.",
            "AWS managed keys also have `key/` ARNs. This is the one PASS cmkguard gives on a "
            "fact it could not check, and it always says so: `cmkguard scan --resolve-keys` or "
            "`cmkguard live` (DescribeKey `KeyManager`) settles it; `--strict` reports UNKNOWN "
            "instead of PASS.",
            "Reference the key resource, or confirm with `--resolve-keys` or `cmkguard live`.",
            _nb(
                '  kms_key_id    = "arn:aws:kms:eu-west-1:111122223333:key/'
                '1234abcd-12ab-34cd-56ef-1234567890ab"'
            ),
            _GOOD_KEY,
            (_KMS_DOC,),
        ),
        CatalogueEntry(
            WarningCode.KEY_PROPERTIES_UNVERIFIED,
            "The key is defined outside the scanned input: state, spec and policy unchecked",
            "The key is named by a literal or looked up by a data source, so the scan cannot see "
            "whether it is enabled, symmetric, in the right region or usable under its policy.",
            "Static scans cannot see keys created elsewhere. cmkguard says so instead of assuming "
            "(a PASS with this warning is not a verified PASS); `cmkguard scan --resolve-keys` and "
            "`cmkguard live` check them, and `--strict` reports UNKNOWN instead of PASS.",
            "Scan the configuration that defines the key too, or confirm with `--resolve-keys` or "
            "`cmkguard live`.",
            'data "aws_kms_alias" "shared" {\n  name = "alias/shared-notebooks"\n}\n\n'
            + _nb("  kms_key_id    = data.aws_kms_alias.shared.target_key_arn"),
            _GOOD_KEY,
            (_KMS_DOC,),
        ),
        CatalogueEntry(
            WarningCode.KEY_POLICY_DELEGATES_TO_IAM,
            "The key policy only delegates to the account: IAM policies decide",
            "The only statements that let a notebook principal use the key name the owning "
            "account (`arn:aws:iam::ACCOUNT:root`), which delegates the decision to IAM.",
            "Whether the notebook's role may use the key then depends on IAM policies the scan "
            "does not see; least privilege favours naming the role in the key policy.",
            "Name the notebook's role (or the SageMaker service) in the key policy.",
            'resource "aws_kms_key" "notebook" {\n  # no policy: the default key policy\n}',
            'resource "aws_kms_key" "notebook" {\n  policy = data.aws_iam_policy_document.'
            "notebook_key.json\n}",
            (_POLICY_DOC,),
            live_fix="Name the notebook's role (or the SageMaker service) in the key policy "
            "(`aws kms put-key-policy`).",
        ),
        CatalogueEntry(
            WarningCode.KEY_ROTATION_DISABLED,
            "Automatic key rotation is off",
            "`enable_key_rotation` is false or unset on a symmetric customer managed key.",
            "Rotation limits the amount of data protected by one key version; most frameworks "
            "expect it on customer managed keys.",
            "Set `enable_key_rotation = true`.",
            'resource "aws_kms_key" "notebook" {\n  enable_key_rotation = false\n}',
            'resource "aws_kms_key" "notebook" {\n  enable_key_rotation = true\n}',
            ("https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",),
        ),
        CatalogueEntry(
            WarningCode.UNMATCHED_ALIAS,
            "An alias name built from an alias resource matches no alias",
            "`kms_key_id` (or a data source's `name`/`key_id`) is an alias name built from an "
            "`aws_kms_alias` resource's attribute, and no alias of the configuration has the "
            'name it builds: `"alias/${aws_kms_alias.a.name}"` gives `alias/alias/x`, because '
            "the alias's `name` already starts with `alias/`. The verdict is UNKNOWN, naming the "
            "alias: the name most likely names no key at all (`--resolve-keys` looks it up).",
            "A name that matches no alias fails at apply time at best; at worst it names some "
            "other key with that alias in the account, which the configuration never checks.",
            "Use the alias resource's attribute as it is (`aws_kms_alias.a.name` or "
            "`aws_kms_alias.a.arn`), or its key's ARN.",
            _nb('  kms_key_id    = "alias/${aws_kms_alias.notebook.name}"'),
            _nb("  kms_key_id    = aws_kms_alias.notebook.arn"),
            ("https://docs.aws.amazon.com/kms/latest/developerguide/alias-about.html",),
        ),
    )
}


def lookup(code: str) -> CatalogueEntry | None:
    """The catalogue entry for ``code`` (case-insensitive), or ``None``."""
    wanted = code.strip().lower()
    for key, entry in CATALOGUE.items():
        if key.value == wanted:
            return entry
    return None
