"""HCL and .tf.json parsing into the typed AST: one table per syntax family."""

from __future__ import annotations

import random

import pytest

from cmkguard.errors import InputError
from cmkguard.sources.terraform.ast import (
    Binary,
    Block,
    Call,
    Conditional,
    ConfigFile,
    Expr,
    ForExpr,
    GetAttr,
    Index,
    Literal,
    ObjectExpr,
    Splat,
    SplatItem,
    Template,
    TemplateFor,
    TemplateIf,
    TupleExpr,
    Unary,
    Unsupported,
    Variable,
)
from cmkguard.sources.terraform.hcl import (
    MAX_FILE_BYTES,
    parse_expression,
    parse_hcl_file,
    parse_template,
)
from cmkguard.sources.terraform.readers import parse_file
from cmkguard.sources.terraform.tfjson import parse_json_file, parse_tfvars_json

# Expected trees are written with line 1 everywhere (single-line expressions).


def lit(value: str | int | float | bool | None) -> Literal:
    return Literal(value, 1)


def var(name: str) -> Variable:
    return Variable(name, 1)


def attr(obj: Expr, *names: str) -> Expr:
    for name in names:
        obj = GetAttr(obj, name, 1)
    return obj


def ref(path: str) -> Expr:
    root, *rest = path.split(".")
    return attr(var(root), *rest)


def idx(obj: Expr, key: Expr) -> Index:
    return Index(obj, key, 1)


def binop(op: str, left: Expr, right: Expr) -> Binary:
    return Binary(op, left, right, 1)


def tmpl(*parts: str | Expr | TemplateIf | TemplateFor) -> Template:
    return Template(tuple(parts), 1)


def parse_ok(text: str) -> Expr:
    expr, errors = parse_expression(text, "t.tf")
    assert errors == []
    assert expr is not None
    return expr


def file_ok(source: str, path: str = "main.tf") -> ConfigFile:
    parsed, errors = parse_file(source.encode(), path)
    assert errors == []
    assert parsed is not None
    return parsed


