# An EC2-backed ECS cluster runs a small web stack straight from Docker Hub. The official images
# (nginx, redis) are public but pulled anonymously, which Docker Hub rate limits per source IP.
# The application image `acme/storefront` is a private Docker Hub repository and the task has
# no repositoryCredentials: the pull is denied. The billing job pulls its private Docker Hub
# image with a Docker Hub access token (authenticated, so neither a 401 nor the anonymous limit).
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-central-1"
}

variable "dockerhub_token" {
  type      = string
  sensitive = true
  default   = "dckr_pat_FAKE-not-a-real-token"
}

resource "aws_secretsmanager_secret" "dockerhub" {
  name        = "storefront/dockerhub"
  description = "Docker Hub access token for the storefront images"
}

resource "aws_secretsmanager_secret_version" "dockerhub" {
  secret_id     = aws_secretsmanager_secret.dockerhub.id
  secret_string = jsonencode({ username = "acmebot", password = var.dockerhub_token })
}

resource "aws_iam_role" "execution" {
  name = "storefront-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "execution" {
  name = "pull-and-log"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = [aws_secretsmanager_secret.dockerhub.arn]
      },
      {
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "${aws_cloudwatch_log_group.storefront.arn}:*"
      },
    ]
  })
}

resource "aws_cloudwatch_log_group" "storefront" {
  name = "/ecs/storefront"
}

locals {
  log_config = {
    logDriver = "awslogs"
    options = {
      awslogs-group         = aws_cloudwatch_log_group.storefront.name
      awslogs-region        = "eu-central-1"
      awslogs-stream-prefix = "storefront"
    }
  }
}

resource "aws_ecs_task_definition" "web" {
  family                   = "storefront-web"
  requires_compatibilities = ["EC2"]
  network_mode             = "bridge"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([
    {
      name             = "nginx"
      image            = "nginx:1.27.3"
      memory           = 128
      essential        = true
      portMappings     = [{ containerPort = 80, hostPort = 0 }]
      links            = ["app"]
      logConfiguration = local.log_config
    },
    {
      name             = "app"
      image            = "acme/storefront:5.2.0"
      memory           = 512
      essential        = true
      logConfiguration = local.log_config
    },
    {
      name             = "cache"
      image            = "docker.io/library/redis:7.4"
      memory           = 256
      essential        = false
      logConfiguration = local.log_config
    },
  ])
  depends_on = [aws_iam_role_policy.execution]
}

resource "aws_ecs_task_definition" "billing" {
  family                   = "storefront-billing"
  requires_compatibilities = ["EC2"]
  network_mode             = "bridge"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name                  = "billing"
    image                 = "docker.io/acme/billing-job:2025.11.02"
    memory                = 256
    essential             = true
    repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.dockerhub.arn }
    logConfiguration      = local.log_config
  }])
  depends_on = [aws_iam_role_policy.execution]
}
