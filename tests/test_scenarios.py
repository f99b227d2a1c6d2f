"""The labelled scenario set (tests/scenarios/, format in scripts/scenarios.py): on every plan of
every scenario, pullguard reports exactly the labelled failures, with their message essentials,
and leaves undecided what the label says cannot be decided."""
import pytest

import scenarios as sc
from support import need_terraform

ALL = sc.discover()


def test_labels_are_well_formed():
    assert ALL, "no scenario found"
    for s in ALL:
        assert list(s.path.glob("*.tf")), f"{s.name}: no Terraform configuration"
        for e in s.fail + s.undecided:
            assert e.rule.startswith("PG") and e.address, f"{s.name}: {e}"


@pytest.fixture(scope="session")
def scenario_plans(tf, tmp_path_factory, request):
    # plan only the scenarios this session runs (`-k` picks a few; planning all takes minutes)
    chosen = {item.callspec.params["name"] for item in request.session.items
              if getattr(item, "originalname", None) == "test_scenario"}
    wanted = [s for s in ALL if s.name in chosen]
    sc.make_plans(tf, wanted, tmp_path_factory.mktemp("scenarios"))
    return {s.name: s for s in wanted}


@pytest.mark.parametrize("name", [s.name for s in ALL])
def test_scenario(name, scenario_plans):
    need_terraform()
    from pullguard.api import check_plan

    s = scenario_plans[name]
    problems = []
    for kind, plan in s.made.items():
        result = check_plan(str(plan), config_dir=str(s.path))
        problems += [f"{kind} plan: {p}" for p in sc.judge(s, kind, result)]
    assert not problems, f"{s.title}\n" + "\n".join(problems)
