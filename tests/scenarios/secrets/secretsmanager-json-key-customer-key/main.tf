# The database credentials live in one Secrets Manager secret (JSON), encrypted with a customer
# managed key (default key policy: delegates to the account, IAM decides). Two task definitions
# inject single JSON keys with `valueFrom = "<secret ARN>:<json-key>:<stage>:<version>"`; IAM sees
# only the secret's ARN (ECS strips the JSON key/stage/version suffix).
#  - api: valueFrom written by hand as a partial ARN (no random suffix, Secrets Manager resolves
#    it); the role's policy uses `prod/db-??????` and kms:Decrypt via secretsmanager.us-east-1:
#    passes.
#  - migrations: GetSecretValue on the secret's ARN, but no kms:Decrypt on the key: Secrets
#    Manager's Decrypt call with the role's permissions is refused (PG702).
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
  account   = data.aws_caller_identity.current.account_id
  db_secret = "arn:aws:secretsmanager:us-east-1:${local.account}:secret:prod/db"
}

resource "aws_kms_key" "db" {
  description = "prod database credentials"
}

resource "aws_secretsmanager_secret" "db" {
  name       = "prod/db"
  kms_key_id = aws_kms_key.db.key_id
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = aws_secretsmanager_secret.db.id
  secret_string = jsonencode({ username = "app", password = "not-a-real-password", host = "db.internal" })
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "api" {
  name               = "api-execution"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy" "api" {
  name = "db-credentials"
  role = aws_iam_role.api.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = "${local.db_secret}-??????" },
      {
        Effect    = "Allow"
        Action    = "kms:Decrypt"
        Resource  = aws_kms_key.db.arn
        Condition = { StringEquals = { "kms:ViaService" = "secretsmanager.us-east-1.amazonaws.com" } }
      },
    ]
  })
}

resource "aws_iam_role" "migrations" {
  name               = "migrations-execution"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy" "migrations" {
  name = "db-credentials"
  role = aws_iam_role.migrations.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = aws_secretsmanager_secret.db.arn }]
  })
}

resource "aws_ecs_task_definition" "api" {
  family                   = "api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.api.arn
  container_definitions = jsonencode([{
    name      = "api"
    image     = "public.ecr.aws/acme/api:3.2.0"
    essential = true
    secrets = [
      { name = "DB_USER", valueFrom = "${local.db_secret}:username::" },
      { name = "DB_PASSWORD", valueFrom = "${local.db_secret}:password::" },
    ]
  }])

  depends_on = [aws_iam_role_policy.api]
}

resource "aws_ecs_task_definition" "migrations" {
  family                   = "migrations"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.migrations.arn
  container_definitions = jsonencode([{
    name      = "flyway"
    image     = "public.ecr.aws/acme/migrations:3.2.0"
    essential = true
    secrets = [
      { name = "FLYWAY_PASSWORD", valueFrom = "${aws_secretsmanager_secret.db.arn}:password:AWSCURRENT:" },
    ]
  }])

  depends_on = [aws_iam_role_policy.migrations]
}
