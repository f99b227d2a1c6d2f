# Image references assembled from variables by a release pipeline, on a self-hosted registry
# (Harbor on port 5000) behind credentials. Three of them are broken the way they break in
# practice: a repository with the team name in capitals (Docker rejects it: "repository name
# must be lowercase"), a semver build suffix with "+" in the tag, and a digest that lost its last
# character when copied. The others are valid references that look unusual: a registry with a
# port, a tag plus a digest, a nested path with "__" and "-".
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "registry" {
  type    = string
  default = "harbor.build.acme-corp.net:5000"
}

variable "releases" {
  type = map(object({ image = string, cpu = number }))
  default = {
    ledger = { image = "Payments/ledger:2.3.0", cpu = 256 }                # uppercase team name
    fx     = { image = "payments/fx-rates:1.8.0+build.412", cpu = 256 }    # "+" is not allowed in a tag
    audit  = { image = "payments/audit@sha256:9b2a4c8e0f3d1a7b6c5e4d3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3", cpu = 256 } # 63 hex characters
    gw     = { image = "payments/edge/gateway:3.0.1@sha256:0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e", cpu = 512 }
    sync   = { image = "payments/ledger__sync-agent:v0.14.2_rc1", cpu = 256 }
  }
}

resource "aws_secretsmanager_secret" "harbor" {
  name = "payments/harbor-robot"
}

resource "aws_secretsmanager_secret_version" "harbor" {
  secret_id     = aws_secretsmanager_secret.harbor.id
  secret_string = jsonencode({ username = "robot$payments", password = "fake-harbor-robot-secret" })
}

resource "aws_iam_role" "execution" {
  name = "payments-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "harbor" {
  name = "harbor-pull"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "secretsmanager:GetSecretValue"
      Resource = aws_secretsmanager_secret.harbor.arn
    }]
  })
}

resource "aws_ecs_task_definition" "release" {
  for_each                 = var.releases
  family                   = "payments-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = tostring(each.value.cpu)
  memory                   = tostring(each.value.cpu * 2)
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name                  = each.key
    image                 = "${var.registry}/${each.value.image}"
    essential             = true
    repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.harbor.arn }
  }])
  depends_on = [aws_iam_role_policy.harbor]
}
