"""Condition operators, three-valued, through evaluate() (one Allow statement).

Each case cites the AWS documentation statement it follows.
"""
import pytest

from pullguard.evaluate.iam import Context, Policy, Request, evaluate
from pullguard.values import Unknown

ROLE = "arn:aws:iam::123456789012:role/exec"
ABSENT_FALSE = ("Condition operators: 'If the key that you specify in a policy condition is not present "
                "in the request context, the values do not match and the condition is false'")
ABSENT_NEG = ("Condition operators: 'If the policy condition requires that the key is not matched, such "
              "as StringNotLike or ArnNotLike, and the right key is not present, the condition is true'")
MULTI_VALUES = ("Condition: 'If a single condition operator includes multiple values for a context key, "
                "those values are evaluated using a logical OR'; negated operators: none of the values")
MULTI_KEYS = ("Condition: 'If your Condition element has multiple condition operators, or multiple keys "
              "... the conditions are evaluated using a logical AND'")
STRING = "Condition operators: String - StringEquals exact case sensitive, IgnoreCase variants, Like with * and ?"
ARN = ("Condition operators: ARN - 'Each of the six colon-delimited components of the ARN is checked "
       "separately and each can include wildcards'")
NUMERIC = "Condition operators: Numeric - NumericEquals, NumericLessThan, ... compare numbers"
DATE = "Condition operators: Date - W3C ISO 8601 dates or epoch time"
BOOL = "Condition operators: Boolean - Bool compares to true or false"
IP = ("Condition operators: IP address - CIDR format; 'If you specify an IP address without the "
      "associated routing prefix, IAM uses the default prefix value of /32'")
IFEXISTS = ("Condition operators: ...IfExists - 'If the policy key is present in the context of the "
            "request, process the key as specified in the policy. If the key is not present, evaluate "
            "the condition element as true'")
NULL = "Condition operators: Null - true: the key is absent; false: the key is present"
SETOPS = ("Multi-valued context keys: ForAllValues 'returns true if every context key value matches ... "
          "or if there are no context keys'; ForAnyValue 'at least one ... returns false if no keys'")
RUNTIME = ("Policy evaluation: aws:SourceIp, aws:SourceVpce, aws:CurrentTime, aws:PrincipalOrgID, MFA keys "
           "are only known when the request is made - pullguard leaves them undecided")
RESOURCE_TAGS = ("Secrets Manager actions: GetSecretValue supports aws:ResourceTag/${TagKey} and "
                 "secretsmanager:ResourceTag/tag-key - the secret's tags, known when the plan knows them")
KNOWN = "Global condition keys: aws:PrincipalArn, aws:PrincipalAccount, aws:ResourceAccount, kms:CallerAccount"

C = Context


