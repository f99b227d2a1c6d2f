# BROKEN ON PURPOSE (pullguard PG302). The execution role's policy names the
# secret by an ARN built from its name, without the random "-xxxxxx" suffix
# Secrets Manager appends: it never matches the secret, so the agent gets
# AccessDenied on GetSecretValue and the task stops with
# "ResourceInitializationError: unable to pull secrets or registry auth".
# Fix: Resource = aws_secretsmanager_secret.registry.arn (or "...:secret:name-??????").

terraform {
  required_version = ">= 1.5.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0.0, < 7.0.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  name        = "nosuffix-app"
  secret_name = "${local.name}/ghcr"
}

resource "aws_secretsmanager_secret" "registry" {
  name                    = local.secret_name
  recovery_window_in_days = 0
}

resource "aws_secretsmanager_secret_version" "registry" {
  secret_id     = aws_secretsmanager_secret.registry.id
  secret_string = jsonencode({ username = "example-user", password = "example-password" })
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

resource "aws_iam_role_policy" "execution" {
  name = "task-execution"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = "secretsmanager:GetSecretValue"
      # Wrong: no "-xxxxxx" suffix.
      Resource = "arn:aws:secretsmanager:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:secret:${local.secret_name}"
    }]
  })
}

resource "aws_ecs_task_definition" "app" {
  family                   = local.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn

  container_definitions = jsonencode([{
    name                  = "api"
    image                 = "ghcr.io/acme/api:1.4.2"
    essential             = true
    repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.registry.arn }
  }])

  depends_on = [aws_iam_role_policy.execution, aws_secretsmanager_secret_version.registry]
}
