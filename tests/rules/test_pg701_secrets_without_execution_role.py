"""PG701: container `secrets` without execution_role_arn fails; with a role passes; unknown role undecided."""
from rulecase import fails, undecided


def test_fail_secrets_without_execution_role(images):
    found = fails(images, "PG701")
    assert set(found) == {("aws_ecs_task_definition.no_role", "secrets")}
    assert "`DB_PASSWORD`" in found[("aws_ecs_task_definition.no_role", "secrets")]


def test_pass_with_role_literal_or_reference(images, unknowns):
    assert ("aws_ecs_task_definition.with_role", "secrets") not in fails(images, "PG701")
    assert ("aws_ecs_task_definition.ref_role", "app") not in fails(unknowns, "PG701")
    assert ("aws_ecs_task_definition.ref_role", "app") not in undecided(unknowns, "PG701")


def test_undecided_when_role_depends_on_apply(unknowns):
    assert ("aws_ecs_task_definition.maybe_role", "app") in undecided(unknowns, "PG701")
