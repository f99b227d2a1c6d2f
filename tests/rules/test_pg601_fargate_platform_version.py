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


def _service_plan(tmp_path, *, service, containers=None, cluster_default=None):
    """A plan (everything known) of one service on cluster `web` (NAT path not modelled: PG601 only)."""
    import json

    from pullguard.api import check_plan
    td_arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/app:1"
    cluster = "arn:aws:ecs:us-east-1:123456789012:cluster/web"
    res = {
        "aws_ecs_cluster.web": {"id": cluster, "arn": cluster, "name": "web"},
        "aws_ecs_task_definition.app": {
            "arn": td_arn, "family": "app", "revision": 1, "requires_compatibilities": ["FARGATE", "EC2"],
            "network_mode": "awsvpc", "container_definitions": json.dumps(containers or [
                {"name": "app", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0"}])},
        "aws_ecs_service.app": dict({"name": "app", "cluster": cluster, "task_definition": td_arn,
                                     "capacity_provider_strategy": [], "network_configuration": []}, **service),
    }
    if cluster_default is not None:
        res["aws_ecs_cluster_capacity_providers.web"] = {
            "cluster_name": "web", "capacity_providers": ["FARGATE", "FARGATE_SPOT", "ec2-workers"],
            "default_capacity_provider_strategy": [{"capacity_provider": p, "weight": 1, "base": 0}
                                                   for p in cluster_default]}
    changes = [{"address": a, "mode": "managed", "type": a.split(".")[0], "name": a.split(".")[1],
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {"actions": ["no-op"], "before": dict(v, region="us-east-1"),
                           "after": dict(v, region="us-east-1"), "after_unknown": {}}} for a, v in res.items()]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"format_version": "1.2", "terraform_version": "1.9.8", "resource_changes": changes}))
    return check_plan(str(path))


def test_log_driver_secret_options_count_for_the_feature_minimums(tmp_path):
    # a secret, or a JSON key of one, "as an environment variable or in a log configuration" needs
    # 1.3.0 / 1.4.0 (secrets-envvar-secrets-manager)
    key = "arn:aws:secretsmanager:us-east-1:123456789012:secret:splunk-AbCdEf:token::"
    containers = [{"name": "app", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0",
                   "logConfiguration": {"logDriver": "splunk", "options": {"splunk-url": "https://splunk:8088"},
                                        "secretOptions": [{"name": "splunk-token", "valueFrom": key}]}}]
    found = fails(_service_plan(tmp_path, service={"launch_type": "FARGATE", "platform_version": "1.3.0"},
                                containers=containers), "PG601")
    msg = found[("aws_ecs_service.app", None)]
    assert "1.3.0, which AWS retired on 2026-03-16" in msg
    assert "container `app` uses a Secrets Manager JSON key or version" in msg and "needs 1.4.0 or later" in msg


def test_cluster_default_capacity_provider_strategy_decides_fargate(tmp_path):
    # no launch_type and no capacity_provider_strategy: the cluster's default strategy places the tasks
    service = {"launch_type": "", "platform_version": "1.3.0"}
    found = fails(_service_plan(tmp_path, service=service, cluster_default=["FARGATE", "FARGATE_SPOT"]), "PG601")
    assert "pins Linux platform version 1.3.0" in found[("aws_ecs_service.app", None)]
    # near miss: the default strategy is an EC2 (Auto Scaling group) capacity provider
    result = _service_plan(tmp_path, service=service, cluster_default=["ec2-workers"])
    assert fails(result, "PG601") == {} and undecided(result, "PG601") == {}
    # no default strategy in the plan: not known
    result = _service_plan(tmp_path, service=service)
    assert fails(result, "PG601") == {}
    assert "launch_type (not set: the cluster's default capacity provider strategy decides)" in \
        undecided(result, "PG601")[("aws_ecs_service.app", None)]
