"""A nested stack's output is evaluated once per parent: outputs that read a child's output
twice, level after level, were evaluated 2^depth times (a hostile template hung the scan)."""

from __future__ import annotations

from pathlib import Path

from cmkguard.findings import Status
from cmkguard.scan import ScanOptions, scan_paths

DEPTH = 40
TEMPLATE = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./s{next}.yaml
{notebook}Outputs:
  Out:
    Value: !Select [0, [!GetAtt Child.Outputs.Out, !GetAtt Child.Outputs.Out]]
"""
NOTEBOOK = """  Notebook:
    Type: AWS::SageMaker::NotebookInstance
    Properties:
      InstanceType: ml.t3.medium
      RoleArn: arn:aws:iam::111122223333:role/r
      KmsKeyId: !GetAtt Child.Outputs.Out
"""
LEAF = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Bucket:
    Type: AWS::S3::Bucket
Outputs:
  Out:
    Value: alias/aws/sagemaker
"""


def test_doubled_outputs_forty_levels_deep_are_judged(tmp_path: Path) -> None:
    for level in range(DEPTH):
        text = TEMPLATE.format(next=level + 1, notebook=NOTEBOOK if level == 0 else "")
        (tmp_path / f"s{level}.yaml").write_text(text)
    (tmp_path / f"s{DEPTH}.yaml").write_text(LEAF)
    result = scan_paths((tmp_path / "s0.yaml",), ScanOptions())
    [finding] = result.findings
    assert finding.status is Status.FAIL
    assert [r.value for r in finding.reasons] == ["aws-managed-key"]
