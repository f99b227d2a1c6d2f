# The security team adds a guardrail to every execution role: an explicit Deny on writing logs
# anywhere but under /ecs/ (NotResource). The managed policy still allows the writes everywhere.
# - "shop" logs to /ecs/shop: the Deny does not apply, the managed policy allows it.
# - "shop-worker" logs to /apps/shop-worker: the explicit Deny wins over the managed Allow, so
#   CreateLogStream is denied and the task fails to start.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "ap-southeast-2"
}

data "aws_caller_identity" "current" {}

locals {
  registry = "${data.aws_caller_identity.current.account_id}.dkr.ecr.ap-southeast-2.amazonaws.com"
  services = {
    shop          = "/ecs/shop"
    "shop-worker" = "/apps/shop-worker"
  }
}

resource "aws_cloudwatch_log_group" "service" {
  for_each          = local.services
  name              = each.value
  retention_in_days = 90
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "guardrail" {
  statement {
    sid           = "LogsOnlyUnderEcs"
    effect        = "Deny"
    actions       = ["logs:CreateLogStream", "logs:PutLogEvents"]
    not_resources = ["arn:aws:logs:*:*:log-group:/ecs/*"]
  }
}

resource "aws_iam_role" "execution" {
  name               = "shop-execution"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "guardrail" {
  name   = "logs-guardrail"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.guardrail.json
}

resource "aws_ecs_task_definition" "service" {
  for_each                 = local.services
  family                   = each.key
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name      = each.key
    image     = "${local.registry}/${each.key}:2.3.0"
    essential = true
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.service[each.key].name
        awslogs-region        = "ap-southeast-2"
        awslogs-stream-prefix = each.key
      }
    }
  }])
  depends_on = [aws_iam_role_policy_attachment.execution, aws_iam_role_policy.guardrail]
}
