# Manual key rotation done by creating a new key per year: the 2024 key was disabled once "all
# secrets were moved" to the 2025 key, but the search service's registry secret still names the
# 2024 key through its alias. A disabled key refuses Decrypt: the image pull fails with
# "DecryptionFailure" (PG404). The catalog service's secret is on the 2025 key and passes.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-2"
}

locals {
  keys = {
    "2024" = { enabled = false }
    "2025" = { enabled = true }
  }
  services = {
    search  = { key = "2024", image = "ghcr.io/acme/search:7.3.2" }
    catalog = { key = "2025", image = "ghcr.io/acme/catalog:1.0.9" }
  }
}

resource "aws_kms_key" "secrets" {
  for_each    = local.keys
  description = "application secrets ${each.key}"
  is_enabled  = each.value.enabled
}

resource "aws_kms_alias" "secrets" {
  for_each      = local.keys
  name          = "alias/app-secrets-${each.key}"
  target_key_id = aws_kms_key.secrets[each.key].key_id
}

resource "aws_secretsmanager_secret" "ghcr" {
  for_each   = local.services
  name       = "${each.key}/ghcr-pull"
  kms_key_id = aws_kms_alias.secrets[each.value.key].name
}

resource "aws_iam_role" "execution" {
  name = "app-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "pull" {
  name = "ghcr-pull"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = [for s in aws_secretsmanager_secret.ghcr : s.arn] },
      { Effect = "Allow", Action = "kms:Decrypt", Resource = [for k in aws_kms_key.secrets : k.arn] },
    ]
  })
}

resource "aws_ecs_task_definition" "svc" {
  for_each                 = local.services
  family                   = each.key
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name                  = each.key
    image                 = each.value.image
    essential             = true
    repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.ghcr[each.key].arn }
  }])

  depends_on = [aws_iam_role_policy.pull]
}
