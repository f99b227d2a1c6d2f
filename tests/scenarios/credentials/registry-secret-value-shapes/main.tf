# Four partner integrations run images from the partners' own registries. Each registry login is
# a Secrets Manager secret created with for_each from a map, but the values were written by
# different people: the GitLab one follows the documented {"username","password"} form; the
# Artifactory one used "token" instead of "password"; the Harbor one was uploaded as a binary
# blob (docker config.json) into secret_binary; the Nexus one has an empty password (the CI
# variable was not set). The agent reads SecretString and needs non-empty username and password.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "ap-southeast-2"
}

variable "nexus_password" {
  type      = string
  sensitive = true
  default   = ""
}

locals {
  partners = {
    gitlab = {
      image  = "registry.gitlab.com/partner-a/connector:4.1.0"
      string = jsonencode({ username = "partner-a-deploy", password = "fake-gitlab-token" })
    }
    artifactory = {
      image  = "partnerb.jfrog.io/docker-local/connector:2.8.1"
      string = jsonencode({ username = "svc-connector", token = "fake-artifactory-token" })
    }
    nexus = {
      image  = "nexus.partner-d.example:8443/connector:1.0.7"
      string = jsonencode({ username = "ecs-pull", password = var.nexus_password })
    }
  }
}

resource "aws_secretsmanager_secret" "registry" {
  for_each = toset(concat(keys(local.partners), ["harbor"]))
  name     = "partners/${each.key}/registry"
}

resource "aws_secretsmanager_secret_version" "registry" {
  for_each      = toset(keys(local.partners))
  secret_id     = aws_secretsmanager_secret.registry[each.key].id
  secret_string = local.partners[each.key].string
}

resource "aws_secretsmanager_secret_version" "harbor" {
  secret_id     = aws_secretsmanager_secret.registry["harbor"].id
  secret_binary = base64encode(jsonencode({ auths = { "harbor.partner-c.example" = { auth = "ZmFrZTpmYWtl" } } }))
}

resource "aws_iam_role" "execution" {
  name = "partner-connectors-execution"
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
  name = "partner-registries"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "secretsmanager:GetSecretValue"
      Resource = [for s in aws_secretsmanager_secret.registry : s.arn]
    }]
  })
}

locals {
  images = {
    gitlab      = local.partners.gitlab.image
    artifactory = local.partners.artifactory.image
    nexus       = local.partners.nexus.image
    harbor      = "harbor.partner-c.example/connectors/sync:3.3.0"
  }
}

resource "aws_ecs_task_definition" "connector" {
  for_each                 = local.images
  family                   = "connector-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name                  = "connector"
    image                 = each.value
    essential             = true
    repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.registry[each.key].arn }
  }])
  depends_on = [aws_iam_role_policy.registry]
}
