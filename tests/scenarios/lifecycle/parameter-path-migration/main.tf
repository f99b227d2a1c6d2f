# A billing service reads its configuration from Parameter Store by name. The deployed
# configuration works. The next change is the first step of a path migration, made without
# touching the task definition:
#  - parameter_path = "/billing/live" rewrites the execution role's statement from
#    parameter/billing/prod/* to parameter/billing/live/*, while the api container still reads
#    /billing/prod/db-url: tasks started afterwards get AccessDeniedException (PG702, new).
#  - manage_legacy_parameters = false deletes the /billing/legacy/* parameters, one of which the
#    worker container still reads: ResourceInitializationError ... invalid parameters
#    (PG205, new). Deleting /billing/legacy/fax-number, which nothing reads, is harmless.
#  - the same switch deletes the legacy webhook signing secret in Secrets Manager, which the
#    notifier container names by its ARN without the random suffix (Secrets Manager resolves such a
#    partial ARN to the secret of that name): ResourceNotFoundException (PG205, new).
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "parameter_path" {
  type    = string
  default = "/billing/prod"
}

variable "manage_legacy_parameters" {
  type    = bool
  default = true
}

data "aws_caller_identity" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  legacy  = var.manage_legacy_parameters ? toset(["smtp-password", "fax-number"]) : toset([])
}

resource "aws_ssm_parameter" "db_url" {
  name  = "/billing/prod/db-url"
  type  = "SecureString"
  value = "postgres://billing:fake@billing-db.internal:5432/billing"
}

resource "aws_ssm_parameter" "legacy" {
  for_each = local.legacy
  name     = "/billing/legacy/${each.key}"
  type     = "SecureString"
  value    = "fake-${each.key}"
}

resource "aws_secretsmanager_secret" "legacy_webhook" {
  count                   = var.manage_legacy_parameters ? 1 : 0
  name                    = "billing/legacy/webhook-signing-key"
  recovery_window_in_days = 0
}

resource "aws_iam_role" "execution" {
  name = "billing-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "parameters" {
  name = "billing-parameters"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "BillingConfig"
        Effect   = "Allow"
        Action   = ["ssm:GetParameters"]
        Resource = "arn:aws:ssm:us-east-1:${local.account}:parameter${var.parameter_path}/*"
      },
      {
        Sid      = "LegacyConfig"
        Effect   = "Allow"
        Action   = ["ssm:GetParameters"]
        Resource = "arn:aws:ssm:us-east-1:${local.account}:parameter/billing/legacy/*"
      },
      {
        Sid      = "LegacySecrets"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = "arn:aws:secretsmanager:us-east-1:${local.account}:secret:billing/legacy/*"
      },
    ]
  })
}

resource "aws_ecs_task_definition" "billing" {
  family                   = "billing"
  requires_compatibilities = ["EC2"]
  network_mode             = "bridge"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([
    {
      name      = "api"
      image     = "public.ecr.aws/acme/billing-api:7.0.3"
      essential = true
      memory    = 512
      secrets   = [{ name = "DATABASE_URL", valueFrom = "/billing/prod/db-url" }]
    },
    {
      name      = "worker"
      image     = "public.ecr.aws/acme/billing-worker:7.0.3"
      essential = false
      memory    = 256
      secrets   = [{ name = "SMTP_PASSWORD", valueFrom = "/billing/legacy/smtp-password" }]
    },
    {
      name      = "notifier"
      image     = "public.ecr.aws/acme/billing-notifier:7.0.3"
      essential = false
      memory    = 128
      secrets = [{
        name      = "WEBHOOK_SIGNING_KEY"
        valueFrom = "arn:aws:secretsmanager:us-east-1:${local.account}:secret:billing/legacy/webhook-signing-key"
      }]
    },
  ])

  depends_on = [aws_iam_role_policy.parameters, aws_ssm_parameter.db_url, aws_ssm_parameter.legacy,
    aws_secretsmanager_secret.legacy_webhook]
}
