"""Policy evaluation logic: deny/allow, boundaries, resource policies, cross-account, KMS,
trust policies, managed policies, malformed input.

Each case cites the AWS documentation statement it follows.
"""
import json

import pytest

from pullguard.evaluate.iam import (Context, Decision, Policy, Request, StatementRef, can_assume,
                                    evaluate, managed_policy)
from pullguard.values import ALNUM, Hole, Partial, Ref, Unknown

ACCT, OTHER = "123456789012", "210987654321"
ROLE = f"arn:aws:iam::{ACCT}:role/exec"
ROLE_OTHER = f"arn:aws:iam::{OTHER}:role/exec"
SECRET = f"arn:aws:secretsmanager:us-east-1:{ACCT}:secret:reg-AbCdEf"
SECRET_OTHER = f"arn:aws:secretsmanager:us-east-1:{OTHER}:secret:reg-AbCdEf"
KEY = f"arn:aws:kms:us-east-1:{ACCT}:key/1111"
KEY_OTHER = f"arn:aws:kms:us-east-1:{OTHER}:key/1111"
GET = "secretsmanager:GetSecretValue"

DENY_WINS = "Policy evaluation logic: 'An explicit deny in any policy overrides any allows'"
IMPLICIT = ("Policy evaluation logic: 'By default, all requests are implicitly denied'; 'An implicit "
            "denial occurs when there is no applicable Deny statement but also no applicable Allow statement'")
SAME_OR = ("Policy evaluation logic: 'If an action is allowed by an identity-based policy, a resource-based "
           "policy, or both, then AWS allows the action' (same account)")
BOUNDARY = ("Evaluating identity-based policies with permissions boundaries: 'the resulting permissions are "
            "the intersection of the two categories'")
RBP_ROLE = ("Policy evaluation logic, IAM role: 'Resource-based policies that grant permissions to an IAM role "
            "ARN are limited by an implicit deny in a permissions boundary or session policy'")
RBP_SESSION = ("Policy evaluation logic, IAM role session: 'resource-based policies that grant permissions to "
               "an IAM role session ARN ... are not limited by an implicit deny in an identity-based policy, a "
               "permissions boundary, or session policy'")
CROSS = ("Cross-account policy evaluation logic: 'The request is allowed only if both evaluations return a "
         "decision of Allow' (identity-based policy in the trusted account AND resource-based policy in the "
         "trusting account)")
ACCOUNT_PRINCIPAL = ("IAM JSON policy elements: Principal - AWS account principals: an account id or "
                     "arn:aws:iam::ACCOUNT:root 'delegates' to the account; its IAM policies must still allow")
KMS = ("KMS key policies: 'Every KMS key must have exactly one key policy ... no IAM policy can allow access "
       "unless the key policy allows it'; the default key policy statement with Principal "
       "arn:aws:iam::ACCOUNT:root 'allows IAM policies' to grant access")
KMS_VIA = "KMS condition keys: kms:ViaService, kms:CallerAccount, kms:EncryptionContext:SecretARN"
TRI = ("pullguard three-valued logic: an undecided statement makes the result undecided only if it could "
       "change the outcome")
MANAGED = "AWS managed policy AmazonECSTaskExecutionRolePolicy (documents as shipped by moto)"
GRAMMAR = "IAM JSON policy grammar: Statement is an object or a list; Effect, Action/NotAction, Resource/NotResource"
TRUST = ("Role trust policies: 'a role trust policy ... must explicitly allow access for principals'; "
         "Principal {\"Service\": \"ecs-tasks.amazonaws.com\"}")


def doc(*stmts, version="2012-10-17"):
    return {"Version": version, "Statement": list(stmts)}


def st(effect="Allow", action=GET, resource="*", **extra):
    s = {"Effect": effect, "Action": action}
    if resource is not None:
        s["Resource"] = resource
    s.update(extra)
    return s


def ident(*stmts):
    return [Policy("aws_iam_role_policy.exec", doc(*stmts))]


def rpol(*stmts, kind="resource"):
    return Policy("aws_secretsmanager_secret_policy.reg", doc(*stmts), kind)


def req(resource=SECRET, action=GET, principal=ROLE, ctx=None, **kw):
    return Request(principal, action, resource, context=ctx or Context(), **kw)


A, D, U = "allow", "deny", "undecided"
SESSION = f"arn:aws:sts::{ACCT}:assumed-role/exec/task-1"

