"""The intrinsic function evaluator, one table per function: what each gives for known,
unknown and invalid arguments."""

from __future__ import annotations

import pytest

from cmkguard.sources.cloudformation.intrinsics import STACK_REGION, Evaluator, Stack
from cmkguard.sources.cloudformation.template import Template, parse_template
from cmkguard.sources.terraform.evaluated import Partial
from cmkguard.values import Data, Known, Ref, Symbol, SymbolicText, Unknown, Value

HEAD = """
Parameters:
  Stage: {Type: String, Default: prod}
  Empty: {Type: String, Default: ""}
  NoDefault: {Type: String}
  Subnets: {Type: CommaDelimitedList, Default: "a, b,c"}
  Version: {Type: "AWS::SSM::Parameter::Value<String>", Default: /cdk/version}
Mappings:
  Keys:
    eu-west-1: {Alias: alias/eu}
    us-east-1: {Alias: alias/us}
  Same:
    eu-west-1: {Alias: alias/one}
    us-east-1: {Alias: alias/one}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  NotProd: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Condition NotProd]
  Either: !Or [!Condition IsProd, !Condition NotProd]
  InEu: !Equals [!Ref AWS::Region, eu-west-1]
  LoopA: !Not [!Condition LoopB]
  LoopB: !Not [!Condition LoopA]
Resources:
  Key: {Type: AWS::KMS::Key}
  Value:
    Type: AWS::SSM::Parameter
    Properties:
      Value: {value}
"""


def evaluate(value: str, region: Value[str] = STACK_REGION) -> tuple[Value[Data] | None, Evaluator]:
    parsed = parse_template(HEAD.replace("{value}", value), "t.yaml")
    assert isinstance(parsed, Template)
    ev = Evaluator(Stack(parsed, "t.yaml#", region=region))
    properties = parsed.resources["Value"]["Properties"]
    assert isinstance(properties, dict)
    return ev.value(properties["Value"]), ev


def known(value: str, region: Value[str] = STACK_REGION) -> Data:
    result, ev = evaluate(value, region)
    assert not ev.errors, ev.errors
    assert isinstance(result, Known), result
    return result.value


EU = Known("eu-west-1")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain", "plain"),
        ("!Ref Stage", "prod"),
        ("!Ref Empty", ""),
        ("!Ref Subnets", ["a", "b", "c"]),
        ("!Ref Key", Ref("t.yaml#Key", "Ref")),
        ("!GetAtt Key.Arn", Ref("t.yaml#Key", "Arn")),
        ("!GetAtt [Key, KeyId]", Ref("t.yaml#Key", "KeyId")),
        ("!Ref AWS::AccountId", SymbolicText((Symbol.CURRENT_ACCOUNT,))),
        ("!Ref AWS::Partition", SymbolicText((Symbol.CURRENT_PARTITION,))),
        (
            "!Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'",
            SymbolicText(
                ("arn:", Symbol.CURRENT_PARTITION, ":iam::", Symbol.CURRENT_ACCOUNT, ":root")
            ),
        ),
        ("!Sub 'alias/${Stage}-nb'", "alias/prod-nb"),
        ("!Sub 'a-${!Literal}'", "a-${Literal}"),
        ("!Sub ['alias/${Name}', {Name: !Ref Stage}]", "alias/prod"),
        ("!Join ['/', [alias, !Ref Stage]]", "alias/prod"),
        ("!Join ['', []]", ""),
        ("!Select [1, [a, b]]", "b"),
        ("!Select ['0', !Split [',', 'x,y']]", "x"),
        ("!Base64 abc", "YWJj"),
        ("!If [IsProd, on-prod, off-prod]", "on-prod"),
        ("!If [NotProd, on-prod, off-prod]", "off-prod"),
        ("!If [Both, on-prod, off-prod]", "off-prod"),
        ("!If [Either, on-prod, off-prod]", "on-prod"),
        ("!Equals [a, a]", True),
        ("!FindInMap [Same, !Ref AWS::Region, Alias]", "alias/one"),
        ("[a, !Ref AWS::NoValue, b]", ["a", "b"]),
        ("{A: 1, B: !Ref AWS::NoValue}", {"A": 1}),
    ],
)
def test_known_values(value: str, expected: Data) -> None:
    assert known(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("!Ref AWS::Region", "eu-west-1"),
        ("!Ref AWS::Partition", "aws"),
        ("!Ref AWS::URLSuffix", "amazonaws.com"),
        ("!FindInMap [Keys, !Ref AWS::Region, Alias]", "alias/eu"),
        ("!If [InEu, eu, elsewhere]", "eu"),
    ],
)
def test_values_of_a_known_region(value: str, expected: Data) -> None:
    assert known(value, EU) == expected


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("!Ref NoDefault", "parameter NoDefault has no value"),
        ("!Ref Version", "read from SSM Parameter Store"),
        ("!Ref AWS::Region", "AWS::Region"),
        ("!Ref AWS::URLSuffix", "AWS::URLSuffix depends on the stack's region"),
        ("!Ref AWS::StackName", "chosen when the stack is deployed"),
        ("!FindInMap [Keys, !Ref AWS::Region, Alias]", "Fn::FindInMap Keys"),
        ("!If [InEu, a, b]", "condition InEu"),
        ("!ImportValue shared-Key", "Fn::ImportValue shared-Key"),
        ("!GetAZs ''", "Fn::GetAZs"),
        ("!Split [',', !Ref AWS::Region]", "Fn::Split"),
    ],
)
def test_unknown_values_name_the_missing_input(value: str, why: str) -> None:
    result, ev = evaluate(value)
    assert not ev.errors
    assert isinstance(result, Unknown), result
    assert why in result.why


