# Queue workers, one Fargate task definition per queue (for_each). The logs are auto-created by
# the awslogs driver (awslogs-create-group = "true"); the execution role's custom policy allows
# creating and writing log groups under /ecs/workers/ only.
# - "emails" and "invoices" log to /ecs/workers/<name>: allowed, they work.
# - "reports" was copied from the batch team and logs to /batch/reports: outside the allowed
#   prefix, so CreateLogGroup, CreateLogStream and PutLogEvents are all denied.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = var.region
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "workers" {
  type = map(object({ log_group = string, image_tag = string }))
  default = {
    emails   = { log_group = "/ecs/workers/emails", image_tag = "1.12.0" }
    invoices = { log_group = "/ecs/workers/invoices", image_tag = "1.12.0" }
    reports  = { log_group = "/batch/reports", image_tag = "0.9.4" }
  }
}

data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "workers_execution" {
  name               = "workers-execution"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "workers_execution" {
  statement {
    sid       = "EcrAuth"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
  statement {
    sid = "EcrPull"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:GetDownloadUrlForLayer",
      "ecr:BatchGetImage",
    ]
    resources = ["arn:aws:ecr:${var.region}:${data.aws_caller_identity.current.account_id}:repository/workers/*"]
  }
  statement {
    sid = "WorkerLogs"
    actions = [
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
    ]
    resources = ["arn:aws:logs:${var.region}:${data.aws_caller_identity.current.account_id}:log-group:/ecs/workers/*"]
  }
}

resource "aws_iam_role_policy" "workers_execution" {
  name   = "workers-execution"
  role   = aws_iam_role.workers_execution.id
  policy = data.aws_iam_policy_document.workers_execution.json
}

resource "aws_ecs_task_definition" "worker" {
  for_each = var.workers

  family                   = "worker-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.workers_execution.arn

  container_definitions = jsonencode([{
    name      = "worker"
    image     = "${data.aws_caller_identity.current.account_id}.dkr.ecr.${var.region}.amazonaws.com/workers/${each.key}:${each.value.image_tag}"
    essential = true
    command   = ["worker", "--queue", each.key]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = each.value.log_group
        awslogs-region        = var.region
        awslogs-stream-prefix = each.key
        awslogs-create-group  = "true"
      }
    }
  }])

  depends_on = [aws_iam_role_policy.workers_execution]
}
