# A platform team runs three sidecar-heavy task definitions whose images live outside ECR.
# The API image on GitHub Container Registry and the Quay agent are private repositories, but
# nobody added repositoryCredentials: ECS pulls anonymously and the registry answers 401.
# The GitLab worker is set up properly (secret + execution role that may read it), and the
# Envoy and nginx sidecars come from public registries (ECR Public, a Docker Hub official
# image mirrored on ECR Public) that serve anonymous pulls.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

locals {
  name = "orders"
  tags = { team = "platform", service = "orders" }
}

resource "aws_secretsmanager_secret" "gitlab" {
  name = "${local.name}/gitlab-registry"
  tags = local.tags
}

resource "aws_secretsmanager_secret_version" "gitlab" {
  secret_id = aws_secretsmanager_secret.gitlab.id
  secret_string = jsonencode({
    username = "orders-deploy-token"
    password = "fake-gitlab-deploy-token"
  })
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
  name               = "${local.name}-execution"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = local.tags
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "registry" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.gitlab.arn]
  }
}

resource "aws_iam_role_policy" "registry" {
  name   = "registry-credentials"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.registry.json
}

resource "aws_cloudwatch_log_group" "orders" {
  name              = "/ecs/${local.name}"
  retention_in_days = 14
}

locals {
  logs = {
    logDriver = "awslogs"
    options = {
      awslogs-group         = aws_cloudwatch_log_group.orders.name
      awslogs-region        = "us-east-1"
      awslogs-stream-prefix = local.name
    }
  }
}

resource "aws_ecs_task_definition" "api" {
  family                   = "${local.name}-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([
    {
      # private GHCR package, no credentials: 401 on the anonymous token request
      name             = "api"
      image            = "ghcr.io/acme-corp/orders-api:1.4.2"
      essential        = true
      portMappings     = [{ containerPort = 8080 }]
      logConfiguration = local.logs
    },
    {
      # ECR Public serves anonymous pulls
      name             = "envoy"
      image            = "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod"
      essential        = true
      logConfiguration = local.logs
    },
  ])
  tags       = local.tags
  depends_on = [aws_iam_role_policy_attachment.execution, aws_iam_role_policy.registry]
}

resource "aws_ecs_task_definition" "worker" {
  family                   = "${local.name}-worker"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([
    {
      # GitLab registry with a deploy token in Secrets Manager: the near miss that works
      name                  = "worker"
      image                 = "registry.gitlab.com/acme-corp/orders/worker:3.1.0"
      essential             = true
      repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.gitlab.arn }
      logConfiguration      = local.logs
    },
    {
      # private Quay repository, no credentials
      name             = "metrics-agent"
      image            = "quay.io/acme-corp/metrics-agent:0.9.4"
      essential        = false
      logConfiguration = local.logs
    },
    {
      # Docker Hub official image through the ECR Public mirror: anonymous and not rate limited by Docker Hub
      name             = "proxy"
      image            = "public.ecr.aws/docker/library/nginx:1.27-alpine"
      essential        = true
      logConfiguration = local.logs
    },
  ])
  tags       = local.tags
  depends_on = [aws_iam_role_policy_attachment.execution, aws_iam_role_policy.registry]
}
