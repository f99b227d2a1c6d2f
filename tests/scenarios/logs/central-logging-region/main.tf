# A checkout service runs in us-east-1. Compliance wants audit logs in the central logging region
# (eu-west-1), so two containers set awslogs-region = "eu-west-1". The execution role's log policy
# was written for the home region only: arn:aws:logs:us-east-1:<account>:log-group:/ecs/checkout/*.
# Log group and log stream ARNs carry the region of the group, and the awslogs driver creates the
# stream and puts events in the awslogs-region.
#  - api: group created here in us-east-1, mode non-blocking with a buffer: works.
#  - envoy: awslogs-create-group "true" for /ecs/checkout/envoy in us-east-1; the policy allows
#    logs:CreateLogGroup under /ecs/checkout/*: works.
#  - audit: group created here in eu-west-1 (exists), but the role may not create streams or put
#    events there (PG704).
#  - shipper: awslogs-create-group "true" in eu-west-1: CreateLogGroup (PG703) and the stream
#    permissions (PG704) are both refused.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "logging"
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

locals {
  name        = "checkout"
  home_region = "us-east-1"
  log_region  = "eu-west-1"
  account     = data.aws_caller_identity.current.account_id
}

resource "aws_cloudwatch_log_group" "api" {
  name              = "/ecs/${local.name}/api"
  retention_in_days = 30
}

resource "aws_cloudwatch_log_group" "audit" {
  provider          = aws.logging
  name              = "/ecs/${local.name}/audit"
  retention_in_days = 400
}

resource "aws_iam_role" "execution" {
  name = "${local.name}-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

data "aws_iam_policy_document" "logs" {
  statement {
    sid = "CheckoutLogs"
    actions = [
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
    ]
    resources = ["arn:aws:logs:${local.home_region}:${local.account}:log-group:/ecs/${local.name}/*"]
  }
}

resource "aws_iam_role_policy" "logs" {
  name   = "${local.name}-logs"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.logs.json
}

locals {
  containers = {
    api = {
      image = "public.ecr.aws/acme/checkout-api:5.2.0"
      log_options = {
        awslogs-group         = aws_cloudwatch_log_group.api.name
        awslogs-region        = local.home_region
        awslogs-stream-prefix = local.name
        mode                  = "non-blocking"
        max-buffer-size       = "25m"
      }
    }
    envoy = {
      image = "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod"
      log_options = {
        awslogs-group         = "/ecs/${local.name}/envoy"
        awslogs-region        = local.home_region
        awslogs-create-group  = "true"
        awslogs-stream-prefix = local.name
      }
    }
    audit = {
      image = "public.ecr.aws/acme/checkout-audit:5.2.0"
      log_options = {
        awslogs-group         = aws_cloudwatch_log_group.audit.name
        awslogs-region        = local.log_region
        awslogs-stream-prefix = local.name
      }
    }
    shipper = {
      image = "public.ecr.aws/acme/checkout-shipper:5.2.0"
      log_options = {
        awslogs-group         = "/ecs/${local.name}/shipper"
        awslogs-region        = local.log_region
        awslogs-create-group  = "true"
        awslogs-stream-prefix = local.name
      }
    }
  }
}

resource "aws_ecs_task_definition" "checkout" {
  family                   = local.name
  requires_compatibilities = ["EC2"]
  network_mode             = "bridge"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([
    for name, c in local.containers : {
      name      = name
      image     = c.image
      essential = name == "api"
      memory    = 256
      logConfiguration = {
        logDriver = "awslogs"
        options   = c.log_options
      }
    }
  ])

  depends_on = [aws_iam_role_policy.logs]
}
