"""PG304: a permission the task needs is created by this plan, and the task must wait for it."""
from rulecase import fails, undecided
from test_pg302_registry_secret_not_readable import exec_iam_applied, exec_wait  # noqa: F401

UNWIRED = "module.unwired[0].aws_ecs_task_definition.this"


def test_fail_nothing_waits_directly_or_through_module(exec_wait):
    found = fails(exec_wait, "PG304")
    assert set(found) == {("aws_ecs_task_definition.late", None), (UNWIRED, None)}
    msg = found[("aws_ecs_task_definition.late", None)]
    assert msg.startswith('`aws_iam_role_policy_attachment.exec["late"]` grants ecr:GetAuthorizationToken')
    assert "nothing makes `aws_ecs_task_definition.late` wait for it" in msg
    assert 'aws_iam_role_policy_attachment.exec["unwired"]' in found[(UNWIRED, None)]
    severities = {f.severity for f in exec_wait.findings if f.rule_id == "PG304"}
    assert severities == {"warning"}


def test_pass_depends_on_service_wait_and_module_depends_on(exec_wait, exec_iam_applied):
    seen = set(fails(exec_wait, "PG304")) | set(undecided(exec_wait, "PG304"))
    for address in ("aws_ecs_task_definition.waited", "aws_ecs_task_definition.svc",
                    "module.wired.aws_ecs_task_definition.this", "aws_ecs_task_definition.xacct"):
        assert (address, None) not in seen
    # a role reference is not a wait: svc passes only because the service depends_on the attachments
    # nothing is created in a plan made after apply
    assert fails(exec_iam_applied, "PG304") == {} and undecided(exec_iam_applied, "PG304") == {}


def test_undecided_through_a_local_value(exec_wait):
    found = undecided(exec_wait, "PG304")
    assert found == {("aws_ecs_task_definition.opaque", None):
                     "what local.after refers to (the plan does not record local values' references)"}
