# A running Fargate service reads its GitLab registry credentials and its database password
# (container `secrets`) from Secrets Manager, both encrypted with one customer managed key. During
# a clean-up someone sets the key's `enabled` flag to false ("nothing uses it directly"): a disabled
# key refuses every Decrypt, so every new task of the service (scaling, deployment, replacement)
# fails with "DecryptionFailure". The apply is made with the key enabled; the second plan turns it off.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "key_enabled" {
  type    = bool
  default = true
}

data "aws_caller_identity" "current" {}

resource "aws_kms_key" "app" {
  description = "billing application secrets"
  is_enabled  = var.key_enabled
}

resource "aws_secretsmanager_secret" "registry" {
  name       = "billing/gitlab-registry"
  kms_key_id = aws_kms_key.app.arn
}

resource "aws_secretsmanager_secret_version" "registry" {
  secret_id     = aws_secretsmanager_secret.registry.id
  secret_string = jsonencode({ username = "billing-deploy", password = "glpat-FAKEFAKEFAKE" })
}

resource "aws_secretsmanager_secret" "db" {
  name       = "billing/db"
  kms_key_id = aws_kms_key.app.arn
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = aws_secretsmanager_secret.db.id
  secret_string = jsonencode({ username = "billing", password = "not-a-real-password" })
}

resource "aws_iam_role" "execution" {
  name = "billing-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "secrets" {
  name = "secrets"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "secretsmanager:GetSecretValue"
        Resource = [aws_secretsmanager_secret.registry.arn, aws_secretsmanager_secret.db.arn]
      },
      {
        Effect    = "Allow"
        Action    = "kms:Decrypt"
        Resource  = aws_kms_key.app.arn
        Condition = { StringEquals = { "kms:ViaService" = "secretsmanager.us-east-1.amazonaws.com" } }
      },
    ]
  })
}

resource "aws_ecs_task_definition" "billing" {
  family                   = "billing"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name                  = "billing"
    image                 = "registry.gitlab.com/acme/billing:4.2.0"
    essential             = true
    repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.registry.arn }
    secrets = [
      { name = "DB_USER", valueFrom = "${aws_secretsmanager_secret.db.arn}:username::" },
      { name = "DB_PASSWORD", valueFrom = "${aws_secretsmanager_secret.db.arn}:password::" },
    ]
  }])

  depends_on = [aws_iam_role_policy.secrets]
}
