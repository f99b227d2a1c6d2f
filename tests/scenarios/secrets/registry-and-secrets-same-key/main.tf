# The dispatch service pulls from a private Harbor registry (repositoryCredentials) and injects
# its API token and queue password as container `secrets`; all three secrets are encrypted with the
# team's customer managed key (its policy delegates to the account: IAM decides). The execution role
# may GetSecretValue on the three secrets but has no kms:Decrypt on the key: every read fails on
# KMS. One root cause (the role cannot decrypt with this key), reported once: PG401 on the registry
# secret, which also names the fix for the container secrets; PG702 does not repeat it.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-central-1"
}

data "aws_caller_identity" "current" {}

resource "aws_kms_key" "dispatch" {
  description = "dispatch secrets"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EnableIAMUserPermissions"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

locals {
  secrets = {
    registry = jsonencode({ username = "robot$dispatch", password = "fake-harbor-token" })
    api      = "fake-api-token"
    queue    = "fake-queue-password"
  }
}

resource "aws_secretsmanager_secret" "dispatch" {
  for_each                = local.secrets
  name                    = "dispatch/${each.key}"
  kms_key_id              = aws_kms_key.dispatch.arn
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "dispatch" {
  for_each      = local.secrets
  secret_id     = aws_secretsmanager_secret.dispatch[each.key].id
  secret_string = each.value
}

resource "aws_iam_role" "execution" {
  name = "dispatch-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "secrets" {
  name = "dispatch-secrets"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = "secretsmanager:GetSecretValue"
      Resource = [
        aws_secretsmanager_secret.dispatch["registry"].arn,
        aws_secretsmanager_secret.dispatch["api"].arn,
        aws_secretsmanager_secret.dispatch["queue"].arn,
      ]
    }]
  })
}

resource "aws_ecs_task_definition" "dispatch" {
  family                   = "dispatch"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([
    {
      name                  = "dispatch"
      image                 = "harbor.acme.example/logistics/dispatch:8.0.3"
      essential             = true
      repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.dispatch["registry"].arn }
      secrets = [
        { name = "API_TOKEN", valueFrom = aws_secretsmanager_secret.dispatch["api"].arn },
        { name = "QUEUE_PASSWORD", valueFrom = aws_secretsmanager_secret.dispatch["queue"].arn },
      ]
    },
    {
      name      = "queue-agent"
      image     = "public.ecr.aws/acme/queue-agent:1.1.0"
      essential = false
      secrets   = [{ name = "QUEUE_PASSWORD", valueFrom = aws_secretsmanager_secret.dispatch["queue"].arn }]
    },
  ])

  depends_on = [aws_iam_role_policy.secrets]
}
