"""Wildcards, unknown values and policy variables (pullguard.evaluate.iam_glob).

Each case cites the AWS documentation statement it follows.
"""
import pytest

from pullguard.evaluate.iam import Context, Policy, Request, evaluate
from pullguard.evaluate.iam_glob import compile_pattern, match, pattern_from_value
from pullguard.values import ALNUM, Hole, Partial, Ref, Unknown

# --- AWS documentation statements cited by the cases ------------------------
ACTION_WC = ("IAM JSON policy elements: Action - 'You can use wildcards (* or ?) in the action'; "
             "'action names are not case sensitive'")
RES_WC = ("IAM JSON policy elements: Resource - 'You can use wildcard characters (* and ?) within "
          "any ARN segment'; ARNs are case sensitive")
RES_SPAN = "IAM JSON policy elements: Resource - a * in a segment matches across ':' and '/' (e.g. arn:aws:s3:::bucket/*)"
LITERAL = "Condition operators: StringLike - only * and ? are wildcards, every other character is literal"
VAR_DOC = ("IAM policy elements: Variables and tags - variables are replaced by request values; "
           "${*}, ${?}, ${$} stand for the literal characters; 'There is no equal or like value' "
           "for a key that is not present; default values ${key, 'default'}")
VAR_VERSION = ("IAM policy elements: Variables - 'you must specify ... Version 2012-10-17'; with "
               "2008-10-17 the ${...} text is treated literally")

SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:"
SHAPED = Partial((SECRET + "dockerhub-", Hole("random suffix", 6, 6, ALNUM)))

GLOB_CASES = [
    # pattern, value, ignore_case, expected, doc
    ("ecr:*", "ecr:BatchGetImage", True, True, ACTION_WC),
    ("ECR:batchgetimage", "ecr:BatchGetImage", True, True, ACTION_WC),
    ("ecr:Get*", "ecr:BatchGetImage", True, False, ACTION_WC),
    ("ecr:?atchGetImage", "ecr:BatchGetImage", True, True, ACTION_WC),
    ("ecr:*Image", "ecr:BatchGetImage", True, True, ACTION_WC),
    ("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/key", False, False, RES_WC),
    ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b/c", False, True, RES_SPAN),
    ("arn:aws:*", "arn:aws:ecr:us-east-1:1:repository/x", False, True, RES_SPAN),
    ("arn:aws:ecr:*:123456789012:repository/app", "arn:aws:ecr:eu-west-1:123456789012:repository/app", False, True, RES_WC),
    ("arn:aws:ecr:??-east-1:*", "arn:aws:ecr:us-east-1:1:repository/x", False, True, RES_WC),
    ("arn:aws:ecr:?-east-1:*", "arn:aws:ecr:us-east-1:1:repository/x", False, False, RES_WC),
    ("a.c", "abc", False, False, LITERAL),
    ("a+c", "aac", False, False, LITERAL),
    ("a(b)", "a(b)", False, True, LITERAL),
    ("a[bc]", "ab", False, False, LITERAL),
    ("a[bc]", "a[bc]", False, True, LITERAL),
    ("^a$", "^a$", False, True, LITERAL),
    ("*", "", False, True, RES_WC),
]


@pytest.mark.parametrize("pattern,value,ic,expected,doc", GLOB_CASES)
def test_glob(pattern, value, ic, expected, doc):
    assert match(compile_pattern(pattern, True, ic), value) is expected, doc


PARTIAL_DOC = ("Secrets Manager: a secret ARN ends in '-' and six random characters; IAM Resource "
               "wildcards - a pattern decides only if it matches every (or no) possible ARN")
PARTIAL_CASES = [
    (SECRET + "dockerhub-??????", SHAPED, True),
    (SECRET + "dockerhub-*", SHAPED, True),
    (SECRET + "dockerhub*", SHAPED, True),
    ("*", SHAPED, True),
    (SECRET + "*", SHAPED, True),
    (SECRET + "dockerhub", SHAPED, False),
    (SECRET + "dockerhub-?????", SHAPED, False),
    (SECRET + "dockerhub-???????", SHAPED, False),
    (SECRET + "other-*", SHAPED, False),
    (SECRET + "dockerhub-abcdef", SHAPED, None),
    (SECRET + "dockerhub-a*", SHAPED, None),
    (SECRET + "dockerhub-!!!!!!", SHAPED, False),  # '!' is not in the hole's charset
    ("arn:aws:secretsmanager:*:123456789012:secret:x-*",
     Partial(("arn:aws:secretsmanager:", Hole("region", 1, None), ":123456789012:secret:x-", Hole("s", 6, 6, ALNUM))), True),
    ("arn:aws:secretsmanager:us-east-1:123456789012:secret:x-*",
     Partial(("arn:aws:secretsmanager:", Hole("region", 1, None), ":123456789012:secret:x-", Hole("s", 6, 6, ALNUM))), None),
    ("arn:aws:secretsmanager:us-east-1:*:secret:x-*",
     Partial(("arn:aws:secretsmanager:us-east-1:", Hole("account", 12, 12, "0123456789"), ":secret:y-abc")), False),
]


