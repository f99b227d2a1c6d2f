"""ARNs pullguard builds (secrets and parameters named in `valueFrom`, log groups, roles, keys, the ECS
source ARN in trust conditions, the ECR layer bucket) carry the partition of their region: `aws-cn`
in China, `aws-us-gov` in GovCloud (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).
A policy written for the right partition passes; one naming `arn:aws:` there grants nothing."""
import pytest

from rulecase import fails, undecided

CHINA = """
provider "aws" {
  region = "cn-north-1"
}

variable "partition" {
  description = "the partition the policies name: aws-cn is right for cn-north-1, aws names nothing there"
  type        = string
  default     = "aws-cn"
}

data "aws_caller_identity" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  arn     = "arn:${var.partition}"
}

resource "aws_iam_role" "exec" {
  name = "cn-exec"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
    Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole",
    Condition = { ArnLike = { "aws:SourceArn" = "${local.arn}:ecs:cn-north-1:${local.account}:*" } } }] })
}

resource "aws_iam_role_policy" "read" {
  role = aws_iam_role.exec.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "secretsmanager:GetSecretValue",
      Resource = "${local.arn}:secretsmanager:cn-north-1:${local.account}:secret:app/db-*" },
    { Effect = "Allow", Action = "ssm:GetParameters",
      Resource = "${local.arn}:ssm:cn-north-1:${local.account}:parameter/app/*" },
    { Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource = "${local.arn}:logs:cn-north-1:${local.account}:log-group:/ecs/app:*" },
  ] })
}

resource "aws_ecs_task_definition" "t" {
  family             = "cn"
  execution_role_arn = "arn:aws-cn:iam::${local.account}:role/cn-exec"
  container_definitions = jsonencode([
    { name = "app", image = "public.ecr.aws/acme/a:1", memory = 128, essential = true,
      secrets = [{ name = "DB", valueFrom = "app/db" }, { name = "FLAG", valueFrom = "/app/flag" }],
      logConfiguration = { logDriver = "awslogs", options = {
        "awslogs-group" = "/ecs/app", "awslogs-region" = "cn-north-1", "awslogs-stream-prefix" = "app" } } },
  ])
  depends_on = [aws_iam_role_policy.read]
}
"""


@pytest.fixture(scope="module")
def china(tf, tmp_path_factory):
    from pullguard.api import check_plan

    work = tmp_path_factory.mktemp("china")
    (work / "main.tf").write_text(CHINA)
    out = {}
    for partition in ("aws-cn", "aws"):
        plan = work / f"plan-{partition}.json"
        tf.plan_json(work, "-var", f"partition={partition}", out=plan)
        out[partition] = check_plan(str(plan), config_dir=str(work))
    return out


TD = "aws_ecs_task_definition.t"


def test_pass_policies_written_for_the_china_partition(china):
    result = china["aws-cn"]
    for rule in ("PG301", "PG702", "PG704"):
        assert fails(result, rule) == {}, rule
    # the parameter is outside the plan (its type and key are not known): not a partition question
    assert set(undecided(result, "PG702")) == {(TD, "app")}


def test_fail_policies_naming_the_standard_partition_in_china(china):
    result = china["aws"]
    assert set(fails(result, "PG301")) == {(TD, None)}
    assert "arn:aws-cn:ssm:cn-north-1:123456789012:parameter/app/db" in fails(result, "PG702")[(TD, "app")]
    assert set(fails(result, "PG704")) == {(TD, "app")}


@pytest.mark.parametrize("region, partition", [
    ("us-east-1", "aws"), ("eu-central-2", "aws"), ("cn-north-1", "aws-cn"), ("cn-northwest-1", "aws-cn"),
    ("us-gov-west-1", "aws-us-gov"), ("us-iso-east-1", "aws-iso"), ("us-isob-east-1", "aws-iso-b"),
    (None, "aws")])
def test_partition_of_a_region(region, partition):
    from pullguard.model.arns import partition as partition_of

    assert partition_of(region) == partition


def test_china_endpoint_service_names_are_read():
    # most China endpoint services are named cn.com.amazonaws.<region>.<service>
    from pullguard.model.network import ENDPOINT_SERVICE

    assert ENDPOINT_SERVICE.match("cn.com.amazonaws.cn-north-1.ecr.dkr").groups() == ("cn-north-1", "ecr.dkr")
    assert ENDPOINT_SERVICE.match("com.amazonaws.cn-north-1.s3").groups() == ("cn-north-1", "s3")
