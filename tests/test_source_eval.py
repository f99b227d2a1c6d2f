"""Unit tests of the HCL expression parser and symbolic evaluator (parse/hcl_*.py)."""
from __future__ import annotations

import json

import pytest

from pullguard.parse.hcl_eval import Encoded, Env, evaluate, jsonencode_text
from pullguard.parse.hcl_expr import HclSyntax, parse_expression, unwrap_template
from pullguard.parse.source import load_source
from pullguard.values import Hole, Partial, Ref, Unknown

ARN = Ref("aws_secretsmanager_secret.s", "arn")


def ev(text, **names):
    def roots(name):
        if name in names:
            return names[name]
        raise KeyError(name)
    return evaluate(parse_expression(text), Env(roots))


@pytest.mark.parametrize("text,expected", [
    ('merge({a = 1}, {b = "x"}, {a = 2})', {"a": 2, "b": "x"}),
    ('concat([1], [2, 3])', [1, 2, 3]),
    ('flatten([[1, [2]], 3])', [1, 2, 3]),
    ('lookup({a = 1}, "b", 5)', 5),
    ('try([][0], "fallback")', "fallback"),
    ('coalesce(null, "", "x")', "x"),
    ('format("%s-%d", "a", 5)', "a-5"),
    ('join(",", ["a", "b"])', "a,b"),
    ('tostring(256)', "256"),
    ('tonumber("2.5")', 2.5),
    ('[for k, v in {b = 2, a = 1} : "${k}=${v}" if v > 0]', ["a=1", "b=2"]),
    ('{for s in ["x", "y", "x"] : s => s...}', {"x": ["x", "x"], "y": ["y"]}),
    ('true ? "a" : "b"', "a"),
    ('!false && 1 + 2 * 3 == 7', True),
    ('[{a = 1}, {a = 2}][*].a', [1, 2]),
    ('jsondecode("{\\"a\\": [1, 2.0]}")', {"a": [1, 2]}),
    ('<<-EOT\n    hi ${"x"}\n  EOT\n', "hi x\n"),
])
def test_functions_and_expressions(text, expected):
    assert ev(text) == expected


def test_jsonencode_like_terraform():
    assert ev('jsonencode({b = "<&>", a = [1, 2.5, true, null]})') == \
        '{"a":[1,2.5,true,null],"b":"\\u003c\\u0026\\u003e"}'
    assert jsonencode_text({"z": 1, "a": {"y": 1, "b": 2}}) == '{"a":{"b":2,"y":1},"z":1}'


def test_symbolic_values():
    assert ev("x", x=ARN) == ARN
    assert ev('"${x}:*"', x=ARN) == Partial((Hole("aws_secretsmanager_secret.s.arn"), ":*"))
    enc = ev("jsonencode([{ name = \"a\", p = x }])", x=ARN)
    assert isinstance(enc, Encoded) and enc.value == [{"name": "a", "p": ARN}]
    assert ev("jsondecode(jsonencode({ p = x }))", x=ARN) == {"p": ARN}
    assert ev("x == null ? [] : [x]", x=ARN) == [ARN]  # an ARN is never null
    assert ev("merge({a = x}, {b = 1})", x=ARN) == {"a": ARN, "b": 1}


def test_unknown_never_a_guess_never_an_exception():
    u = Unknown("var.flag")
    assert isinstance(ev("x ? 1 : 2", x=u), Unknown)
    assert isinstance(ev("timestamp()"), Unknown)
    assert isinstance(ev("length(x)", x=u), Unknown)
    assert ev("[1, x]", x=u) == [1, u]
    assert isinstance(ev("x == \"a\"", x=ARN), Unknown)
    assert isinstance(evaluate(("unsup", "why"), Env(lambda n: None)), Unknown)


def test_parser_reads_both_dialects():
    hcl = parse_expression('merge({a = c.name}, c.x == null ? {} : {y = "${c.x}:z"})')
    bc = parse_expression("merge({'a': '${c.name}'},c.x == None ? {} : {'y': '${c.x}:z'})")
    assert hcl == bc
    assert unwrap_template('"a\\"b${x}"') == ("tmpl", ('a"b', ("var", "x")))
    with pytest.raises(HclSyntax):
        parse_expression("a +")


def test_sensitive_attributes_are_not_evaluated(tmp_path):
    (tmp_path / "main.tf").write_text(
        'resource "aws_secretsmanager_secret_version" "v" {\n'
        '  secret_id     = "x"\n'
        '  secret_string = jsonencode({ username = "u", password = "p" })\n'
        '}\n'
        'resource "aws_ssm_parameter" "p" {\n'
        '  name  = "n"\n'
        '  value = "plain"\n'
        '}\n')
    plan = {"resource_changes": [{"address": "aws_ssm_parameter.p",
                                  "change": {"after_sensitive": {"value": True}}}]}
    src = load_source(tmp_path, plan, [])

    class Inst:
        module, mode, index = "", "managed", None

        def __init__(self, type_, name):
            self.type, self.name, self.address = type_, name, f"{type_}.{name}"

    assert src.value(Inst("aws_secretsmanager_secret_version", "v"), "secret_string", None) is None
    assert src.value(Inst("aws_ssm_parameter", "p"), "value", None) is None
    assert src.value(Inst("aws_ssm_parameter", "p"), "name", None) == "n"


def test_no_source_without_config_dir_and_tf_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    warnings = []
    assert load_source(None, {}, warnings) is None and warnings == []
    (tmp_path / "main.tf").write_text('locals {\n  a = 1\n}\n')
    assert load_source(None, {}, warnings) is not None
    json.dumps(warnings)
