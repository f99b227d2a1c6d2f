# The data team keeps most of its configuration in SSM Parameter Store and stored the Quay robot
# login there too (a SecureString holding the same JSON). ECS private registry authentication
# reads the credentials from Secrets Manager only, so the containers pointing credentialsParameter
# at the parameter (by resource reference, or by an ARN pasted from the console) cannot pull.
# The ingest container uses a Secrets Manager secret ARN, and the export container the secret's
# bare name, which resolves because the secret is in the task's own region and account.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-west-2"
}

data "aws_caller_identity" "current" {}

locals {
  quay_login = jsonencode({ username = "acme+data_robot", password = "FAKE0ROBOT0TOKEN0NOT0REAL" })
}

resource "aws_ssm_parameter" "quay" {
  name  = "/data/registry/quay"
  type  = "SecureString"
  value = local.quay_login
}

resource "aws_secretsmanager_secret" "quay" {
  name = "data/quay-robot"
}

resource "aws_secretsmanager_secret_version" "quay" {
  secret_id     = aws_secretsmanager_secret.quay.id
  secret_string = local.quay_login
}

resource "aws_iam_role" "execution" {
  name = "data-pipeline-execution"
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
  name = "registry-login"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["ssm:GetParameters", "ssm:GetParameter"]
        Resource = aws_ssm_parameter.quay.arn
      },
      {
        Effect   = "Allow"
        Action   = "secretsmanager:GetSecretValue"
        Resource = aws_secretsmanager_secret.quay.arn
      },
    ]
  })
}

resource "aws_ecs_task_definition" "pipeline" {
  family                   = "data-pipeline"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "1024"
  memory                   = "2048"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([
    {
      name                  = "transform"
      image                 = "quay.io/acme/data-transform:2.0.3"
      essential             = true
      repositoryCredentials = { credentialsParameter = aws_ssm_parameter.quay.arn }
    },
    {
      name                  = "validate"
      image                 = "quay.io/acme/data-validate:2.0.3"
      essential             = false
      repositoryCredentials = { credentialsParameter = "arn:aws:ssm:us-west-2:${data.aws_caller_identity.current.account_id}:parameter/data/registry/quay" }
    },
    {
      name                  = "ingest"
      image                 = "quay.io/acme/data-ingest:2.0.3"
      essential             = true
      repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.quay.arn }
    },
    {
      name                  = "export"
      image                 = "quay.io/acme/data-export:2.0.3"
      essential             = false
      repositoryCredentials = { credentialsParameter = "data/quay-robot" }
    },
  ])
  depends_on = [aws_iam_role_policy.registry]
}
