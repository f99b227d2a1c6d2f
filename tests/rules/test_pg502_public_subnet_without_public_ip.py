"""PG502: Fargate service in a public subnet (IGW route) with assign_public_ip = false."""
from rulecase import fails, undecided
from test_pg50x_network_plans import net, net_applied  # noqa: F401 (fixtures)


def test_fail_public_subnet_without_public_ip(net):
    found = fails(net, "PG502")
    assert set(found) == {('aws_ecs_service.public["nopub"]', None)}
    msg = found[('aws_ecs_service.public["nopub"]', None)]
    assert "public subnet `aws_subnet.public`" in msg
    assert "internet gateway" in msg and "assign_public_ip = false" in msg


def test_pass_same_subnet_with_public_ip(net):
    assert ('aws_ecs_service.public["pub"]', None) not in fails(net, "PG502")
    assert ('aws_ecs_service.public["pub"]', None) not in undecided(net, "PG502")


def test_undecided_public_ip_known_after_apply_then_pass(net, net_applied):
    assert undecided(net, "PG502") == {
        ("aws_ecs_service.public_unknown_ip", None):
            "aws_ecs_service.public_unknown_ip.network_configuration.assign_public_ip (known after apply)"}
    assert undecided(net_applied, "PG502") == {}
    assert set(fails(net_applied, "PG502")) == {('aws_ecs_service.public["nopub"]', None)}


def test_existing_problem_is_not_new_after_apply(net_applied):
    f = next(f for f in net_applied.findings if f.rule_id == "PG502")
    assert f.new is False
