"""PG204: the registry secret's value must be a JSON object with non-empty string username/password.

Fixture creds_registry: containers name their secrets by name, so the first plan knows them; the
second plan is made after apply with -var delete_secret=true -var delete_version=true (PG205).
The fixtures defined here are shared by the PG106, PG203, PG205 and PG403 tests.
"""
import pytest

from pullguard.api import check_plan
from rulecase import fails, undecided

BREAK = ("-var=delete_secret=true", "-var=delete_version=true")
REGISTRY = "aws_ecs_task_definition.registry"
VALUES = ("correct-horse-battery", "robot:correct", "write-only-password-value")


def reg(name):
    return (REGISTRY, name)


@pytest.fixture(scope="session")
def creds_first(plans):
    return check_plan(str(plans.first("creds_registry")))


@pytest.fixture(scope="session")
def creds_broken(plans):
    return check_plan(str(plans.second("creds_registry", plan_args=BREAK)))


SCHEMA = "unable to unmarshal secret value, invalid schema"
BAD = {  # shape words, and the ECS agent's error (aws/amazon-ecs-agent agent/asm/asm.go)
    "nopass": ("is a JSON object that has no `password`", "asm fetching password: AuthorizationData is malformed"),
    "empty": ("is a JSON object that has an empty `username`", "asm fetching username: AuthorizationData is malformed"),
    "number": ("has a `password` that is not a string", SCHEMA),
    "notjson": ("is not JSON", SCHEMA),
    "list": ("is a JSON array, not an object", SCHEMA),
    "binary": ("is stored as `secret_binary`", "asm fetching authorization data: empty secrets value"),
}


@pytest.mark.parametrize("which", ["creds_first", "creds_broken"])
def test_fail_wrong_shapes_first_plan_and_after_apply(which, request):
    result = request.getfixturevalue(which)
    found = fails(result, "PG204")
    assert set(found) == {reg(n) for n in BAD}
    for name, (words, error) in BAD.items():
        assert words in found[reg(name)], name
        assert error in found[reg(name)], name


def test_messages_never_hold_the_value(creds_first, creds_broken):
    for result in (creds_first, creds_broken):
        texts = [f.message + f.remediation + " ".join(f.evidence) for f in result.findings] + \
                [u.reason + u.missing for u in result.undecided]
        assert not [t for t in texts if any(v in t for v in VALUES)]


def test_pass_username_and_password(creds_first, creds_broken):
    for result in (creds_first, creds_broken):
        assert reg("good") not in fails(result, "PG204")
        assert reg("good") not in undecided(result, "PG204")


def test_undecided_write_only_computed_no_version_not_in_plan(creds_first, creds_broken):
    found = undecided(creds_first, "PG204")
    assert "write-only" in found[reg("writeonly")]
    assert "aws_secretsmanager_secret_version.computed.secret_string" in found[reg("computed")]
    assert "no aws_secretsmanager_secret_version in the plan" in found[reg("bare")]
    assert "(not in the plan)" in found[reg("nowhere")]
    # a bare name resolves in the task's region: the us-west-2 secret of that name is not it
    assert found[reg("west")] == "the value of secret creds/west (not in the plan)"
    assert "write-only" in undecided(creds_broken, "PG204")[reg("writeonly")]


def test_keys_match_as_the_agent_decodes_them():
    """The agent decodes the value into a Go struct {Username, Password *string} with no JSON tags
    (amazon-ecs-agent agent/asm/asm.go): encoding/json matches keys case-insensitively, the last
    matching key wins, null leaves a field empty, a non-string is a decoding error."""
    from pullguard.parse.redact import secret_summary
    from pullguard.rules.credentials.pg204_registry_secret_value_shape import MALFORMED, SCHEMA, judge_summary

    def verdict(text):
        return judge_summary(secret_summary(text))

    assert verdict('{"Username": "svc-fx", "Password": "p"}')[0] == "ok"
    assert verdict('{"USERNAME": "svc-fx", "password": "p", "registry": "x"}')[0] == "ok"
    assert verdict('{"username": "svc-fx", "Password": ""}') == \
        ("bad", "is a JSON object that has an empty `password`", MALFORMED.format("password"))
    assert verdict('{"username": "svc-fx", "Username": "", "password": "p"}')[2] == MALFORMED.format("username")
    assert verdict('{"username": null, "password": "p"}') == \
        ("bad", "is a JSON object that has an empty `username`", MALFORMED.format("username"))
    assert verdict('{"Username": 7, "password": "p"}')[2] == SCHEMA
    assert verdict("null") == ("bad", "is JSON null, not an object", MALFORMED.format("username"))