EXPRESSIONS: list[tuple[str, Expr]] = [
    # literals
    ("1", lit(1)),
    ("1.5", lit(1.5)),
    ("1.0", lit(1)),
    ("2.5e-1", lit(0.25)),
    ("true", lit(True)),
    ("false", lit(False)),
    ("null", lit(None)),
    ('"plain"', lit("plain")),
    ('""', lit("")),
    # traversals
    ("var.key", ref("var.key")),
    ("aws_kms_key.k.arn", ref("aws_kms_key.k.arn")),
    ("a[0]", idx(var("a"), lit(0))),
    ("a.0", idx(var("a"), lit(0))),
    ('a["k"].b', attr(idx(var("a"), lit("k")), "b")),
    ("a[0].b.1", idx(attr(idx(var("a"), lit(0)), "b"), lit(1))),
    ("f(x).y", attr(Call("f", (var("x"),), False, 1), "y")),
    ("(a).b", ref("a.b")),
    ("[1, 2][0]", idx(TupleExpr((lit(1), lit(2)), 1), lit(0))),
    # splats
    ("a[*].b", Splat(var("a"), attr(SplatItem(1), "b"), 1)),
    ("a.*.b", Splat(var("a"), attr(SplatItem(1), "b"), 1)),
    ("a[*]", Splat(var("a"), SplatItem(1), 1)),
    ("a.b[*].c[0]", Splat(ref("a.b"), idx(attr(SplatItem(1), "c"), lit(0)), 1)),
    ("a.*.b.c", Splat(var("a"), attr(SplatItem(1), "b", "c"), 1)),
    # .* takes attribute steps only: the index applies to the splat result
    ("a.*.b[0]", idx(Splat(var("a"), attr(SplatItem(1), "b"), 1), lit(0))),
    # collections
    ("[]", TupleExpr((), 1)),
    ("[1, 2,]", TupleExpr((lit(1), lit(2)), 1)),
    ("{}", ObjectExpr((), 1)),
    (
        '{a = 1, "b": 2, (c) = 3, "k${x}" = 4}',
        ObjectExpr(
            (
                (lit("a"), lit(1)),
                (lit("b"), lit(2)),
                (var("c"), lit(3)),
                (tmpl("k", var("x")), lit(4)),
            ),
            1,
        ),
    ),
    ("{a.b = 1}", ObjectExpr(((ref("a.b"), lit(1)),), 1)),
    # calls
    ("f()", Call("f", (), False, 1)),
    ("f(1, [2]...)", Call("f", (lit(1), TupleExpr((lit(2),), 1)), True, 1)),
    ("provider::aws::arn_parse(x)", Call("provider::aws::arn_parse", (var("x"),), False, 1)),
    # operators and precedence
    ("-1", Unary("-", lit(1), 1)),
    ("!a.b", Unary("!", ref("a.b"), 1)),
    ("a + b * c", binop("+", var("a"), binop("*", var("b"), var("c")))),
    ("a - b - c", binop("-", binop("-", var("a"), var("b")), var("c"))),
    ("(a + b) * c", binop("*", binop("+", var("a"), var("b")), var("c"))),
    ("a || b && c", binop("||", var("a"), binop("&&", var("b"), var("c")))),
    ("a == b != c", binop("!=", binop("==", var("a"), var("b")), var("c"))),
    (
        "a < b == c >= d",
        binop("==", binop("<", var("a"), var("b")), binop(">=", var("c"), var("d"))),
    ),
    ("a % 2 / 3", binop("/", binop("%", var("a"), lit(2)), lit(3))),
    ("!a && b", binop("&&", Unary("!", var("a"), 1), var("b"))),
    ("-a * b", binop("*", Unary("-", var("a"), 1), var("b"))),
    ('a.b == "x"', binop("==", ref("a.b"), lit("x"))),
    # conditionals are right-associative in HCL (tree-sitter-hcl 1.2 groups them left)
    ("a ? b : c", Conditional(var("a"), var("b"), var("c"), 1)),
    (
        "a ? 1 : b ? 2 : c ? 3 : 4",
        Conditional(
            var("a"),
            lit(1),
            Conditional(var("b"), lit(2), Conditional(var("c"), lit(3), lit(4), 1), 1),
            1,
        ),
    ),
    (
        "(a ? 1 : b) ? 2 : 3",
        Conditional(Conditional(var("a"), lit(1), var("b"), 1), lit(2), lit(3), 1),
    ),
    (
        "a ? 1 : (b ? 2 : c) ? 3 : 4",
        Conditional(
            var("a"),
            lit(1),
            Conditional(Conditional(var("b"), lit(2), var("c"), 1), lit(3), lit(4), 1),
            1,
        ),
    ),
    ("a == b ? c : d", Conditional(binop("==", var("a"), var("b")), var("c"), var("d"), 1)),
    # for expressions
    ("[for v in l : v]", ForExpr(None, "v", var("l"), None, var("v"), None, False, 1)),
    (
        "[for k, v in m : v if k != 0]",
        ForExpr("k", "v", var("m"), None, var("v"), binop("!=", var("k"), lit(0)), False, 1),
    ),
    ("{for x in l : x => x}", ForExpr(None, "x", var("l"), var("x"), var("x"), None, False, 1)),
    (
        "{for k, v in m : v => k... if v}",
        ForExpr("k", "v", var("m"), var("v"), var("k"), var("v"), True, 1),
    ),
    # parentheses vanish
    ("((1))", lit(1)),
]


@pytest.mark.parametrize(("source", "expected"), EXPRESSIONS, ids=[s for s, _ in EXPRESSIONS])
def test_expressions(source: str, expected: Expr) -> None:
    assert parse_ok(source) == expected


