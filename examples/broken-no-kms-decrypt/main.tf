# BROKEN ON PURPOSE (pullguard PG401). The registry secret is encrypted with a
# customer managed KMS key; the key policy delegates to the account (so IAM
# decides), but the execution role is granted only GetSecretValue, not
# kms:Decrypt on the key: the agent fails with AccessDeniedException from KMS.
# Fix: add kms:Decrypt on aws_kms_key.registry.arn with
# kms:ViaService = secretsmanager.<region>.amazonaws.com.

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

locals {
  name = "nokms-app"
}

resource "aws_kms_key" "registry" {
  description             = "Encrypts the ${local.name} registry credentials"
  deletion_window_in_days = 7
  enable_key_rotation     = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AccountRootAdministersKey"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_secretsmanager_secret" "registry" {
  name                    = "${local.name}/ghcr"
  kms_key_id              = aws_kms_key.registry.arn
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
      Effect   = "Allow"
      Action   = "secretsmanager:GetSecretValue"
      Resource = aws_secretsmanager_secret.registry.arn
      # Missing: kms:Decrypt on aws_kms_key.registry.arn.
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
