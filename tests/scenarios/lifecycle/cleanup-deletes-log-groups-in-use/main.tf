# A cleanup change turns off the "legacy" log groups (var.manage_legacy_log_groups = false),
# believing nothing uses them. Both services name their group in a local, not by reference, so
# their task definitions do not change and still log there.
# - "api" has no awslogs-create-group: once the group is deleted, new tasks fail with
#   ResourceNotFoundException: The specified log group does not exist.
# - "cron" sets awslogs-create-group = "true" and its role may create groups under /ecs/: the
#   agent re-creates the group, so it keeps working.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "manage_legacy_log_groups" {
  type    = bool
  default = true
}

data "aws_caller_identity" "current" {}

locals {
  account    = data.aws_caller_identity.current.account_id
  log_groups = { api = "/ecs/legacy-api", cron = "/ecs/legacy-cron" }
}

resource "aws_cloudwatch_log_group" "legacy" {
  for_each = var.manage_legacy_log_groups ? local.log_groups : {}
  name     = each.value
}

resource "aws_iam_role" "execution" {
  name = "legacy-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "create_groups" {
  name = "create-ecs-log-groups"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "logs:CreateLogGroup"
      Resource = "arn:aws:logs:us-east-1:${local.account}:log-group:/ecs/*"
    }]
  })
}

resource "aws_ecs_task_definition" "api" {
  family                   = "legacy-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name      = "api"
    image     = "${local.account}.dkr.ecr.us-east-1.amazonaws.com/legacy-api:9.1.2"
    essential = true
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = local.log_groups.api
        awslogs-region        = "us-east-1"
        awslogs-stream-prefix = "api"
      }
    }
  }])
  depends_on = [aws_iam_role_policy_attachment.execution, aws_iam_role_policy.create_groups, aws_cloudwatch_log_group.legacy]
}

resource "aws_ecs_task_definition" "cron" {
  family                   = "legacy-cron"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name      = "cron"
    image     = "${local.account}.dkr.ecr.us-east-1.amazonaws.com/legacy-cron:9.1.2"
    essential = true
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = local.log_groups.cron
        awslogs-region        = "us-east-1"
        awslogs-stream-prefix = "cron"
        awslogs-create-group  = "true"
      }
    }
  }])
  depends_on = [aws_iam_role_policy_attachment.execution, aws_iam_role_policy.create_groups, aws_cloudwatch_log_group.legacy]
}
