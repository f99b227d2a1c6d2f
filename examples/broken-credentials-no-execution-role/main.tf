# BROKEN ON PURPOSE (pullguard PG201). The container has repositoryCredentials
# but the task definition has no execution_role_arn: nothing can read the
# secret, and ECS rejects or fails the task.
# Fix: set execution_role_arn to a role allowed GetSecretValue on the secret.

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

locals {
  name = "norole-app"
}

resource "aws_secretsmanager_secret" "registry" {
  name                    = "${local.name}/ghcr"
  recovery_window_in_days = 0
}

resource "aws_secretsmanager_secret_version" "registry" {
  secret_id     = aws_secretsmanager_secret.registry.id
  secret_string = jsonencode({ username = "example-user", password = "example-password" })
}

resource "aws_ecs_task_definition" "app" {
  family                   = local.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  # Missing: execution_role_arn.

  container_definitions = jsonencode([{
    name                  = "api"
    image                 = "ghcr.io/acme/api:1.4.2"
    essential             = true
    repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.registry.arn }
  }])

  depends_on = [aws_secretsmanager_secret_version.registry]
}
