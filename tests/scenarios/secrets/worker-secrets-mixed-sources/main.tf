# One task definition, three containers, secrets from Secrets Manager and Parameter Store.
#  - worker: its Redis password is in a secret encrypted with the "vault" key. That key's policy was
#    written by the platform team for their deploy role only (no statement for the account root), so
#    the execution role's own kms:Decrypt grant does not count: KMS refuses (PG702).
#  - scheduler: reads /worker/prod/queue-url by bare name; the role may ssm:GetParameters on
#    parameter/worker/prod/*: passes.
#  - reporter: reads /reporting/prod/token, outside every path the role may read (PG702).
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
  account = data.aws_caller_identity.current.account_id
}

resource "aws_kms_key" "vault" {
  description = "worker secrets"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PlatformDeployer"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${local.account}:role/ci-deployer" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_secretsmanager_secret" "redis" {
  name       = "worker/prod/redis"
  kms_key_id = aws_kms_key.vault.arn
}

resource "aws_ssm_parameter" "queue_url" {
  name  = "/worker/prod/queue-url"
  type  = "String"
  value = "https://sqs.us-east-1.amazonaws.com/123456789012/worker-prod"
}

resource "aws_ssm_parameter" "report_token" {
  name  = "/reporting/prod/token"
  type  = "SecureString"
  value = "fake-reporting-token"
}

resource "aws_iam_role" "execution" {
  name = "worker-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "secrets" {
  name = "worker-secrets"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = aws_secretsmanager_secret.redis.arn },
      { Effect = "Allow", Action = "kms:Decrypt", Resource = aws_kms_key.vault.arn },
      { Effect = "Allow", Action = "ssm:GetParameters", Resource = "arn:aws:ssm:us-east-1:${local.account}:parameter/worker/prod/*" },
    ]
  })
}

resource "aws_ecs_task_definition" "worker" {
  family                   = "worker"
  requires_compatibilities = ["EC2"]
  network_mode             = "bridge"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([
    {
      name      = "worker"
      image     = "public.ecr.aws/acme/worker:9.1.0"
      essential = true
      memory    = 512
      secrets   = [{ name = "REDIS_PASSWORD", valueFrom = aws_secretsmanager_secret.redis.arn }]
    },
    {
      name      = "scheduler"
      image     = "public.ecr.aws/acme/scheduler:9.1.0"
      essential = true
      memory    = 256
      secrets   = [{ name = "QUEUE_URL", valueFrom = aws_ssm_parameter.queue_url.name }]
    },
    {
      name      = "reporter"
      image     = "public.ecr.aws/acme/reporter:9.1.0"
      essential = false
      memory    = 256
      secrets   = [{ name = "REPORT_TOKEN", valueFrom = aws_ssm_parameter.report_token.name }]
    },
  ])

  depends_on = [aws_iam_role_policy.secrets]
}
