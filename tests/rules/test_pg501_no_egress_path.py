"""PG501: no NAT/IGW path and none of the VPC endpoints the task needs (net_paths fixture)."""
from rulecase import fails, undecided
from test_pg50x_network_plans import net, net_applied  # noqa: F401 (fixtures)

BARE = "module.bare.aws_ecs_service.isolated"


def test_fail_bare_vpc_in_a_module_with_counted_subnets(net):
    # subnets = aws_subnet.private[*].id: every instance of the counted subnet, none routed anywhere
    found = fails(net, "PG501")
    assert set(found) == {(BARE, None)}
    msg = found[(BARE, None)]
    assert "`module.bare.aws_subnet.private[0]` has no 0.0.0.0/0 route" in msg
    assert "(ecr.api, ecr.dkr, logs, s3)" in msg
    assert "i/o timeout" in msg
    assert "also true of 1 other subnet" in msg


def test_pass_nat_public_ip_and_complete_endpoints(net):
    found, und = fails(net, "PG501"), undecided(net, "PG501")
    for ok in ('aws_ecs_service.nat["ecr"]', 'aws_ecs_service.public["pub"]', 'aws_ecs_service.endpoints["ecr"]'):
        assert (ok, None) not in found and (ok, None) not in und


def test_one_root_cause_the_more_specific_rules_win(net):
    # public subnet (PG502), missing S3 endpoint (PG503), Docker Hub behind endpoints (PG504): not PG501
    found = fails(net, "PG501")
    for specific in ('aws_ecs_service.public["nopub"]', "aws_ecs_service.none", "aws_ecs_service.nos3",
                     'aws_ecs_service.endpoints["hub"]'):
        assert (specific, None) not in found


def test_undecided_subnets_through_a_local(net):
    assert undecided(net, "PG501") == {
        ("aws_ecs_service.via_local", None):
            "aws_ecs_service.via_local.network_configuration[0].subnets (the subnets: known after apply, and "
            "the configuration does not say which)"}


def test_after_apply_local_subnets_pass_and_unmanaged_main_route_table_is_undecided(net_applied):
    assert fails(net_applied, "PG501") == {}
    # the module's VPC exists now and its main route table is not in the plan: its routes are not known
    assert undecided(net_applied, "PG501") == {
        (BARE, None): "the main route table of module.bare.aws_vpc.this (not managed in the plan: its routes "
                      "are not known)"}
