# A service module used once per region. It creates its own execution role and task definition;
# the registry secret is passed in as a name, as the module's README suggests.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

variable "name" {
  type = string
}

variable "image" {
  type = string
}

variable "registry_secret" {
  description = "Name or ARN of the Secrets Manager secret with the registry login"
  type        = string
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  # an ARN as given, or every region's secret of that name (with the 6-character suffix)
  secret_arn_pattern = startswith(var.registry_secret, "arn:") ? var.registry_secret : "arn:aws:secretsmanager:*:${data.aws_caller_identity.current.account_id}:secret:${var.registry_secret}-??????"
}

resource "aws_iam_role" "execution" {
  name_prefix = "${var.name}-exec-"
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
  name = "registry"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "secretsmanager:GetSecretValue"
      Resource = local.secret_arn_pattern
    }]
  })
}

resource "aws_ecs_task_definition" "this" {
  family                   = "${var.name}-${data.aws_region.current.name}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name                  = var.name
    image                 = var.image
    essential             = true
    repositoryCredentials = { credentialsParameter = var.registry_secret }
  }])
  depends_on = [aws_iam_role_policy.registry]
}