SCENARIOS = [
    # id, request, identity, resource policy, boundary, key policy, expected, explicit, doc
    ("identity allow", req(), ident(st()), None, None, None, A, False, SAME_OR),
    ("no policies", req(), [], None, None, None, D, False, IMPLICIT),
    ("identity other action", req(), ident(st(action="secretsmanager:List*")), None, None, None, D, False, IMPLICIT),
    ("deny beats allow", req(), ident(st(), st("Deny")), None, None, None, D, True, DENY_WINS),
    ("deny in resource policy", req(), ident(st()),
     rpol(st("Deny", Principal="*")), None, None, D, True, DENY_WINS),
    ("deny in boundary", req(), ident(st()), None,
     Policy("boundary", doc(st(action="*"), st("Deny"))), None, D, True, DENY_WINS),
    ("NotAction allow", req(), ident({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}),
     None, None, None, A, False, "IAM JSON policy elements: NotAction - matches everything except the listed actions"),
    ("NotResource deny other", req(), ident(st(), st("Deny", resource=None, NotResource=SECRET)),
     None, None, None, A, False, "IAM JSON policy elements: NotResource - matches every resource except the listed ones"),
    ("NotResource deny match", req(), ident(st(), st("Deny", resource=None, NotResource="arn:aws:s3:::*")),
     None, None, None, D, True, "IAM JSON policy elements: NotResource"),
    ("resource policy alone (same account, role ARN)", req(), [],
     rpol(st(Principal={"AWS": ROLE})), None, None, A, False, SAME_OR),
    ("resource policy names other role", req(), [],
     rpol(st(Principal={"AWS": f"arn:aws:iam::{ACCT}:role/other"})), None, None, D, False, IMPLICIT),
    ("resource policy star principal", req(), [], rpol(st(Principal="*")), None, None, A, False, SAME_OR),
    ("resource policy account principal needs IAM", req(), [],
     rpol(st(Principal={"AWS": ACCT})), None, None, D, False, ACCOUNT_PRINCIPAL),
    ("resource policy account root + identity", req(), ident(st()),
     rpol(st(Principal={"AWS": f"arn:aws:iam::{ACCT}:root"})), None, None, A, False, ACCOUNT_PRINCIPAL),
    ("boundary intersects identity", req(), ident(st()), None,
     Policy("boundary", doc(st(action="ecr:*"))), None, D, False, BOUNDARY),
    ("boundary allows", req(), ident(st()), None,
     Policy("boundary", doc(st(action="secretsmanager:*"))), None, A, False, BOUNDARY),
    ("boundary alone grants nothing", req(), [], None,
     Policy("boundary", doc(st(action="*"))), None, D, False, BOUNDARY),
    ("role-ARN grant limited by boundary", req(), [], rpol(st(Principal={"AWS": ROLE})),
     Policy("boundary", doc(st(action="ecr:*"))), None, D, False, RBP_ROLE),
    ("role-ARN grant within boundary", req(), [], rpol(st(Principal={"AWS": ROLE})),
     Policy("boundary", doc(st(action="secretsmanager:*"))), None, A, False, RBP_ROLE),
    ("session-ARN grant not limited by boundary", req(session="task-1"), [],
     rpol(st(Principal={"AWS": SESSION})), Policy("boundary", doc(st(action="ecr:*"))), None, A, False, RBP_SESSION),
    ("session-ARN grant, other session", req(session="task-2"), [],
     rpol(st(Principal={"AWS": SESSION})), None, None, D, False, RBP_SESSION),
    ("session-ARN grant, session unknown", req(), [],
     rpol(st(Principal={"AWS": SESSION})), None, None, U, False, RBP_SESSION),
    ("cross-account: both sides", req(SECRET_OTHER), ident(st()),
     rpol(st(Principal={"AWS": ROLE})), None, None, A, False, CROSS),
    ("cross-account: identity only", req(SECRET_OTHER), ident(st()), None, None, None, D, False, CROSS),
    ("cross-account: resource only", req(SECRET_OTHER), [],
     rpol(st(Principal={"AWS": ROLE})), None, None, D, False, CROSS),
    ("cross-account: resource names other account", req(SECRET_OTHER), ident(st()),
     rpol(st(Principal={"AWS": f"arn:aws:iam::{OTHER}:root"})), None, None, D, False, CROSS),
    ("cross-account: account principal + identity", req(SECRET_OTHER), ident(st()),
     rpol(st(Principal={"AWS": ACCT})), None, None, A, False, CROSS),
    ("cross-account: boundary still applies", req(SECRET_OTHER), ident(st()),
     rpol(st(Principal={"AWS": ROLE})), Policy("boundary", doc(st(action="ecr:*"))), None, D, False, CROSS),
    ("unknown resource account: outcomes agree", req(Ref("aws_secretsmanager_secret.reg", "arn")),
     ident(st()), rpol(st(Principal={"AWS": ROLE})), None, None, A, False, CROSS),
    ("unknown resource account: outcomes differ", req(Ref("aws_secretsmanager_secret.reg", "arn")),
     ident(st()), None, None, None, U, False, CROSS),
    # KMS
    ("kms: key policy names role", req(KEY, "kms:Decrypt"), [], None, None,
     rpol(st(action="kms:Decrypt", Principal={"AWS": ROLE}), kind="key"), A, False, KMS),
    ("kms: identity only, key policy silent", req(KEY, "kms:Decrypt"), ident(st(action="kms:Decrypt")), None, None,
     rpol(st(action="kms:*", Principal={"AWS": f"arn:aws:iam::{ACCT}:role/admin"}), kind="key"), D, False, KMS),
    ("kms: delegation to root + identity", req(KEY, "kms:Decrypt"), ident(st(action="kms:Decrypt")), None, None,
     rpol(st(action="kms:*", Principal={"AWS": f"arn:aws:iam::{ACCT}:root"}), kind="key"), A, False, KMS),
    ("kms: delegation to account id + identity", req(KEY, "kms:Decrypt"), ident(st(action="kms:Decrypt")), None, None,
     rpol(st(action="kms:*", Principal={"AWS": ACCT}), kind="key"), A, False, KMS),
    ("kms: delegation without identity", req(KEY, "kms:Decrypt"), [], None, None,
     rpol(st(action="kms:*", Principal={"AWS": f"arn:aws:iam::{ACCT}:root"}), kind="key"), D, False, KMS),
    ("kms: key policy unknown", req(KEY, "kms:Decrypt"), ident(st(action="kms:Decrypt")), None, None, None,
     U, False, KMS),
    ("kms: cross-account key, both sides", req(KEY_OTHER, "kms:Decrypt"), ident(st(action="kms:Decrypt")), None, None,
     rpol(st(action="kms:Decrypt", Principal={"AWS": ACCT}), kind="key"), A, False, KMS),
    ("kms: cross-account key, no identity", req(KEY_OTHER, "kms:Decrypt"), [], None, None,
     rpol(st(action="kms:Decrypt", Principal={"AWS": ROLE}), kind="key"), D, False, KMS),
    ("kms: ViaService matches", req(KEY, "kms:Decrypt", ctx=Context({"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"})),
     ident(st(action="kms:Decrypt")), None, None,
     rpol(st(action="kms:Decrypt", Principal={"AWS": "*"},
             Condition={"StringEquals": {"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com",
                                         "kms:CallerAccount": ACCT}}), kind="key"), A, False, KMS_VIA),
    ("kms: ViaService absent (direct call)", req(KEY, "kms:Decrypt"),
     ident(st(action="kms:Decrypt")), None, None,
     rpol(st(action="kms:Decrypt", Principal={"AWS": "*"},
             Condition={"StringEquals": {"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"}}), kind="key"),
     D, False, KMS_VIA),
    ("kms: encryption context secret ARN", req(KEY, "kms:Decrypt",
                                               ctx=Context({"kms:EncryptionContext:SecretARN": SECRET})),
     [], None, None,
     rpol(st(action="kms:Decrypt", Principal={"AWS": ROLE},
             Condition={"StringLike": {"kms:EncryptionContext:SecretARN": f"arn:aws:secretsmanager:*:{ACCT}:secret:reg-*"}}),
          kind="key"), A, False, KMS_VIA),
    # three-valued combination
    ("undecided deny + allow", req(), ident(st(), st("Deny", Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})),
     None, None, None, U, False, TRI),
    ("undecided allow + deny", req(), ident(st(Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}), st("Deny")),
     None, None, None, D, True, TRI),
    ("undecided allow + definite allow", req(),
     ident(st(Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}), st()), None, None, None, A, False, TRI),
    ("undecided allow only", req(), ident(st(Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})),
     None, None, None, U, False, TRI),
    ("undecided deny, no allow", req(), ident(st("Deny", Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})),
     None, None, None, D, False, TRI),
    ("identity allow on shaped secret", req(Partial((f"arn:aws:secretsmanager:us-east-1:{ACCT}:secret:reg-",
                                                     Hole("suffix", 6, 6, ALNUM)))),
     ident(st(resource=f"arn:aws:secretsmanager:us-east-1:{ACCT}:secret:reg-??????")), None, None, None, A, False, TRI),
    ("identity allow names the Ref", req(Ref("aws_secretsmanager_secret.reg", "arn"), resource_account=ACCT),
     ident(st(resource=Ref("aws_secretsmanager_secret.reg", "arn"))), None, None, None, A, False, TRI),
    ("identity allow names another Ref", req(Ref("aws_secretsmanager_secret.reg", "arn")),
     ident(st(resource=Ref("aws_secretsmanager_secret.other", "arn"))), None, None, None, D, False, TRI),
    ("resource policy principal is the role Ref",
     req(principal=Ref("aws_iam_role.exec", "arn"), principal_account=ACCT, resource_account=ACCT),
     [], rpol(st(Principal={"AWS": Ref("aws_iam_role.exec", "arn")})), None, None, A, False, TRI),
]