TEMPLATES: list[tuple[str, Expr]] = [
    # quoted strings and escapes
    (r'"a\nb\tc\r\"q\" \\"', lit('a\nb\tc\r"q" \\')),
    (r'"\u00e9\U0001F600"', lit("é😀")),
    ('"$${not} %%{either}"', lit("${not} %{either}")),
    ('"$$ and $ and %"', lit("$$ and $ and %")),
    # whitespace between template nodes is kept (tree-sitter drops it; we cut from bytes)
    ('"a b ${x} c  d"', tmpl("a b ", var("x"), " c  d")),
    ('"${x}"', tmpl(var("x"))),
    ('"${x}${y}"', tmpl(var("x"), var("y"))),
    (
        '"arn:aws:kms:${var.region}:${local.acct}:alias/aws/sagemaker"',
        tmpl("arn:aws:kms:", ref("var.region"), ":", ref("local.acct"), ":alias/aws/sagemaker"),
    ),
    (r'"x\n${y}"', tmpl("x\n", var("y"))),
    # strip markers
    ('"a  ${~ x ~}  b"', tmpl("a", var("x"), "b")),
    ('"a  ${~x}  b"', tmpl("a", var("x"), "  b")),
    ('"a  ${x~}  b"', tmpl("a  ", var("x"), "b")),
    # directives
    (
        '"%{ if c }yes%{ else }no%{ endif }"',
        tmpl(TemplateIf(var("c"), ("yes",), ("no",), 1)),
    ),
    ('"%{ if c }yes%{ endif }"', tmpl(TemplateIf(var("c"), ("yes",), (), 1))),
    (
        '"%{ if c ~}  yes  %{~ else ~}  no  %{~ endif }"',
        tmpl(TemplateIf(var("c"), ("yes",), ("no",), 1)),
    ),
    (
        '"%{ for k, v in m ~} ${k}=${v} %{~ endfor }"',
        tmpl(TemplateFor("k", "v", var("m"), (var("k"), "=", var("v")), 1)),
    ),
    (
        '"<%{ for v in l }[${v}]%{ endfor }>"',
        tmpl("<", TemplateFor(None, "v", var("l"), ("[", var("v"), "]"), 1), ">"),
    ),
    (
        '"%{ for v in l }%{ if v }x%{ endif }%{ endfor }"',
        tmpl(TemplateFor(None, "v", var("l"), (TemplateIf(var("v"), ("x",), (), 1),), 1)),
    ),
]


@pytest.mark.parametrize(("source", "expected"), TEMPLATES, ids=[s for s, _ in TEMPLATES])
def test_quoted_templates(source: str, expected: Expr) -> None:
    assert parse_ok(source) == expected


def heredoc_value(source: str) -> Expr:
    parsed = file_ok(source)
    return parsed.body.attributes["v"].expr


HEREDOCS: list[tuple[str, list[str | type]]] = [
    ("v = <<EOT\n  a\n    b\nEOT\n", ["  a\n    b\n"]),
    ("v = <<-EOT\n  a\n    b\n  EOT\n", ["a\n  b\n"]),
    # blank and whitespace-only lines do not count towards the common indent and, as in
    # hclsyntax, keep their own whitespace
    ("v = <<-EOT\n    a\n\n      \n    b\nEOT\n", ["a\n\n      \nb\n"]),
    # a line starting with an interpolation has indent 0: nothing is removed
    ("v = <<-EOT\n  a\n${x}\nEOT\n", ["  a\n", Variable, "\n"]),
    ("v = <<-EOT\n    a ${x}\n      b\n    EOT\n", ["a ", Variable, "\n  b\n"]),
    ("v = <<EOT\nEOT\n", [""]),
    # heredocs do not decode backslash escapes, only $${ and %%{
    ('v = <<EOT\na\\nb "q" $${x}\nEOT\n', ['a\\nb "q" ${x}\n']),
    # the JSON policy shape seen in real configurations
    (
        'v = <<-POLICY\n  {\n    "Version": "2012-10-17"\n  }\n  POLICY\n',
        ['{\n  "Version": "2012-10-17"\n}\n'],
    ),
    (
        "v = <<EOT\n%{ for s in l ~}\n- ${s}\n%{ endfor ~}\nEOT\n",
        [TemplateFor],
    ),
]


