"""PG504: no NAT path and the image is on a non-AWS registry or in another region."""
from rulecase import fails, undecided
from test_pg50x_network_plans import net, net_applied  # noqa: F401 (fixtures)


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
