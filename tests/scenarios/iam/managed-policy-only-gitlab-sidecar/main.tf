# A service whose API image lives in the account's own ECR repository gains a metrics sidecar
# pulled from a private GitLab registry. The team adds repositoryCredentials but keeps the
# execution role on the AWS managed AmazonECSTaskExecutionRolePolicy alone: that policy covers
# the ECR pull and the awslogs streams, not secretsmanager:GetSecretValue on the registry secret,
# so the task fails with "unable to pull secrets or registry auth ... AccessDeniedException".
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

data "aws_caller_identity" "current" {}

locals {
  ecr_registry = "${data.aws_caller_identity.current.account_id}.dkr.ecr.us-east-1.amazonaws.com"
}

resource "aws_secretsmanager_secret" "gitlab" {
  name        = "shop/gitlab-registry"
  description = "Deploy token for registry.gitlab.com/acme"
}

resource "aws_secretsmanager_secret_version" "gitlab" {
  secret_id     = aws_secretsmanager_secret.gitlab.id
  secret_string = jsonencode({ username = "gitlab+deploy-token-1", password = "fake-deploy-token" })
}

data "aws_iam_policy_document" "ecs_tasks_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = "shop-api-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_cloudwatch_log_group" "api" {
  name              = "/ecs/shop-api"
  retention_in_days = 14
}

resource "aws_ecs_task_definition" "api" {
  family                   = "shop-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.execution.arn

  container_definitions = jsonencode([
    {
      name      = "api"
      image     = "${local.ecr_registry}/shop/api:1.8.2"
      essential = true
      portMappings = [{ containerPort = 8080, protocol = "tcp" }]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.api.name
          awslogs-region        = "us-east-1"
          awslogs-stream-prefix = "api"
        }
      }
    },
    {
      name      = "metrics"
      image     = "registry.gitlab.com/acme/metrics-agent:0.9.3"
      essential = false
      repositoryCredentials = {
        credentialsParameter = aws_secretsmanager_secret.gitlab.arn
      }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.api.name
          awslogs-region        = "us-east-1"
          awslogs-stream-prefix = "metrics"
        }
      }
    }
  ])

  # the managed policy attachment must exist before the first task starts
  depends_on = [aws_iam_role_policy_attachment.execution]
}