@pytest.mark.parametrize(("source", "shape"), HEREDOCS, ids=[s for s, _ in HEREDOCS])
def test_heredocs(source: str, shape: list[str | type]) -> None:
    value = heredoc_value(source)
    if isinstance(value, Literal):
        parts: tuple[object, ...] = (value.value,)
    else:
        assert isinstance(value, Template)
        parts = value.parts
    assert len(parts) == len(shape)
    for part, want in zip(parts, shape, strict=True):
        if isinstance(want, str):
            assert part == want
        else:
            assert isinstance(part, want)


def test_heredoc_for_strips_like_terraform() -> None:
    value = heredoc_value("v = <<EOT\n%{ for s in l ~}\n- ${s}\n%{ endfor ~}\nEOT\n")
    assert value == Template(
        (TemplateFor(None, "s", Variable("l", 2), ("- ", Variable("s", 3), "\n"), 2),), 1
    )


def test_blocks_labels_lines_and_file() -> None:
    parsed = file_ok(
        "# header\n"
        'resource "aws_sagemaker_notebook_instance" nb {\n'
        '  kms_key_id = "x"\n'
        "\n"
        "  lifecycle {\n"
        "    ignore_changes = [tags]\n"
        "  }\n"
        "}\n"
        "locals {}\n"
        'module "m" { source = "./m" }\n',
        path="mods/main.tf",
    )
    resource, local_block, module = parsed.body.blocks
    assert (resource.type, resource.labels, resource.line, resource.file) == (
        "resource",
        ("aws_sagemaker_notebook_instance", "nb"),
        2,
        "mods/main.tf",
    )
    assert resource.body.attributes["kms_key_id"].line == 3
    (lifecycle,) = resource.body.blocks_of_type("lifecycle")
    assert lifecycle.line == 5
    assert lifecycle.file == "mods/main.tf"
    assert lifecycle.body.attributes["ignore_changes"].expr == TupleExpr((Variable("tags", 6),), 6)
    assert (local_block.type, local_block.labels, local_block.body.attributes) == ("locals", (), {})
    assert module.body.attributes["source"].expr == Literal("./m", 10)


def test_label_escapes() -> None:
    parsed = file_ok('thing "a\\"b" {}\n')
    assert parsed.body.blocks[0].labels == ('a"b',)


def test_comments_are_collected_with_lines() -> None:
    parsed = file_ok(
        "# one\n"
        'resource "x" "y" { // two\n'
        "  a = 1 /* three */\n"
        "  /* four\n"
        "     spans */\n"
        '  b = "# not a comment"\n'
        "}\n"
    )
    assert parsed.comments == (
        (1, "# one"),
        (2, "// two"),
        (3, "/* three */"),
        (4, "/* four\n     spans */"),
    )


def test_comments_inside_expressions_are_ignored() -> None:
    parsed = file_ok("a = [\n  1, # first\n  2, // second\n]\nb = f(/* x */ 1)\n")
    assert parsed.body.attributes["a"].expr == TupleExpr((Literal(1, 2), Literal(2, 3)), 1)
    assert parsed.body.attributes["b"].expr == Call("f", (Literal(1, 5),), False, 5)


def test_duplicate_attribute_is_unknown_and_reported() -> None:
    parsed, errors = parse_hcl_file(b"a = 1\nb = 2\na = 3\n", "d.tf")
    assert parsed is not None
    why = "Attribute redefined: 'a' is set at lines 1 and 3; Terraform rejects this configuration"
    assert parsed.body.attributes["a"].expr == Unsupported(why, 1, rejected=True)
    assert errors == [InputError("d.tf", 3, why)]


def test_multiline_expression_lines() -> None:
    parsed = file_ok('a = {\n  k = var.x\n  j = "${local.y}"\n}\n')
    value = parsed.body.attributes["a"].expr
    assert isinstance(value, ObjectExpr)
    (k_key, k_value), (j_key, j_value) = value.items
    assert (k_key.line, k_value.line, j_key.line, j_value.line) == (2, 2, 3, 3)


