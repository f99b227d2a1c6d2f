"""The model: instances of both snapshots, unknown values tied to the resources they come from."""
import json

import pytest

from support import CORPUS
from pullguard.api import load_world
from pullguard.values import Ref, Unknown


def test_refs_resolve_through_module_variables_outputs_and_count(plans):
    world = load_world(str(plans.first("modules_count")))
    snap = world.planned
    passed = snap.get('module.svc["api"].aws_ecs_task_definition.passed')
    assert passed.get("execution_role_arn") == Ref("aws_iam_role.shared[1]", "arn")
    own = snap.get('module.svc["worker"].aws_ecs_task_definition.own[0]')
    assert own.get("execution_role_arn") == Ref('module.svc["worker"].aws_iam_role.own', "arn")
    assert (own.module, own.index, own.type, own.name, own.action, own.region) == (
        'module.svc["worker"]', 0, "aws_ecs_task_definition", "own", "create", "us-east-1")
    assert own.config_address == "module.svc.aws_ecs_task_definition.own"
    assert len(world.prior) == 0


def test_documents_are_not_mistaken_for_references(plans):
    world = load_world(str(plans.first("unknowns")))
    opaque = world.planned.get("aws_ecs_task_definition.opaque")
    # jsonencode({... secret.arn ...}) references one ARN but is not that ARN
    assert isinstance(opaque.get("container_definitions"), Unknown)
    assert opaque.get("execution_role_arn") == Ref("aws_iam_role.exec", "arn")


def test_prior_and_planned_after_apply(plans):
    world = load_world(str(plans.second("lifecycle", plan_args=("-var", "with_role=false"))))
    td_before = world.prior.get("aws_ecs_task_definition.app")
    td_after = world.planned.get("aws_ecs_task_definition.app")
    assert td_before.get("execution_role_arn").startswith("arn:aws:iam::123456789012:role/")
    assert td_after.get("execution_role_arn") is None
    assert td_after.action == "replace"
    assert world.account_id == "123456789012"


def test_hcp_redacted_plan_format_is_read():
    path = CORPUS / "hashicorp+terraform__internal__cloud__testdata__plan-json-full__plan-redacted.json"
    if not path.is_file():
        pytest.skip("the shared plan corpus is not beside this checkout")
    world = load_world(str(path))
    assert world.format_version == "1.1"
    assert "tfcoremock_complex_resource.example" in world.planned


def test_opentofu_forget_action_leaves_planned_world(tmp_path, plans):
    doc = json.loads(plans.first("images").read_text())
    rc = next(r for r in doc["resource_changes"] if r["address"] == "aws_ecs_task_definition.no_role")
    rc["change"]["actions"] = ["forget"]
    rc["change"]["before"] = dict(rc["change"]["after"])
    path = tmp_path / "tofu.json"
    path.write_text(json.dumps(doc))
    world = load_world(str(path))
    assert "aws_ecs_task_definition.no_role" not in world.planned
    assert "aws_ecs_task_definition.no_role" in world.prior
