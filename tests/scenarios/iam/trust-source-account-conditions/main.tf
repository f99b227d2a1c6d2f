# Confused-deputy conditions on execution role trust policies, as AWS recommends them.
# "orders" pins aws:SourceAccount to this account and "billing" pins aws:SourceArn to ECS
# resources of this account and region: ECS sends both when it assumes the role, so they hold.
# "legacy" was moved from the old account and still names it in aws:SourceAccount: the
# condition never holds for tasks in this account, so ECS cannot assume the role.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  account  = data.aws_caller_identity.current.account_id
  registry = "${local.account}.dkr.ecr.us-east-1.amazonaws.com"
}

data "aws_iam_policy_document" "trust_orders" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

data "aws_iam_policy_document" "trust_billing" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:aws:ecs:${data.aws_region.current.name}:${local.account}:*"]
    }
  }
}

data "aws_iam_policy_document" "trust_legacy" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["210987654321"] # the account this service ran in before the migration
    }
  }
}

locals {
  trust = {
    orders  = data.aws_iam_policy_document.trust_orders.json
    billing = data.aws_iam_policy_document.trust_billing.json
    legacy  = data.aws_iam_policy_document.trust_legacy.json
  }
}

resource "aws_iam_role" "execution" {
  for_each           = local.trust
  name               = "${each.key}-execution"
  assume_role_policy = each.value
}

resource "aws_iam_role_policy_attachment" "execution" {
  for_each   = aws_iam_role.execution
  role       = each.value.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_cloudwatch_log_group" "svc" {
  for_each = local.trust
  name     = "/ecs/${each.key}"
}

resource "aws_ecs_task_definition" "svc" {
  for_each                 = local.trust
  family                   = each.key
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution[each.key].arn
  container_definitions = jsonencode([{
    name      = each.key
    image     = "${local.registry}/${each.key}/api:3.0.7"
    essential = true
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.svc[each.key].name
        awslogs-region        = "us-east-1"
        awslogs-stream-prefix = each.key
      }
    }
  }])
  depends_on = [aws_iam_role_policy_attachment.execution]
}
