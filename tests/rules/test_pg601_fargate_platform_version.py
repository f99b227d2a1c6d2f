"""PG601: a Fargate service pins a retired Linux platform version or one too old for the task."""
from rulecase import fails, undecided
from test_pg50x_network_plans import net, net_applied  # noqa: F401 (fixtures)


def test_fail_retired_versions(net):
    found = fails(net, "PG601")
    assert set(found) == {('aws_ecs_service.pv["1.3.0"]', None), ('aws_ecs_service.pv_secret["1.2.0"]', None)}
    assert "1.3.0, which AWS retired on 2026-03-16" in found[('aws_ecs_service.pv["1.3.0"]', None)]
    old = found[('aws_ecs_service.pv_secret["1.2.0"]', None)]
    assert "1.2.0, which AWS has deprecated" in old and "needs 1.3.0 or later" in old


def test_pass_latest_140_and_unset(net):
    found = fails(net, "PG601")
    for ok in ('aws_ecs_service.pv["1.4.0"]', 'aws_ecs_service.pv["LATEST"]', 'aws_ecs_service.pv_secret["1.4.0"]',
               'aws_ecs_service.nat["secret"]'):
        assert (ok, None) not in found


def test_undecided_version_known_after_apply_then_fail(net, net_applied):
    assert undecided(net, "PG601") == {
        ("aws_ecs_service.pv_unknown", None): "aws_ecs_service.pv_unknown.platform_version (known after apply)"}
    assert ("aws_ecs_service.pv_unknown", None) in fails(net_applied, "PG601")
    assert undecided(net_applied, "PG601") == {}


def test_pass_140_even_when_the_container_definitions_are_unknown():
    # the committed example pins 1.4.0 (every feature's minimum) and its containers are known only after apply
    from pathlib import Path

    from pullguard.api import check_plan
    plan = Path(__file__).resolve().parents[2] / "examples" / "fargate-private-registry-cmk" / "plan.json"
    result = check_plan(str(plan))
    assert fails(result, "PG601") == {} and undecided(result, "PG601") == {}
    assert fails(result, "PG501") == {} and undecided(result, "PG501") == {}


def test_secret_json_key_or_version_in_value_from():
    # "${aws_secretsmanager_secret.db.arn}:password::" is a Partial in a first plan (the ARN is known
    # after apply): it still names a JSON key (platform version 1.4.0 or later)
    from types import SimpleNamespace

    from pullguard.rules.platform.pg601_fargate_platform_version import _json_key_or_version
    from pullguard.values import Hole, Partial
    secret = SimpleNamespace(type="aws_secretsmanager_secret")
    snap = SimpleNamespace(get=lambda a: secret if a == "aws_secretsmanager_secret.db" else None)
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"
    assert _json_key_or_version(snap, arn + ":password::")
    assert _json_key_or_version(snap, arn + "::AWSPREVIOUS:")
    assert not _json_key_or_version(snap, arn)
    assert not _json_key_or_version(snap, arn + ":::")
    hole = Hole("aws_secretsmanager_secret.db.arn")
    assert _json_key_or_version(snap, Partial((hole, ":password::")))
    assert not _json_key_or_version(snap, Partial((hole, ":::")))
    assert not _json_key_or_version(snap, Partial((Hole("aws_ssm_parameter.p.arn"), ":x::")))
