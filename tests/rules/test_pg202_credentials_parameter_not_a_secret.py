"""PG202: credentialsParameter must be a Secrets Manager secret ARN or name."""
from rulecase import case, fails, undecided


def test_fail_ssm_kms_empty_and_malformed(images):
    found = fails(images, "PG202")
    assert set(found) == {case("parameters", n) for n in ("ssm", "kms", "empty", "garbled")}
    assert "is an SSM parameter, not a Secrets Manager secret" in found[case("parameters", "ssm")]
    assert "is a KMS key" in found[case("parameters", "kms")]
    assert "`credentialsParameter` is empty" in found[case("parameters", "empty")]
    assert "not a well-formed ARN" in found[case("parameters", "garbled")]


def test_pass_secret_arn_and_secret_name(images):
    found = fails(images, "PG202")
    assert case("parameters", "arn") not in found
    assert case("parameters", "name") not in found


def test_undecided_while_unknown_then_pass_once_applied(unknowns, unknowns_applied):
    assert set(undecided(unknowns, "PG202")) == {("aws_ecs_task_definition.opaque", None)}
    assert undecided(unknowns_applied, "PG202") == {}
    assert fails(unknowns_applied, "PG202") == {}