def _run(cond, ctx=None, version="2012-10-17"):
    doc = {"Version": version, "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                               "Resource": "*", "Condition": cond}]}
    req = Request(ROLE, "s3:GetObject", "arn:aws:s3:::b/k", context=ctx or C())
    return evaluate(req, [Policy("p", doc)])


A, D, U = "allow", "deny", "undecided"
CASES = [
    # condition, context, expected, doc
    ({"StringEquals": {"aws:PrincipalTag/team": "red"}}, C({"aws:PrincipalTag/team": "red"}), A, STRING),
    ({"StringEquals": {"aws:PrincipalTag/team": "red"}}, C({"aws:PrincipalTag/team": "Red"}), D, STRING),
    ({"StringEquals": {"aws:PrincipalTag/team": "re*"}}, C({"aws:PrincipalTag/team": "red"}), D, STRING),
    ({"StringEqualsIgnoreCase": {"aws:PrincipalTag/team": "RED"}}, C({"aws:PrincipalTag/team": "red"}), A, STRING),
    ({"StringNotEquals": {"aws:PrincipalTag/team": "red"}}, C({"aws:PrincipalTag/team": "blue"}), A, STRING),
    ({"StringNotEqualsIgnoreCase": {"aws:PrincipalTag/team": "RED"}}, C({"aws:PrincipalTag/team": "red"}), D, STRING),
    ({"StringLike": {"aws:PrincipalTag/team": "r?d*"}}, C({"aws:PrincipalTag/team": "redteam"}), A, STRING),
    ({"StringNotLike": {"aws:PrincipalTag/team": "r*"}}, C({"aws:PrincipalTag/team": "red"}), D, STRING),
    ({"StringEquals": {"aws:PrincipalTag/team": "red"}}, C(), D, ABSENT_FALSE),
    ({"StringLike": {"aws:PrincipalTag/team": "*"}}, C(), D, ABSENT_FALSE),
    ({"StringNotEquals": {"aws:PrincipalTag/team": "red"}}, C(), A, ABSENT_NEG),
    ({"StringNotLike": {"aws:PrincipalTag/team": "red"}}, C(), A, ABSENT_NEG),
    ({"ArnNotLike": {"aws:SourceArn": "arn:aws:ecs:*"}}, C(absent={"aws:SourceArn"}), A, ABSENT_NEG),
    ({"StringEquals": {"aws:PrincipalTag/team": ["blue", "red"]}}, C({"aws:PrincipalTag/team": "red"}), A, MULTI_VALUES),
    ({"StringNotEquals": {"aws:PrincipalTag/team": ["blue", "red"]}}, C({"aws:PrincipalTag/team": "red"}), D, MULTI_VALUES),
    ({"StringEquals": {"aws:PrincipalTag/team": "red", "aws:PrincipalTag/env": "prod"}},
     C({"aws:PrincipalTag/team": "red", "aws:PrincipalTag/env": "dev"}), D, MULTI_KEYS),
    ({"StringEquals": {"aws:PrincipalTag/team": "red"}, "StringLike": {"aws:PrincipalTag/env": "p*"}},
     C({"aws:PrincipalTag/team": "red", "aws:PrincipalTag/env": "prod"}), A, MULTI_KEYS),
    ({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/*"}}, None, A, ARN),
    ({"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::*:role/exec"}}, None, A, ARN),
    ({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role"}}, None, D, ARN),
    ({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::123456789012:*"}}, None, A, ARN),
    ({"ArnNotEquals": {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/exec"}}, None, D, ARN),
    ({"NumericLessThan": {"s3:max-keys": "10"}}, C({"s3:max-keys": "5"}), A, NUMERIC),
    ({"NumericGreaterThanEquals": {"s3:max-keys": 10}}, C({"s3:max-keys": 5}), D, NUMERIC),
    ({"NumericNotEquals": {"s3:max-keys": "10"}}, C({"s3:max-keys": "10.0"}), D, NUMERIC),
    ({"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}, C({"aws:CurrentTime": "2025-06-01T00:00:00Z"}), A, DATE),
    ({"DateGreaterThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}, C({"aws:CurrentTime": 1748736000}), D, DATE),
    ({"Bool": {"aws:SecureTransport": "true"}}, C({"aws:SecureTransport": True}), A, BOOL),
    ({"Bool": {"aws:SecureTransport": "false"}}, C({"aws:SecureTransport": "true"}), D, BOOL),
    ({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, C({"aws:SourceIp": "203.0.113.7"}), A, IP),
    ({"IpAddress": {"aws:SourceIp": "203.0.113.7"}}, C({"aws:SourceIp": "203.0.113.8"}), D, IP),
    ({"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]}}, C({"aws:SourceIp": "2001:db8::1"}), D, IP),
    ({"StringEqualsIfExists": {"aws:PrincipalTag/team": "red"}}, C(), A, IFEXISTS),
    ({"StringEqualsIfExists": {"aws:PrincipalTag/team": "red"}}, C({"aws:PrincipalTag/team": "blue"}), D, IFEXISTS),
    ({"ArnLikeIfExists": {"aws:SourceArn": "arn:aws:ecs:*"}}, C(absent={"aws:SourceArn"}), A, IFEXISTS),
    ({"Null": {"aws:PrincipalTag/team": "true"}}, C(), A, NULL),
    ({"Null": {"aws:PrincipalTag/team": "false"}}, C(), D, NULL),
    ({"Null": {"aws:PrincipalTag/team": "false"}}, C({"aws:PrincipalTag/team": Unknown("tag")}), A, NULL),
    ({"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}}, C({"aws:TagKeys": ["a"]}), A, SETOPS),
    ({"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}}, C({"aws:TagKeys": ["a", "c"]}), D, SETOPS),
    ({"ForAllValues:StringEquals": {"aws:TagKeys": ["a"]}}, C(), A, SETOPS),
    ({"ForAnyValue:StringEquals": {"aws:TagKeys": ["a"]}}, C({"aws:TagKeys": ["c", "a"]}), A, SETOPS),
    ({"ForAnyValue:StringEquals": {"aws:TagKeys": ["a"]}}, C(), D, SETOPS),
    ({"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["a"]}}, C({"aws:TagKeys": ["a", "b"]}), A, SETOPS),
    ({"ForAllValues:StringLike": {"aws:TagKeys": ["a*"]}}, C({"aws:TagKeys": Unknown("tag keys")}), U, SETOPS),
    # run-time keys: unknown unless given
    ({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, C(), U, RUNTIME),
    ({"StringEquals": {"aws:SourceVpce": "vpce-1"}}, C(), U, RUNTIME),
    ({"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}, C(absent={"aws:SourceVpce"}), A, ABSENT_NEG),
    ({"StringEquals": {"aws:PrincipalOrgID": "o-1"}}, C(), U, RUNTIME),
    ({"StringEquals": {"aws:PrincipalOrgID": "o-1"}}, C({"aws:PrincipalOrgID": "o-1"}), A, RUNTIME),
    ({"Bool": {"aws:MultiFactorAuthPresent": "true"}}, C(), U, RUNTIME),
    ({"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}, C(), U, RUNTIME),
    ({"StringEquals": {"ecr:ResourceTag/x": "y"}}, C(unknown={"ecr:ResourceTag/*"}), U, RUNTIME),
    # a resource's tags: unknown unless the caller knows them (then every other tag key is absent)
    ({"StringEquals": {"secretsmanager:ResourceTag/team": "red"}}, C(), U, RESOURCE_TAGS),
    ({"StringEquals": {"aws:ResourceTag/team": "red"}}, C(), U, RESOURCE_TAGS),
    ({"StringEquals": {"aws:ResourceTag/team": "red"}},
     C({"aws:ResourceTag/team": "red"}, absent={"aws:ResourceTag/*"}), A, RESOURCE_TAGS),
    ({"StringEquals": {"aws:ResourceTag/owner": "red"}},
     C({"aws:ResourceTag/team": "red"}, absent={"aws:ResourceTag/*"}), D, ABSENT_FALSE),
    # keys pullguard derives from the request
    ({"StringEquals": {"aws:PrincipalAccount": "123456789012"}}, None, A, KNOWN),
    ({"StringEquals": {"aws:PrincipalAccount": "210987654321"}}, None, D, KNOWN),
    ({"StringEquals": {"aws:ResourceAccount": "123456789012"}}, None, D, ABSENT_FALSE),  # S3 ARNs carry no account
    ({"StringEquals": {"aws:RequestedRegion": "us-east-1"}}, C({"aws:RequestedRegion": "us-east-1"}), A, KNOWN),
    ({"StringEquals": {"aws:PrincipalTag/team": "red"}}, C({"aws:PrincipalTag/team": Unknown("tag team")}), U, RUNTIME),
    # policy variables in condition values
    ({"StringEquals": {"aws:PrincipalTag/owner": "${aws:PrincipalTag/team}"}},
     C({"aws:PrincipalTag/owner": "red", "aws:PrincipalTag/team": "red"}), A,
     "Variables: 'You can use a policy variable with the String condition operator'"),
    ({"StringEquals": {"aws:PrincipalTag/owner": "${aws:PrincipalTag/team}"}},
     C({"aws:PrincipalTag/owner": "red"}), D, "Variables: a key not present has 'no equal or like value'"),
    ({"StringNotEquals": {"aws:PrincipalTag/owner": "${aws:PrincipalTag/team}"}},
     C({"aws:PrincipalTag/owner": "red"}), A, "Variables: a key not present has 'no equal or like value'"),
]


@pytest.mark.parametrize("cond,ctx,expected,doc", CASES)
def test_condition(cond, ctx, expected, doc):
    assert _run(cond, ctx).outcome == expected, doc


def test_undecided_names_missing_key():
    d = _run({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})
    assert d.undecided and "aws:SourceIp" in d.missing and d.statements, RUNTIME


BAD_CONDITIONS = [
    {"StringEqualz": {"k": "v"}},
    {"NumericLessThan": {"k": "ten"}},
    {"Null": {"k": "maybe"}},
    {"ForSomeValues:StringEquals": {"k": "v"}},
    {"StringEquals": "v"},
    {"IpAddress": {"aws:SourceIp": "not-an-ip"}},
]


@pytest.mark.parametrize("cond", BAD_CONDITIONS)
def test_malformed_condition_is_undecided(cond):
    # IAM JSON policy grammar: an invalid operator or value is a malformed policy (rejected by IAM)
    d = _run(cond, C({"k": "v"}))
    assert d.undecided and any("malformed" in r for r in d.reasons)
