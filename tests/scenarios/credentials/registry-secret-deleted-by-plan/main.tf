# Registry logins used to live in this stack. The follow-up change sets
# manage_registry_secrets = false ("the shared-secrets stack owns them now") but the shared stack
# has not created them yet, and the task definitions still name the secrets: the plan deletes
# the GHCR secret (count goes to 0) while the web task keeps using it by name, so every new task
# fails with ResourceNotFoundException.
# The same change stops managing the Quay secret's value in Terraform (manage_secret_values =
# false) and keeps the secret: destroying the only aws_secretsmanager_secret_version leaves its
# AWSCURRENT label in place (the provider cannot remove it), so the value stays readable.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "manage_registry_secrets" {
  type    = bool
  default = true
}

variable "manage_secret_values" {
  type    = bool
  default = true
}

data "aws_caller_identity" "current" {}

resource "aws_secretsmanager_secret" "ghcr" {
  count                   = var.manage_registry_secrets ? 1 : 0
  name                    = "deploy/ghcr"
  recovery_window_in_days = 0
}

resource "aws_secretsmanager_secret_version" "ghcr" {
  count         = var.manage_registry_secrets ? 1 : 0
  secret_id     = aws_secretsmanager_secret.ghcr[0].id
  secret_string = jsonencode({ username = "deploy-bot", password = "ghp_FAKE0000000000000000000000000000" })
}

resource "aws_secretsmanager_secret" "quay" {
  name = "deploy/quay"
}

resource "aws_secretsmanager_secret_version" "quay" {
  count         = var.manage_secret_values ? 1 : 0
  secret_id     = aws_secretsmanager_secret.quay.id
  secret_string = jsonencode({ username = "acme+deploy", password = "FAKEQUAYROBOTTOKEN" })
}

resource "aws_iam_role" "execution" {
  name = "deploy-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "registry" {
  name = "registry-logins"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "secretsmanager:GetSecretValue"
      Resource = "arn:aws:secretsmanager:us-east-1:${data.aws_caller_identity.current.account_id}:secret:deploy/*"
    }]
  })
}

resource "aws_ecs_task_definition" "web" {
  family                   = "deploy-web"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name                  = "web"
    image                 = "ghcr.io/acme-corp/deploy-web:12.0.4"
    essential             = true
    repositoryCredentials = { credentialsParameter = "deploy/ghcr" }
  }])
  depends_on = [aws_iam_role_policy.registry]
}

resource "aws_ecs_task_definition" "agent" {
  family                   = "deploy-agent"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name                  = "agent"
    image                 = "quay.io/acme/deploy-agent:1.9.0"
    essential             = true
    repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.quay.arn }
  }])
  depends_on = [aws_iam_role_policy.registry]
}
