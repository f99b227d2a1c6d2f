"""The IAM view of the model: the policies that reach a role, a secret, a KMS key."""
import json

import pytest

from pullguard.api import load_world
from pullguard.evaluate.iam import Request, can_assume, evaluate
from pullguard.model.iam import find_role, key_policy, resource_policy, role_policies
from pullguard.model.world import Instance, Snapshot
from pullguard.values import Ref, Unknown

ACCOUNT = "123456789012"
EXEC_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
REPO = f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/app"


@pytest.fixture(scope="module")
def first(plans):
    return load_world(str(plans.first("iam_roles"))).planned


@pytest.fixture(scope="module")
def second(plans):
    return load_world(str(plans.second("iam_roles"))).planned


def names(rp):
    return {p.name for p in rp.identity}


def known_or_ref(snapshot, address, attribute="arn"):
    value = snapshot.get(address).get(attribute)
    return value if isinstance(value, str) else Ref(address, attribute)


def allows(snapshot, role, action, resource, **resource_policies):
    rp = role_policies(snapshot, role)
    principal = known_or_ref(snapshot, rp.role.address)
    request = Request(principal, action, resource, principal_account=ACCOUNT, resource_account=ACCOUNT)
    return evaluate(request, rp.identity, boundary=rp.boundary, **resource_policies)


def test_first_plan_gathers_every_source_and_names_what_is_unknown(first):
    inline = role_policies(first, "aws_iam_role.inline")
    assert names(inline) == {'aws_iam_role.inline.inline_policy["logs"]',
                             'aws_iam_role.inline.inline_policy["read-db"]',
                             f'aws_iam_role.inline.managed_policy_arns["{EXEC_POLICY}"]'}
    docs = {p.name: p.document for p in inline.identity}
    assert json.loads(docs['aws_iam_role.inline.inline_policy["logs"]'])["Statement"][0]["Resource"] == "*"
    # the document references the secret's ARN: known only after apply
    read_db = docs['aws_iam_role.inline.inline_policy["read-db"]']
    assert read_db == Unknown("aws_iam_role.inline.inline_policy[1].policy")
    assert inline.missing == ("aws_iam_role.inline.inline_policy[1].policy",)

    with_policy = role_policies(first, "aws_iam_role.with_policy")  # role = aws_iam_role.with_policy.name
    assert names(with_policy) == {"aws_iam_role_policy.pull"}  # document: data.aws_iam_policy_document.pull
    assert json.loads(with_policy.identity[0].document)["Statement"][0]["Resource"] == REPO
    assert with_policy.exclusive == ("aws_iam_role_policies_exclusive.with_policy",)

    attached = role_policies(first, "aws_iam_role.attached")
    assert {p.name: p.document for p in attached.identity} == {
        "aws_iam_role_policy_attachment.execution": EXEC_POLICY,
        "aws_iam_role_policy_attachment.read_db": Unknown("aws_iam_policy.read_db.policy")}
    assert attached.missing == ("aws_iam_policy.read_db.policy",)
    assert attached.exclusive == ("aws_iam_role_policy_attachments_exclusive.attached",)

    bounded = role_policies(first, "aws_iam_role.bounded")
    # permissions_boundary = aws_iam_policy.boundary.arn: that policy's document, known at plan time
    assert json.loads(bounded.boundary.document)["Statement"][0]["Action"] == "ecr:*"
    assert bounded.missing == ()

    # role = aws_iam_role.counted[0].id is a reference to that role: gathered for it alone
    counted = role_policies(first, "aws_iam_role.counted[0]")
    assert names(counted) == {"aws_iam_policy_attachment.counted_boundary", "aws_iam_role_policy.counted"}
    assert counted.possible == ()
    assert counted.missing == ("aws_iam_role_policy.counted.policy",)
    assert can_assume(counted.trust).allowed
    assert role_policies(first, Ref("aws_iam_role.counted[0]", "arn")) is counted  # cached per role

    outside = role_policies(first, f"arn:aws:iam::{ACCOUNT}:role/elsewhere")
    assert outside.role is None and outside.identity == ()
    assert outside.missing[0] == f"the policies of role arn:aws:iam::{ACCOUNT}:role/elsewhere (not in the plan)"


def test_after_apply_role_policies_are_attributed_once_and_known(second):
    expected = {
        "aws_iam_role.inline": {'aws_iam_role.inline.inline_policy["logs"]',
                                'aws_iam_role.inline.inline_policy["read-db"]',
                                f'aws_iam_role.inline.managed_policy_arns["{EXEC_POLICY}"]'},
        # the refreshed role lists what the resources attach: gathered from the resources only
        "aws_iam_role.with_policy": {"aws_iam_role_policy.pull"},
        "aws_iam_role.attached": {"aws_iam_role_policy_attachment.execution",
                                  "aws_iam_role_policy_attachment.read_db"},
        "aws_iam_role.bounded": {f'aws_iam_role.bounded.managed_policy_arns["{EXEC_POLICY}"]'},
        "aws_iam_role.counted[0]": {"aws_iam_role_policy.counted", "aws_iam_policy_attachment.counted_boundary"},
    }
    for address, gathered in expected.items():
        arn = second.get(address).get("arn")
        assert find_role(second, arn).address == address
        rp = role_policies(second, arn)
        assert names(rp) == gathered, address
        assert rp.missing == () and rp.possible == ()
        for policy in (*rp.identity, rp.trust):
            assert policy.document == EXEC_POLICY or "Statement" in json.loads(policy.document)
    boundary = role_policies(second, "aws_iam_role.bounded").boundary
    assert json.loads(boundary.document)["Statement"][0]["Action"] == "ecr:*"
    assert find_role(second, "iam-roles-counted-0").address == "aws_iam_role.counted[0]"