@pytest.mark.parametrize("name,request_,identity,resource,boundary,key,expected,explicit,doc",
                         SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_scenario(name, request_, identity, resource, boundary, key, expected, explicit, doc):
    d = evaluate(request_, identity, resource_policy=resource, boundary=boundary, key_policy=key)
    assert d.outcome == expected, (doc, d)
    if expected == D:
        assert d.explicit is explicit, doc
    if expected == U:
        assert d.missing, "an undecided outcome names what is missing"


def test_evidence_names_policy_and_sid():
    # Policy evaluation logic: the matching statement is the evidence
    d = evaluate(req(), ident(st(Sid="ReadRegistrySecret"), st("Deny", Sid="NoSecrets")))
    assert d.statements == (StatementRef("aws_iam_role_policy.exec", "NoSecrets", "Deny"),), DENY_WINS
    d = evaluate(req(), ident(st("Allow", action="ecr:*"), st()))
    assert [s.sid for s in d.statements] == ["#1"], SAME_OR


def test_statement_as_object_and_json_string():
    one = json.dumps({"Version": "2012-10-17", "Statement": st()})
    assert evaluate(req(), [Policy("p", one)]).allowed, GRAMMAR


MALFORMED = [
    "{not json",
    json.dumps([1, 2]),
    {"Version": "2012-10-17"},
    {"Version": "2020-01-01", "Statement": [st()]},
    doc({"Effect": "Permit", "Action": GET, "Resource": "*"}),
    doc({"Effect": "Allow", "Resource": "*"}),
    doc({"Effect": "Allow", "Action": GET, "NotAction": "x:y", "Resource": "*"}),
    doc({"Effect": "Allow", "Action": GET}),
    doc({"Effect": "Allow", "Action": "GetSecretValue", "Resource": "*"}),
    doc({"Effect": "Allow", "Action": [], "Resource": "*"}),
    doc({"Effect": "Allow", "Action": GET, "Resource": "*", "Principal": "*"}),
    doc(st(Condition=["not", "an", "object"])),
    doc(st(resource=42)),
    doc("not a statement"),
]


@pytest.mark.parametrize("bad", MALFORMED)
def test_malformed_identity_policy_is_undecided(bad):
    d = evaluate(req(), [Policy("bad", bad)])
    assert d.undecided and d.reasons and d.missing, GRAMMAR


def test_malformed_policy_still_loses_to_explicit_deny():
    d = evaluate(req(), [Policy("bad", "{"), Policy("ok", doc(st("Deny")))])
    assert d.denied and d.explicit, DENY_WINS


MALFORMED_RESOURCE = [
    doc({"Effect": "Allow", "Action": GET, "Resource": "*"}),            # no Principal
    doc(st(Principal={"Human": "x"})),
    doc(st(Principal=42)),
]


@pytest.mark.parametrize("bad", MALFORMED_RESOURCE)
def test_malformed_resource_policy(bad):
    d = evaluate(req(), [], resource_policy=Policy("r", bad, "resource"))
    assert d.undecided, "IAM JSON policy elements: Principal is required in resource-based policies"


def test_unknown_document_is_undecided():
    d = evaluate(req(), [Policy("aws_iam_policy.x", Unknown("aws_iam_policy.x.policy"))])
    assert d.undecided and "aws_iam_policy.x.policy" in d.missing[0]


def test_malformed_request_action():
    assert evaluate(req(action="GetSecretValue"), ident(st())).undecided


# --- trust policies ---------------------------------------------------------
TRUST_CASES = [
    (doc(st(action="sts:AssumeRole", resource=None, Principal={"Service": "ecs-tasks.amazonaws.com"})), None, A),
    (doc(st(action="sts:AssumeRole", resource=None, Principal={"Service": ["ec2.amazonaws.com", "ecs-tasks.amazonaws.com"]})), None, A),
    (doc(st(action="sts:AssumeRole", resource=None, Principal={"Service": "ecs.amazonaws.com"})), None, D),
    (doc(st(action="sts:*", resource=None, Principal={"Service": "ecs-tasks.amazonaws.com"})), None, A),
    (doc(st(action="sts:AssumeRoleWithWebIdentity", resource=None, Principal={"Federated": "x"})), None, D),
    (doc(st(action="sts:AssumeRole", resource=None, Principal={"AWS": ROLE})), None, D),
    (doc(st(action="sts:AssumeRole", resource=None, Principal={"Service": "ecs-tasks.amazonaws.com"},
            Condition={"StringEquals": {"aws:SourceAccount": ACCT}})), None, U),
    (doc(st(action="sts:AssumeRole", resource=None, Principal={"Service": "ecs-tasks.amazonaws.com"},
            Condition={"StringEquals": {"aws:SourceAccount": ACCT}})), Context({"aws:SourceAccount": ACCT}), A),
    (doc(st(action="sts:AssumeRole", resource=None, Principal={"Service": "ecs-tasks.amazonaws.com"},
            Condition={"ArnLike": {"aws:SourceArn": f"arn:aws:ecs:us-east-1:{OTHER}:*"}})),
     Context({"aws:SourceArn": f"arn:aws:ecs:us-east-1:{ACCT}:task/c/abc"}), D),
    (doc(st(action="sts:AssumeRole", resource=None, Principal={"Service": "ecs-tasks.amazonaws.com"}),
         st("Deny", action="sts:AssumeRole", resource=None, Principal="*")), None, D),
    ("{broken", None, U),
]


@pytest.mark.parametrize("trust,ctx,expected", TRUST_CASES)
def test_can_assume(trust, ctx, expected):
    assert can_assume(Policy("aws_iam_role.exec", trust, "trust"), context=ctx).outcome == expected, TRUST


# --- AWS managed policies ---------------------------------------------------
EXEC = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
ECR_PULL = ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer",
            "ecr:BatchGetImage"]


