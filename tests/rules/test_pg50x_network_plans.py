"""The net_paths plans (PG501-PG505, PG601), shared by the network and platform rule tests:
a first plan (ids unknown, followed through the configuration's references) and a second plan
after apply into moto (prior state known). Import the fixtures: ``from test_pg50x_network_plans
import net, net_applied``."""
import pytest

from pullguard.api import check_plan


@pytest.fixture(scope="session")
def net(plans):
    return check_plan(str(plans.first("net_paths")))


@pytest.fixture(scope="session")
def net_applied(plans):
    return check_plan(str(plans.second("net_paths")))


def test_every_service_gets_one_outcome_per_network_rule(net):
    from pullguard.model.network import service_networks
    nets = service_networks(net.world.planned)
    assert len(nets) == sum(1 for _ in net.world.planned.of_type("aws_ecs_service"))
    assert all(set(n.verdicts) == {"PG501", "PG502", "PG503", "PG504", "PG505"} for n in nets.values())
