"""PG303: an ECR image needs ecr:GetAuthorizationToken and the three layer actions on its repository."""
from rulecase import fails, undecided
from test_pg302_registry_secret_not_readable import exec_iam, exec_iam_applied, exec_wait, td  # noqa: F401


def test_fail_no_grant_and_other_repository(exec_iam):
    found = fails(exec_iam, "PG303")
    assert set(found) == {td("ecr_bare", "api"), td("ecr_scoped", "api")}
    assert "ecr:GetAuthorizationToken, ecr:BatchCheckLayerAvailability" in found[td("ecr_bare", "api")]
    scoped = found[td("ecr_scoped", "api")]
    assert "GetAuthorizationToken," not in scoped  # allowed on "*"
    assert "`arn:aws:ecr:us-east-1:123456789012:repository/exec/api`" in scoped


def test_pass_managed_policy_and_scoped_repository(exec_iam, exec_iam_applied, exec_wait):
    for result in (exec_iam, exec_iam_applied):
        seen = set(fails(result, "PG303")) | set(undecided(result, "PG303"))
        assert td("ecr_managed", "api") not in seen      # AmazonECSTaskExecutionRolePolicy
        assert td("ecr_scoped", "web") not in seen       # near miss: its own repository is allowed
        assert td("ecr_bare", "hub") not in seen         # not ECR
        assert td("ecr_none", "api") not in seen         # no role: PG201's business, not PG303's
    # roles known only after apply, through a module, and with count
    assert fails(exec_wait, "PG303") == {} and undecided(exec_wait, "PG303") == {}


def test_undecided_role_outside_plan(exec_iam, exec_iam_applied):
    for result in (exec_iam, exec_iam_applied):
        found = undecided(result, "PG303")
        assert set(found) == {td("ecr_extern", "api")}
        assert found[td("ecr_extern", "api")] == \
            "the policies of role arn:aws:iam::123456789012:role/not-in-this-plan (not in the plan)"
