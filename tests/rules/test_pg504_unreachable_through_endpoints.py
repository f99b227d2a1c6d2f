"""PG504: no NAT path and the image is on a non-AWS registry or in another region."""
import pytest
from rulecase import fails, undecided
from support import FIXTURES
from test_pg50x_network_plans import net, net_applied  # noqa: F401 (fixtures)

from pullguard.api import check_plan


@pytest.fixture(scope="session")
def dual(plans):
    """net_dualstack: ECR dual-stack and ECR Public images behind ECR endpoints, through NAT, and in a
    subnet outside the plan; services in one for_each read through the Terraform source."""
    return check_plan(str(plans.first("net_dualstack")), config_dir=str(FIXTURES / "net_dualstack"))


def test_fail_docker_hub_and_other_region_behind_endpoints(net):
    found = fails(net, "PG504")
    assert set(found) == {('aws_ecs_service.endpoints["hub"]', None), ('aws_ecs_service.endpoints["eu"]', None)}
    assert "`nginx:1.25.3` is on docker.io" in found[('aws_ecs_service.endpoints["hub"]', None)]
    assert "in ECR in eu-west-1, another region than the task (us-east-1)" in \
        found[('aws_ecs_service.endpoints["eu"]', None)]


def test_pass_same_images_through_nat(net):
    assert ('aws_ecs_service.nat["hub"]', None) not in fails(net, "PG504")
    assert ('aws_ecs_service.endpoints["ecr"]', None) not in fails(net, "PG504")


def test_undecided_container_definitions_known_after_apply_then_pass(net, net_applied):
    assert undecided(net, "PG504") == {
        ("aws_ecs_service.endpoints_opaque", None): "aws_ecs_task_definition.opaque.container_definitions "
                                                    "(known after apply)"}
    assert ("aws_ecs_service.endpoints_opaque", None) not in fails(net_applied, "PG504")
    assert undecided(net_applied, "PG504") == {}


def test_fail_ecr_dual_stack_host_behind_endpoints_says_use_ipv4_host(dual):
    # Amazon ECR does not support AWS PrivateLink over its dual-stack endpoints
    found = fails(dual, "PG504")
    for key in ("dual", "dual_fips"):
        message = found[(f'aws_ecs_service.svc["endpoints-{key}"]', None)]
        assert "ECR dual-stack host" in message
        assert "IPv4 host `123456789012.dkr.ecr.us-east-1.amazonaws.com`" in message
    finding = next(f for f in dual.findings if f.address == 'aws_ecs_service.svc["endpoints-dual"]')
    assert "<account>.dkr.ecr.<region>.amazonaws.com" in finding.remediation


def test_fail_ecr_public_behind_endpoints(dual):
    # no VPC endpoint serves ECR Public image pulls (only its API, in us-east-1)
    found = fails(dual, "PG504")
    assert "`public.ecr.aws/nginx/nginx:1.27` is on public.ecr.aws" in \
        found[('aws_ecs_service.svc["endpoints-public"]', None)]
    assert "is on ecr-public.aws.com" in found[('aws_ecs_service.svc["endpoints-ecrpub"]', None)]
    assert set(found) == {(f'aws_ecs_service.svc["endpoints-{k}"]', None)
                          for k in ("dual", "dual_fips", "public", "ecrpub")}


def test_pass_ipv4_host_behind_endpoints_and_dual_stack_through_nat(dual):
    found = fails(dual, "PG504")
    for address in ('aws_ecs_service.svc["endpoints-ipv4"]', 'aws_ecs_service.svc["nat-dual"]',
                    'aws_ecs_service.svc["nat-public"]'):
        assert (address, None) not in found
    assert not [f for f in dual.findings if f.address.startswith('aws_ecs_service.svc["nat-')]


def test_undecided_dual_stack_in_subnet_outside_the_plan(dual):
    # the NAT path decides: undecided, naming the route table; an IPv4 ECR image there is PG501's question only
    assert undecided(dual, "PG504") == {
        ('aws_ecs_service.svc["shared-dual"]', None):
            "the route table of subnet subnet-0a1b2c3d4e5f60718 (not in the plan)"}
    assert ('aws_ecs_service.svc["shared-dual"]', None) not in fails(dual, "PG504")
