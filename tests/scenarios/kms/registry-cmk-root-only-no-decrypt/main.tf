# A team moves its private Docker Hub image's pull credentials into Secrets Manager and, per their
# security baseline, encrypts the secret with a customer managed key. The key policy is the
# default-style one: it delegates to the account root, so IAM decides. The execution role's policy
# grants secretsmanager:GetSecretValue on the secret but nobody added kms:Decrypt on the key:
# Secrets Manager calls KMS with the role's permissions and KMS refuses
# ("AccessDeniedException: Access to KMS is not allowed").
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
  account_id = data.aws_caller_identity.current.account_id
}

resource "aws_kms_key" "secrets" {
  description             = "payments secrets"
  deletion_window_in_days = 7
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EnableIAMUserPermissions"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${local.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_kms_alias" "secrets" {
  name          = "alias/payments-secrets"
  target_key_id = aws_kms_key.secrets.key_id
}

resource "aws_secretsmanager_secret" "dockerhub" {
  name       = "payments/dockerhub-pull"
  kms_key_id = aws_kms_alias.secrets.arn
}

resource "aws_secretsmanager_secret_version" "dockerhub" {
  secret_id     = aws_secretsmanager_secret.dockerhub.id
  secret_string = jsonencode({ username = "acme-ci", password = "fake-token-for-tests" })
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

resource "aws_iam_role" "execution" {
  name               = "payments-execution"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "pull_secret" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.dockerhub.arn]
  }
}

resource "aws_iam_role_policy" "pull_secret" {
  name   = "dockerhub-pull-secret"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.pull_secret.json
}

resource "aws_cloudwatch_log_group" "payments" {
  name              = "/ecs/payments"
  retention_in_days = 30
}

resource "aws_ecs_task_definition" "payments" {
  family                   = "payments"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name                  = "payments"
    image                 = "acmepay/payments-api:3.8.0"
    essential             = true
    repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.dockerhub.arn }
    portMappings          = [{ containerPort = 8080, protocol = "tcp" }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.payments.name
        awslogs-region        = "us-east-1"
        awslogs-stream-prefix = "payments"
      }
    }
  }])

  depends_on = [aws_iam_role_policy_attachment.execution, aws_iam_role_policy.pull_secret]
}