@pytest.mark.parametrize("action", ECR_PULL + ["logs:CreateLogStream", "logs:PutLogEvents"])
def test_execution_role_policy_grants(action):
    d = evaluate(req("*", action), [Policy.managed(EXEC)])
    assert d.allowed and d.statements[0].policy == EXEC, MANAGED


@pytest.mark.parametrize("action,resource", [
    (GET, SECRET), ("secretsmanager:DescribeSecret", SECRET), ("kms:Decrypt", KEY),
    ("ssm:GetParameters", f"arn:aws:ssm:us-east-1:{ACCT}:parameter/x"), ("logs:CreateLogGroup", "*")])
def test_execution_role_policy_does_not_grant(action, resource):
    key = rpol(st(action="kms:*", Principal={"AWS": ACCT}), kind="key") if action.startswith("kms:") else None
    d = evaluate(req(resource, action), [Policy.managed(EXEC)], key_policy=key)
    assert d.denied and not d.explicit, MANAGED


def test_administrator_and_poweruser_grant_secrets():
    for arn in ("arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/PowerUserAccess"):
        assert managed_policy(arn) is not None
        assert evaluate(req(), [Policy.managed(arn)]).allowed, MANAGED


def test_unknown_managed_policy_is_undecided_never_allowed():
    d = evaluate(req(), [Policy.managed("arn:aws:iam::aws:policy/NoSuchPolicy"), Policy("p", doc(st()))])
    assert d.undecided and any("NoSuchPolicy" in m for m in d.missing), MANAGED
    assert evaluate(req(), [Policy.managed(f"arn:aws:iam::{ACCT}:policy/custom")]).undecided


def test_irrelevant_managed_policy_grants_nothing_on_covered_actions():
    arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
    assert managed_policy(arn) is None
    assert evaluate(req(), [Policy.managed(arn)]).denied, MANAGED
    assert evaluate(req("arn:aws:s3:::b/k", "s3:GetObject"), [Policy.managed(arn)]).undecided


def test_managed_data_records_source():
    from pullguard.evaluate import iam
    data = iam._managed_data()
    assert data["package"] == "moto" and data["version"] and data["generated"]
    assert managed_policy("arn:aws-us-gov:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")


def test_decision_is_a_value():
    d = Decision("allow")
    assert d.allowed and not d.denied and not d.undecided