BAD_FILES: list[tuple[bytes, int | None, str]] = [
    (b"a = }\n", 1, "syntax error: unexpected '}'"),
    (b'resource "x" "y" {\n  a = 1\n', 3, "syntax error: unexpected end of file, missing '}'"),
    (b'a = 1\nb = "x\n', 3, "syntax error: unexpected end of file, missing '\"'"),
    (b"a = [1, 2\n", 2, "syntax error: unexpected end of file, missing ']'"),
    (b"a = 1\n}\n", 2, "syntax error: unexpected '}'"),
    (b"x = 1 2\n", 1, "syntax error: unexpected '2'"),
    (b"locals {\n  a = f(\n}\n", 2, "syntax error: unexpected '('"),
    (b'a = "\\q"\n', 1, "syntax error"),
    (b'{"a": 1}\n', 1, "expected attributes and blocks, found a JSON-style object"),
    (b"a = 1\nb = \xff\n", 2, "not valid UTF-8: byte 0xff cannot be decoded"),
    # accepted by the tree-sitter grammar, rejected by Terraform: checked after parsing
    (b"a = 0x1F\n", 1, "syntax error: hexadecimal number 0x1F (not valid Terraform)"),
    (b"a = {\n  b = 1 c = 2\n}\n", 2, "syntax error: missing comma or newline"),
    (b"a = 1 b = 2\n", 1, "syntax error: each argument and block must start on a new line"),
    (b"x {} y {}\n", 1, "syntax error: each argument and block must start on a new line"),
    (b"a = 1\n\x00\x01", 2, "binary file: NUL byte, not a Terraform text file"),
]


@pytest.mark.parametrize(
    ("data", "line", "message"), BAD_FILES, ids=[repr(d) for d, _, _ in BAD_FILES]
)
def test_bad_files_give_one_error_and_only_invalid_blocks(
    data: bytes, line: int | None, message: str
) -> None:
    parsed, errors = parse_file(data, "bad.tf")
    # Only the resource heads tree-sitter still sees survive, each marked invalid.
    assert parsed is None or all(
        b.invalid is not None and not b.body.attributes for b in parsed.body.blocks
    )
    assert len(errors) == 1
    assert errors[0].path == "bad.tf"
    assert errors[0].line == line
    assert errors[0].message.startswith(message)


@pytest.mark.parametrize(
    ("text", "value"),
    [("1e3", 1000), ("1E3", 1000), ("1e-3", 0.001), ("1.5e+2", 150), ("2e0", 2)],
)
def test_exponent_without_fraction_parses_as_in_hcl(text: str, value: float) -> None:
    # HCL accepts ``1e3``; the tree-sitter-hcl 1.2 grammar requires a fraction before the
    # exponent, so the grammar is shown a stand-in and the number read from the text.
    expr, errors = parse_expression(text, "t.tf")
    assert errors == []
    assert expr == Literal(value, 1)


def test_single_line_forms_that_terraform_accepts() -> None:
    parsed = file_ok('m "x" { a = 1 }\nb = {c = 1, d = 2}\ne = {\n f = 1\n g = 2 }\nh = 1 # c\n')
    assert set(parsed.body.attributes) == {"b", "e", "h"}


def test_bom_is_accepted() -> None:
    parsed = file_ok("\ufeffa = 1\n")
    assert parsed.body.attributes["a"].expr == Literal(1, 1)


def test_size_limit() -> None:
    data = b"#" * (MAX_FILE_BYTES + 1)
    for path in ("big.tf", "big.tf.json"):
        parsed, errors = parse_file(data, path)
        assert parsed is None
        assert [e.message for e in errors] == ["file is 5.0 MiB, over the 5 MiB limit"]


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    parsed, errors = parse_file(b"a = " + b"[" * 3000 + b"]" * 3000 + b"\n", "deep.tf")
    assert parsed is None
    assert len(errors) == 1


PARSE_EXPRESSION_ERRORS = ["1 2", "1\nb = 2", "", "a = 1", "}"]