def test_a_string_with_holes_keeps_its_literal_pieces() -> None:
    result, _ = evaluate("!Sub 'arn:${AWS::Partition}:kms:${AWS::Region}:1:alias/aws/x'")
    assert isinstance(result, Partial)
    assert [p for p in result.parts if isinstance(p, str)] == [
        "arn:",
        ":kms:",
        ":1:alias/aws/x",
    ]


def test_the_same_value_on_both_branches_needs_no_condition() -> None:
    assert known("!If [InEu, same, same]") == "same"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("!Lookup [a, b]", "unknown intrinsic function Fn::Lookup"),
        ("!Ref Nothing", "Ref to Nothing, which is not a parameter or resource"),
        ("!GetAtt Nothing.Arn", "Fn::GetAtt of Nothing, which is not a resource"),
        ("!Sub '${Nothing}'", "Fn::Sub to Nothing"),
        ("!If [Missing, a, b]", "condition Missing is not defined"),
        ("!If [LoopA, a, b]", "circular condition: LoopA -> LoopB -> LoopA"),
        ("!Select [5, [a]]", "Fn::Select index 5 is out of range"),
        ("!FindInMap [Keys, nowhere, Alias]", "Keys has no key nowhere"),
        ("!FindInMap [Nope, a, b]", "mapping Nope is not defined"),
        ("!Ref AWS::Nothing", "unknown pseudo parameter AWS::Nothing"),
    ],
)
def test_what_cloudformation_rejects_is_an_input_error(value: str, message: str) -> None:
    result, ev = evaluate(value)
    assert isinstance(result, Unknown)
    assert len(ev.errors) == 1
    assert message in ev.errors[0].message
    assert ev.errors[0].path == "t.yaml"
    assert ev.errors[0].line is not None


def test_parameters_given_override_defaults() -> None:
    parsed = parse_template(HEAD.replace("{value}", "!Ref Stage"), "t.yaml")
    assert isinstance(parsed, Template)
    ev = Evaluator(Stack(parsed, "t.yaml#", {"Stage": "dev"}))
    properties = parsed.resources["Value"]["Properties"]
    assert isinstance(properties, dict)
    assert ev.value(properties["Value"]) == Known("dev")
