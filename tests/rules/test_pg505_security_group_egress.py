"""PG505: the task's security groups allow no egress on TCP 443 to where the pull goes."""
from rulecase import fails, undecided
from test_pg50x_network_plans import net, net_applied  # noqa: F401 (fixtures)


EXPECTED = {"aws_ecs_service.nat_closed", "aws_ecs_service.nat_internal", "aws_ecs_service.endpoints_closed"}


def test_fail_no_egress_or_only_private_ranges(net, net_applied):
    for result in (net, net_applied):
        found = fails(result, "PG505")
        assert set(found) == {(a, None) for a in EXPECTED}
    found = fails(net, "PG505")
    assert "`aws_security_group.internal` allow no egress on TCP 443 to the internet (0.0.0.0/0)" in \
        found[("aws_ecs_service.nat_internal", None)]
    assert 'the `ecr.api` endpoint `aws_vpc_endpoint.interface["ecr.api"]`' in \
        found[("aws_ecs_service.endpoints_closed", None)]


def test_pass_internet_egress_and_endpoint_group_plus_s3_prefix_list(net, net_applied):
    for result in (net, net_applied):
        found = fails(result, "PG505")
        # egress to the endpoints' security group and to the S3 endpoint's prefix list
        assert ('aws_ecs_service.endpoints["ecr"]', None) not in found
        # 0.0.0.0/0 on 443 also covers the endpoints
        assert ("aws_ecs_service.endpoints_web", None) not in found
        assert ('aws_ecs_service.nat["ecr"]', None) not in found


def test_undecided_security_groups_through_a_local(net, net_applied):
    assert set(undecided(net, "PG505")) == {("aws_ecs_service.via_local", None)}
    assert undecided(net_applied, "PG505") == {}