@pytest.mark.parametrize("text", PARSE_EXPRESSION_ERRORS)
def test_parse_expression_rejects(text: str) -> None:
    expr, errors = parse_expression(text, "--var")
    assert expr is None
    assert len(errors) == 1
    assert errors[0].path == "--var"


def test_parse_expression_line_offset() -> None:
    expr, _ = parse_expression("[\n  var.a,\n]", "x", line=10)
    assert expr == TupleExpr((GetAttr(Variable("var", 11), "a", 11),), 10)


def ref_at(path: str, line: int) -> Expr:
    root, *rest = path.split(".")
    node: Expr = Variable(root, line)
    for name in rest:
        node = GetAttr(node, name, line)
    return node


def test_parse_template_shapes() -> None:
    assert parse_template("plain", "c.tf.json", 7) == (Literal("plain", 7), [])
    assert parse_template("a\\nb", "c.tf.json", 7) == (Literal("a\\nb", 7), [])
    assert parse_template("${aws_kms_key.k.arn}", "c.tf.json", 7) == (
        Template((ref_at("aws_kms_key.k.arn", 7),), 7),
        [],
    )
    assert parse_template("$${x}", "c.tf.json", 7) == (Literal("${x}", 7), [])
    assert parse_template("alias/${var.n}\n", "c.tf.json", 7) == (
        Template(("alias/", ref_at("var.n", 7), "\n"), 7),
        [],
    )
    # every node of a JSON string sits on the string's line, even across escaped newlines
    assert parse_template("a\n\n${x}", "c.tf.json", 7) == (
        Template(("a\n\n", Variable("x", 7)), 7),
        [],
    )
    # the wrapper's heredoc marker inside the text does not end the template early
    assert parse_template("CMKGUARD_EOT\n${x}", "c.tf.json", 3) == (
        Template(("CMKGUARD_EOT\n", Variable("x", 3)), 3),
        [],
    )
    expr, errors = parse_template("${", "c.tf.json", 4)
    assert expr is None
    assert [(e.line, e.message) for e in errors] == [(4, "syntax error in template string '${'")]


# ------------------------------------------------------------------------------------------
# .tf.json

CDKTF = b"""{
  "//": {"metadata": {"backend": "local"}},
  "resource": {
    "aws_sagemaker_notebook_instance": {
      "nb": {
        "name": "x",
        "kms_key_id": "${aws_kms_key.k.arn}",
        "count": 2,
        "provider": "aws.west",
        "depends_on": ["aws_kms_key.k"],
        "tags": {"team": "b-${var.x}"},
        "lifecycle": {"ignore_changes": ["tags"]},
        "ebs": [{"size": 1}, {"size": 2}]
      }
    },
    "aws_kms_key": {"k": [{"description": "a"}, {"description": "b"}]}
  },
  "variable": {"v": {"type": "list(string)", "default": ["a"]}},
  "provider": {"aws": [{"region": "us-east-1"}, {"alias": "west", "region": "us-west-2"}]},
  "locals": {"a": "$${literal}", "n": 1.5, "z": null},
  "module": {"m": {"source": "./m", "providers": {"aws": "aws.west"}}},
  "terraform": {"backend": {"s3": {"bucket": "b"}}}
}
"""


def test_json_blocks_and_labels() -> None:
    parsed = file_ok(CDKTF.decode(), "cdk.tf.json")
    kinds = [(b.type, b.labels, b.line) for b in parsed.body.blocks]
    assert kinds == [
        ("resource", ("aws_sagemaker_notebook_instance", "nb"), 5),
        ("resource", ("aws_kms_key", "k"), 16),
        ("resource", ("aws_kms_key", "k"), 16),
        ("variable", ("v",), 18),
        ("provider", ("aws",), 19),
        ("provider", ("aws",), 19),
        ("locals", (), 20),
        ("module", ("m",), 21),
        ("terraform", (), 22),
    ]
    assert all(b.file == "cdk.tf.json" for b in parsed.body.blocks)


