# An application stack reuses what the platform stack owns: the customer managed key by its alias
# (alias/platform-secrets) and the execution role by ARN (created by the platform team). Neither the
# key, its key policy, its state, nor the role's policies are in this plan: whether the role may
# decrypt the registry secret and the container secret is not knowable from it (undecided), and a
# finding would be a guess.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "execution_role_arn" {
  type    = string
  default = "arn:aws:iam::123456789012:role/platform/ecs-task-execution"
}

resource "aws_secretsmanager_secret" "registry" {
  name       = "checkout/artifactory-pull"
  kms_key_id = "alias/platform-secrets"
}

resource "aws_secretsmanager_secret" "stripe" {
  name       = "checkout/stripe-api-key"
  kms_key_id = "alias/platform-secrets"
}

resource "aws_ecs_task_definition" "checkout" {
  family                   = "checkout"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = var.execution_role_arn
  container_definitions = jsonencode([{
    name                  = "checkout"
    image                 = "acme.jfrog.io/docker-local/checkout:6.2.0"
    essential             = true
    repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.registry.arn }
    secrets               = [{ name = "STRIPE_API_KEY", valueFrom = aws_secretsmanager_secret.stripe.arn }]
  }])
}