@pytest.mark.parametrize("which", ["first", "second"])
def test_end_to_end_evaluation_per_role(which, request):
    snap = request.getfixturevalue(which)
    after_apply = which == "second"
    secret = known_or_ref(snap, "aws_secretsmanager_secret.db")
    key = known_or_ref(snap, "aws_kms_key.app")
    secret_policy = resource_policy(snap, secret)
    assert secret_policy.policy.name == "aws_secretsmanager_secret_policy.db" and secret_policy.missing == ()

    read = allows(snap, "aws_iam_role.inline", "secretsmanager:GetSecretValue", secret,
                  resource_policy=secret_policy.policy)
    assert read.outcome == ("allow" if after_apply else "undecided")
    assert read.missing == (() if after_apply else
                            ('policy document of aws_iam_role.inline.inline_policy["read-db"] '
                             "((aws_iam_role.inline.inline_policy[1].policy: known after apply))",))
    assert allows(snap, "aws_iam_role.with_policy", "ecr:BatchGetImage", REPO).allowed
    pull = allows(snap, "aws_iam_role.attached", "ecr:BatchGetImage", REPO)
    assert "aws_iam_role_policy_attachment.execution [#0] (Allow)" in {str(s) for s in pull.statements}
    assert pull.outcome == ("allow" if after_apply else "undecided")  # read_db's document may deny
    logs = allows(snap, "aws_iam_role.bounded", "logs:PutLogEvents",
                  f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:app:log-stream:x")
    assert logs.outcome == "deny"  # the boundary (known in both plans) allows only ecr:*
    decrypt = allows(snap, "aws_iam_role.counted[0]", "kms:Decrypt", key, key_policy=key_policy(snap, key).policy)
    # first plan: the role policy that grants it is this role's, but its document is known only after apply
    assert decrypt.outcome == ("allow" if after_apply else "undecided")


def test_refs_to_roles_policies_and_documents_are_followed():
    def inst(address, values, mode="managed"):
        type_, name = address.removeprefix("data.").split(".")
        return Instance(address, "", mode, type_, name, None, "aws", "us-east-1", "create", values)

    doc = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
    snap = Snapshot("planned", {i.address: i for i in [
        inst("aws_iam_role.r", {"name": Unknown("aws_iam_role.r.name"), "arn": Unknown("aws_iam_role.r.arn"),
                                "assume_role_policy": Unknown("aws_iam_role.r.assume_role_policy"),
                                "permissions_boundary": Ref("aws_iam_policy.p", "arn")}),
        inst("data.aws_iam_policy_document.d", {"json": doc}, mode="data"),
        inst("aws_iam_policy.p", {"arn": Unknown("aws_iam_policy.p.arn"), "policy": doc}),
        inst("aws_iam_role_policy.by_ref", {"role": Ref("aws_iam_role.r", "name"),
                                            "policy": Ref("data.aws_iam_policy_document.d", "json")}),
        inst("aws_iam_policy_attachment.a", {"roles": [Ref("aws_iam_role.r", "id")],
                                             "policy_arn": f"arn:aws:iam::{ACCOUNT}:policy/outside"}),
        inst("aws_secretsmanager_secret.s", {"arn": f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:db-AbCdEf",
                                             "policy": None}),
        inst("aws_kms_key.k", {"key_id": "1234abcd", "policy": Unknown("aws_kms_key.k.policy")}),
        inst("aws_kms_key_policy.k", {"key_id": Ref("aws_kms_key.k", "key_id"), "policy": doc}),
    ]})
    rp = role_policies(snap, Ref("aws_iam_role.r", "arn"))
    assert {p.name: p.document for p in rp.identity} == {
        "aws_iam_role_policy.by_ref": doc,
        "aws_iam_policy_attachment.a": Unknown(f"document of arn:aws:iam::{ACCOUNT}:policy/outside (not in the plan)")}
    assert (rp.boundary.name, rp.boundary.document) == ("aws_iam_role.r.permissions_boundary", doc)
    assert rp.missing == (f"document of arn:aws:iam::{ACCOUNT}:policy/outside (not in the plan)",
                          "aws_iam_role.r.assume_role_policy")
    # an ECS valueFrom with a JSON key names the secret; it has no resource policy
    value_from = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:db-AbCdEf:password::"
    assert resource_policy(snap, value_from) == (None, ())
    kp = key_policy(snap, f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd")
    assert (kp.policy.name, kp.policy.kind, kp.missing) == ("aws_kms_key_policy.k", "key", ())
