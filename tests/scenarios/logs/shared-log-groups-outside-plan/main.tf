# A team's service stack that logs to groups it does not create. The execution role has
# AmazonECSTaskExecutionRolePolicy (CreateLogStream/PutLogEvents on any group).
# - "app" logs to /platform/ecs-apps, a group the platform team creates in its own stack:
#   whether it exists is outside this plan (undecided).
# - "audit" logs to the group this stack creates, named through a variable: works.
# - "proxy" logs to the audit group's name, but in us-west-2 (awslogs-region): the group this
#   plan creates is in us-east-1, so whether one exists in us-west-2 is outside the plan.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "audit_log_group" {
  type    = string
  default = "/teams/payments/audit"
}

variable "platform_log_group" {
  type    = string
  default = "/platform/ecs-apps"
}

data "aws_caller_identity" "current" {}

resource "aws_iam_role" "execution" {
  name = "payments-execution"
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

resource "aws_cloudwatch_log_group" "audit" {
  name              = var.audit_log_group
  retention_in_days = 365
}

locals {
  image_base = "${data.aws_caller_identity.current.account_id}.dkr.ecr.us-east-1.amazonaws.com/payments"
}

resource "aws_ecs_task_definition" "payments" {
  family                   = "payments"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "1024"
  memory                   = "2048"
  execution_role_arn       = aws_iam_role.execution.arn

  container_definitions = jsonencode([
    {
      name      = "app"
      image     = "${local.image_base}/app:5.2.0"
      essential = true
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = var.platform_log_group
          awslogs-region        = "us-east-1"
          awslogs-stream-prefix = "payments"
        }
      }
    },
    {
      name      = "audit"
      image     = "${local.image_base}/audit-shipper:1.0.3"
      essential = false
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = var.audit_log_group
          awslogs-region        = "us-east-1"
          awslogs-stream-prefix = "audit"
        }
      }
    },
    {
      name      = "proxy"
      image     = "${local.image_base}/envoy:1.29.2"
      essential = true
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = var.audit_log_group
          awslogs-region        = "us-west-2"
          awslogs-stream-prefix = "proxy"
        }
      }
    },
  ])

  depends_on = [aws_iam_role_policy_attachment.execution, aws_cloudwatch_log_group.audit]
}