def test_json_attributes() -> None:
    parsed = file_ok(CDKTF.decode(), "cdk.tf.json")
    nb = parsed.body.blocks[0].body
    assert nb.attributes["kms_key_id"].expr == Template((ref_at("aws_kms_key.k.arn", 7),), 7)
    assert nb.attributes["kms_key_id"].line == 7
    assert nb.attributes["count"].expr == Literal(2, 8)
    assert nb.attributes["provider"].expr == ref_at("aws.west", 9)
    assert nb.attributes["depends_on"].expr == TupleExpr((ref_at("aws_kms_key.k", 10),), 10)
    assert nb.attributes["tags"].expr == ObjectExpr(
        ((Literal("team", 11), Template(("b-", ref_at("var.x", 11)), 11)),), 11
    )
    variable = parsed.body.blocks[3].body
    assert variable.attributes["type"].expr == Call("list", (Variable("string", 18),), False, 18)
    local_values = parsed.body.blocks[6].body.attributes
    assert local_values["a"].expr == Literal("${literal}", 20)
    assert local_values["n"].expr == Literal(1.5, 20)
    assert local_values["z"].expr == Literal(None, 20)
    module = parsed.body.blocks[7].body
    assert module.attributes["providers"].expr == ObjectExpr(
        ((Literal("aws", 21), ref_at("aws.west", 21)),), 21
    )


def test_json_objects_are_also_nested_blocks() -> None:
    parsed = file_ok(CDKTF.decode(), "cdk.tf.json")
    nb = parsed.body.blocks[0].body
    (lifecycle,) = nb.blocks_of_type("lifecycle")
    # inside lifecycle, ignore_changes holds traversals, not strings
    assert lifecycle.body.attributes["ignore_changes"].expr == TupleExpr(
        (Variable("tags", 12),), 12
    )
    assert [b.body.attributes["size"].expr for b in nb.blocks_of_type("ebs")] == [
        Literal(1, 13),
        Literal(2, 13),
    ]
    assert nb.blocks_of_type("name") == ()
    (backend,) = parsed.body.blocks[8].body.blocks_of_type("backend")
    assert backend.labels == ("s3",)


def test_json_dynamic_block_takes_a_label() -> None:
    parsed = file_ok(
        '{"resource": {"t": {"n": {"dynamic": {"setting": {"for_each": "${var.s}",'
        ' "content": {"name": "${setting.key}"}}}}}}}',
        "d.tf.json",
    )
    (dynamic,) = parsed.body.blocks[0].body.blocks_of_type("dynamic")
    assert dynamic.labels == ("setting",)
    (content,) = dynamic.body.blocks_of_type("content")
    assert content.body.attributes["name"].expr == Template((ref_at("setting.key", 1),), 1)


BAD_JSON: list[tuple[bytes, int, str]] = [
    (b"{", 1, "invalid JSON: expecting a property name in double quotes"),
    (b'{\n"a": 1,\n}', 3, "invalid JSON: expecting a property name in double quotes"),
    (b'{"a": tru}', 1, "invalid JSON: expecting a value"),
    (b"[]", 1, "invalid JSON: top level must be an object"),
    (b'{}\n{"a": 1}', 2, "invalid JSON: extra data after the JSON value"),
    (b'{"a":\n "x\x01"}', 2, "invalid JSON: Invalid control character at"),
    (b'{\n"locals": {"a": "${"}}', 2, "syntax error in template string"),
]


@pytest.mark.parametrize(
    ("data", "line", "message"), BAD_JSON, ids=[repr(d) for d, _, _ in BAD_JSON]
)
def test_bad_json(data: bytes, line: int, message: str) -> None:
    parsed, errors = parse_json_file(data, "bad.tf.json")
    assert parsed is None
    assert len(errors) == 1
    assert errors[0].line == line
    assert errors[0].message.startswith(message)


def test_json_wrong_block_shape_is_reported_and_skipped() -> None:
    parsed, errors = parse_json_file(b'{\n"resource": 1,\n"locals": {"a": 1}}', "s.tf.json")
    assert parsed is not None
    assert [b.type for b in parsed.body.blocks] == ["locals"]
    assert errors == [InputError("s.tf.json", 2, "resource block must be an object, not a scalar")]