@pytest.mark.parametrize("pattern,value,expected", PARTIAL_CASES)
def test_partial(pattern, value, expected):
    assert match(compile_pattern(pattern), value) is expected, PARTIAL_DOC


REF_DOC = ("Terraform: a value known after apply; equal references denote the same value, "
           "different resources' ARNs differ; a Ref's shape decides plain patterns")
REF_A = Ref("aws_secretsmanager_secret.reg", "arn", shape=SHAPED)
REF_B = Ref("aws_secretsmanager_secret.other", "arn")
REF_CASES = [
    (REF_A, REF_A, True),
    (Ref("aws_secretsmanager_secret.reg", "arn"), REF_A, True),   # shape is not part of equality
    (REF_B, REF_A, False),
    (SECRET + "dockerhub-*", REF_A, True),                       # via shape
    (SECRET + "dockerhub", REF_A, False),
    (SECRET + "dockerhub-*", REF_B, None),                       # no shape: undecided
    ("*", REF_B, True),
    ("*", Unknown("arn of x"), True),
    ("arn:aws:s3:::b", Unknown("arn of x"), None),
    (Unknown("policy resource"), "arn:aws:s3:::b", None),
    (REF_A, SECRET + "dockerhub-abcdef", None),                   # pattern side unknown text
    (REF_A, SECRET + "other-abcdef", False),
    (SHAPED, SHAPED, True),                                       # the same Partial is the same value
]


@pytest.mark.parametrize("pattern,value,expected", REF_CASES)
def test_refs(pattern, value, expected):
    assert match(pattern_from_value(pattern, True, False), value) is expected, REF_DOC


def test_undecided_names_the_fact():
    missing = []
    assert match(compile_pattern(SECRET + "dockerhub-abcdef"), SHAPED, missing) is None
    assert missing == ["random suffix"], PARTIAL_DOC


# --- policy variables in Resource ------------------------------------------
ROLE = "arn:aws:iam::123456789012:role/exec"
BUCKET = "arn:aws:s3:::home/"


def _decide(resource_pattern, resource, ctx=None, version="2012-10-17"):
    doc = {"Version": version, "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                               "Resource": resource_pattern}]}
    return evaluate(Request(ROLE, "s3:GetObject", resource, context=ctx or Context()),
                    [Policy("p", doc)]).outcome


VAR_CASES = [
    (BUCKET + "${aws:username}/*", BUCKET + "alice/x", Context({"aws:username": "alice"}), "2012-10-17", "allow"),
    (BUCKET + "${aws:username}/*", BUCKET + "bob/x", Context({"aws:username": "alice"}), "2012-10-17", "deny"),
    (BUCKET + "${aws:username}/*", BUCKET + "alice/x", Context(absent={"aws:username"}), "2012-10-17", "deny"),
    (BUCKET + "${aws:username}/*", BUCKET + "alice/x", Context(), "2012-10-17", "undecided"),
    (BUCKET + "${aws:PrincipalTag/team}/*", BUCKET + "red/x", Context({"aws:PrincipalTag/team": "red"}), "2012-10-17", "allow"),
    (BUCKET + "${aws:PrincipalTag/team, 'shared'}/*", BUCKET + "shared/x", Context(), "2012-10-17", "allow"),
    (BUCKET + "${*}", BUCKET + "*", Context(), "2012-10-17", "allow"),
    (BUCKET + "${*}", BUCKET + "x", Context(), "2012-10-17", "deny"),
    (BUCKET + "${?}", BUCKET + "?", Context(), "2012-10-17", "allow"),
    (BUCKET + "${?}", BUCKET + "x", Context(), "2012-10-17", "deny"),
    (BUCKET + "${$}x", BUCKET + "$x", Context(), "2012-10-17", "allow"),
    (BUCKET + "${aws:PrincipalTag/team}/*", BUCKET + "red/x",
     Context({"aws:PrincipalTag/team": Unknown("tag team of exec")}), "2012-10-17", "undecided"),
    (BUCKET + "${aws:username}", BUCKET + "${aws:username}", Context({"aws:username": "a"}), "2008-10-17", "allow"),
]


@pytest.mark.parametrize("pattern,resource,ctx,version,expected", VAR_CASES)
def test_policy_variables(pattern, resource, ctx, version, expected):
    doc = VAR_VERSION if version != "2012-10-17" else VAR_DOC
    assert _decide(pattern, resource, ctx, version) == expected, doc
