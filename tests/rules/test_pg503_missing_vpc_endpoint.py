"""PG503: the task relies on VPC endpoints and one it needs is missing or unusable."""
from rulecase import fails, undecided
from test_pg50x_network_plans import net, net_applied  # noqa: F401 (fixtures)


EXPECTED = {'aws_ecs_service.endpoints["ssm"]', "aws_ecs_service.none", "aws_ecs_service.nos3"}


def test_fail_no_s3_gateway_on_route_table_and_ssm_without_private_dns(net):
    found = fails(net, "PG503")
    assert set(found) == {(a, None) for a in EXPECTED}
    assert "lacks `s3`" in found[("aws_ecs_service.nos3", None)]
    assert "aws_vpc_endpoint.s3 is not associated with the subnet's route table " \
           'aws_route_table.private["nos3"]' in found[("aws_ecs_service.nos3", None)]
    ssm = found[('aws_ecs_service.endpoints["ssm"]', None)]
    assert "lacks `ssm`" in ssm and "private_dns_enabled = false" in ssm and "secret `TOKEN`" in ssm


def test_pass_complete_endpoints(net, net_applied):
    # ecr.api + ecr.dkr + logs interface endpoints, s3 gateway through aws_vpc_endpoint_route_table_association
    assert ('aws_ecs_service.endpoints["ecr"]', None) not in fails(net, "PG503")
    # secretsmanager reaches the subnet through aws_vpc_endpoint_subnet_association (known once applied)
    assert ('aws_ecs_service.endpoints["secret"]', None) not in fails(net_applied, "PG503")
    assert set(fails(net_applied, "PG503")) == {(a, None) for a in EXPECTED}


def test_undecided_private_dns_known_after_apply(net, net_applied):
    assert undecided(net, "PG503") == {
        ('aws_ecs_service.endpoints["secret"]', None): "aws_vpc_endpoint.secretsmanager.private_dns_enabled "
                                                       "(known after apply)"}
    assert undecided(net_applied, "PG503") == {}
