"""PG201: repositoryCredentials without execution_role_arn fails; a role (literal or reference) passes;
an execution role unknown until apply (and not a plain reference) is undecided."""
from rulecase import fails, undecided


def test_fail_credentials_without_execution_role(images):
    found = fails(images, "PG201")
    assert set(found) == {("aws_ecs_task_definition.no_role", "creds")}
    assert "has no `execution_role_arn`" in found[("aws_ecs_task_definition.no_role", "creds")]


def test_pass_with_literal_role_or_without_credentials(images):
    found = fails(images, "PG201")
    assert ("aws_ecs_task_definition.with_role", "creds") not in found
    assert ("aws_ecs_task_definition.no_role", "plain") not in found


def test_pass_when_role_is_a_reference_to_a_planned_role(unknowns, modules_count):
    assert ("aws_ecs_task_definition.ref_role", "app") not in fails(unknowns, "PG201")
    assert ("aws_ecs_task_definition.ref_role", "app") not in undecided(unknowns, "PG201")
    # through a module variable and a counted root resource
    assert not fails(modules_count, "PG201") and not undecided(modules_count, "PG201")


def test_undecided_when_role_depends_on_apply(unknowns):
    assert undecided(unknowns, "PG201") == {
        ("aws_ecs_task_definition.maybe_role", "app"): "aws_ecs_task_definition.maybe_role.execution_role_arn",
        ("aws_ecs_task_definition.opaque", None):
            "aws_ecs_task_definition.opaque.container_definitions (known after apply)",
    }
