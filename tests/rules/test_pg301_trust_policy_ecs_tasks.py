"""PG301: the execution role's trust policy must let ecs-tasks.amazonaws.com assume it."""
from rulecase import fails, undecided
from test_pg302_registry_secret_not_readable import exec_iam, exec_iam_applied, td  # noqa: F401

EXTERN = {td("ecr_extern"), td("reg_extern"), td("sec_extern"), td("log_extern")}


def test_fail_wrong_principal_and_foreign_source_account(exec_iam):
    found = fails(exec_iam, "PG301")
    assert set(found) == {td("trust_ec2"), td("trust_foreign")}
    assert "`aws_iam_role.exec[\"ec2trust\"]` cannot be assumed by ECS" in found[td("trust_ec2")]
    assert "ecs-tasks.amazonaws.com" in found[td("trust_foreign")]
    assert "aws:SourceAccount 123456789012" in found[td("trust_foreign")]


def test_pass_own_account_condition(exec_iam):
    assert td("trust_own") not in set(fails(exec_iam, "PG301")) | set(undecided(exec_iam, "PG301"))
    assert td("ecr_managed") not in fails(exec_iam, "PG301")
    assert td("ecr_none") not in set(fails(exec_iam, "PG301")) | set(undecided(exec_iam, "PG301"))


def test_undecided_unknown_trust_then_fail_once_known(exec_iam, exec_iam_applied):
    found = undecided(exec_iam, "PG301")
    assert set(found) == {td("trust_opaque")} | EXTERN
    assert found[td("trust_opaque")] == 'aws_iam_role.exec["opaquetrust"].assume_role_policy'
    assert "not-in-this-plan (not in the plan)" in found[td("ecr_extern")]
    # applied: the condition compares aws:SourceAccount with a KMS key ARN, which never holds
    assert set(fails(exec_iam_applied, "PG301")) == {td("trust_ec2"), td("trust_foreign"), td("trust_opaque")}
    assert set(undecided(exec_iam_applied, "PG301")) == EXTERN
