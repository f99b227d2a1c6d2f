# A ledger service in us-east-1 reads its configuration from Parameter Store. The replica DSN lives
# in the DR region (us-west-2), created through a provider alias.
#
# Task definition "ledger" (role ledger-execution: ssm:GetParameters on parameter/ledger/prod/* in
# us-east-1, nothing for KMS):
#  - api: /ledger/prod/db-url by name (String) and /ledger/prod/api-key by ARN (SecureString under
#    the AWS managed aws/ssm key, whose key policy lets every principal of the account decrypt
#    through Parameter Store): passes.
#  - flags: "ledger.feature-flags", a legacy name without a leading "/"; its ARN is
#    parameter/ledger.feature-flags, outside parameter/ledger/prod/*: AccessDenied (PG702).
#  - replica: the us-west-2 parameter by ARN: the policy names us-east-1 only (PG702).
#  - smtp: /ledger/prod/smtp-password, managed by another stack (not in the plan): the role may
#    call ssm:GetParameters on it, but whether it is a SecureString under a customer managed key
#    (then kms:Decrypt is needed and not granted) is not in the plan: undecided.
#
# Task definition "reports" (role reports-execution: ssm:GetParameters on parameter/ledger/* in
# us-west-2 only, where the team thought the replica lives):
#  - reports: the replica parameter by *name* (aws_ssm_parameter.replica_dsn.name). A name
#    resolves in the task's own region, so the agent asks for
#    arn:aws:ssm:us-east-1:...:parameter/ledger/prod/replica-dsn, which the policy does not cover
#    (PG702; a full ARN was required for a parameter of another region).
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "dr"
  region = "us-west-2"
}

variable "smtp_password_parameter" {
  type    = string
  default = "/ledger/prod/smtp-password"
}

data "aws_caller_identity" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  params = {
    db_url  = { name = "/ledger/prod/db-url", type = "String", value = "postgres://ledger.internal:5432/ledger" }
    api_key = { name = "/ledger/prod/api-key", type = "SecureString", value = "fake-api-key" }
    flags   = { name = "ledger.feature-flags", type = "String", value = "{\"fast_close\":true}" }
  }
}

resource "aws_ssm_parameter" "config" {
  for_each = local.params
  name     = each.value.name
  type     = each.value.type
  value    = each.value.value
}

resource "aws_ssm_parameter" "replica_dsn" {
  provider = aws.dr
  name     = "/ledger/prod/replica-dsn"
  type     = "String"
  value    = "postgres://ledger-replica.internal:5432/ledger"
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

resource "aws_iam_role" "ledger_execution" {
  name               = "ledger-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
}

data "aws_iam_policy_document" "ledger_parameters" {
  statement {
    sid       = "ReadLedgerConfig"
    actions   = ["ssm:GetParameters"]
    resources = ["arn:aws:ssm:us-east-1:${local.account}:parameter/ledger/prod/*"]
  }
}

resource "aws_iam_role_policy" "ledger_parameters" {
  name   = "ledger-parameters"
  role   = aws_iam_role.ledger_execution.id
  policy = data.aws_iam_policy_document.ledger_parameters.json
}

resource "aws_iam_role" "reports_execution" {
  name               = "reports-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
}

resource "aws_iam_role_policy" "reports_parameters" {
  name = "reports-parameters"
  role = aws_iam_role.reports_execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "ssm:GetParameters"
      Resource = "arn:aws:ssm:us-west-2:${local.account}:parameter/ledger/*"
    }]
  })
}

resource "aws_ecs_task_definition" "ledger" {
  family                   = "ledger"
  requires_compatibilities = ["EC2"]
  network_mode             = "bridge"
  execution_role_arn       = aws_iam_role.ledger_execution.arn
  container_definitions = jsonencode([
    {
      name      = "api"
      image     = "public.ecr.aws/acme/ledger-api:3.4.1"
      essential = true
      memory    = 512
      secrets = [
        { name = "DB_URL", valueFrom = aws_ssm_parameter.config["db_url"].name },
        { name = "API_KEY", valueFrom = aws_ssm_parameter.config["api_key"].arn },
      ]
    },
    {
      name      = "flags"
      image     = "public.ecr.aws/acme/ledger-flags:3.4.1"
      essential = false
      memory    = 128
      secrets   = [{ name = "FEATURE_FLAGS", valueFrom = aws_ssm_parameter.config["flags"].name }]
    },
    {
      name      = "replica"
      image     = "public.ecr.aws/acme/ledger-replica-check:3.4.1"
      essential = false
      memory    = 128
      secrets   = [{ name = "REPLICA_DSN", valueFrom = aws_ssm_parameter.replica_dsn.arn }]
    },
    {
      name      = "smtp"
      image     = "public.ecr.aws/acme/ledger-mailer:3.4.1"
      essential = false
      memory    = 128
      secrets   = [{ name = "SMTP_PASSWORD", valueFrom = var.smtp_password_parameter }]
    },
  ])

  depends_on = [aws_iam_role_policy.ledger_parameters]
}

resource "aws_ecs_task_definition" "reports" {
  family                   = "ledger-reports"
  requires_compatibilities = ["EC2"]
  network_mode             = "bridge"
  execution_role_arn       = aws_iam_role.reports_execution.arn
  container_definitions = jsonencode([{
    name      = "reports"
    image     = "public.ecr.aws/acme/ledger-reports:3.4.1"
    essential = true
    memory    = 256
    secrets   = [{ name = "REPLICA_DSN", valueFrom = aws_ssm_parameter.replica_dsn.name }]
  }])

  depends_on = [aws_iam_role_policy.reports_parameters]
}