def test_json_duplicate_attribute() -> None:
    parsed, errors = parse_json_file(b'{"locals": {"a": 1,\n "a": 2}}', "s.tf.json")
    assert parsed is not None
    value = parsed.body.blocks[0].body.attributes["a"].expr
    assert isinstance(value, Unsupported)
    assert value.rejected
    assert "Attribute redefined" in value.what
    assert [e.line for e in errors] == [2]


def test_tfvars_json_is_literal() -> None:
    parsed, errors = parse_file(
        b'{\n"key_arn": "${not.a.ref}",\n"n": [1, {"a": true}]}', "x.tfvars.json"
    )
    assert errors == []
    assert parsed is not None
    assert parsed.body.attributes["key_arn"].expr == Literal("${not.a.ref}", 2)
    assert parsed.body.attributes["n"].expr == TupleExpr(
        (Literal(1, 3), ObjectExpr(((Literal("a", 3), Literal(True, 3)),), 3)), 3
    )
    assert parse_tfvars_json(b"[1]", "x.tfvars.json")[0] is None


def test_tfvars_hcl() -> None:
    parsed = file_ok('key_arn = "arn:aws:kms:us-east-1:111122223333:key/abc"\n', "terraform.tfvars")
    assert parsed.body.attributes["key_arn"].expr == Literal(
        "arn:aws:kms:us-east-1:111122223333:key/abc", 1
    )


# ------------------------------------------------------------------------------------------
# Hostile input never raises

SEED_SOURCES = [
    b'resource "aws_sagemaker_notebook_instance" "nb" {\n  kms_key_id = "${var.k}"\n'
    b"  tags = { for k, v in var.t : k => v if v != null }\n"
    b"  x = <<-EOT\n    a ${b ? c : d[0].e[*].f}\n    %{ for i in l ~}${i}%{ endfor }\n  EOT\n}\n",
    CDKTF,
]


@pytest.mark.parametrize("seed", range(6))
def test_mutated_inputs_never_raise(seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 -- reproducible fuzzing, not cryptography
    alphabet = b'{}[]()"$%~<>-=:?!.,*#/\\\n \t\x00\xffabc01'
    for _ in range(150):
        source = bytearray(rng.choice(SEED_SOURCES))
        for _ in range(rng.randint(1, 6)):
            pos = rng.randrange(len(source) + 1)
            action = rng.random()
            if action < 0.4:
                source[pos:pos] = bytes([rng.choice(alphabet)])
            elif action < 0.8:
                del source[pos : pos + rng.randint(1, 4)]
            else:
                source[pos:pos] = source[: rng.randint(0, 40)]
        for path in ("f.tf", "f.tf.json"):
            parsed, errors = parse_file(bytes(source), path)
            assert parsed is not None or len(errors) == 1


def test_every_block_points_at_its_file() -> None:
    parsed = file_ok('a "b" {\n  c {\n    d {}\n  }\n}\n', "x/y.tf")

    def walk(block: Block) -> list[Block]:
        return [block, *(b for inner in block.body.blocks for b in walk(inner))]

    found = [b for top in parsed.body.blocks for b in walk(top)]
    assert [(b.type, b.line, b.file) for b in found] == [
        ("a", 1, "x/y.tf"),
        ("c", 2, "x/y.tf"),
        ("d", 3, "x/y.tf"),
    ]


def test_syntax_error_keeps_resource_heads_marked_invalid() -> None:
    data = b'resource "a" "ok" {\n}\nresource "a" "bad" {\n  x = 1 +\n}\n'
    parsed, errors = parse_hcl_file(data, "s.tf")
    assert [e.line for e in errors] == [4]
    assert parsed is not None
    assert [(b.labels, b.line) for b in parsed.body.blocks] == [(("a", "ok"), 1), (("a", "bad"), 3)]
    assert all(
        b.invalid and "Terraform rejects s.tf: syntax error" in b.invalid
        for b in parsed.body.blocks
    )
