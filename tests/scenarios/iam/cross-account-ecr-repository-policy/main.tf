# Storefront services in the workload account pull images that CI pushes to the shared tooling
# account's ECR (210987654321). This configuration also manages the repository policies there,
# through a second provider. A cross-account pull needs the repository policy to allow the
# execution role (or its account) the pull actions, and the role's own policy to allow them.
#  - platform/checkout: the policy names the execution role: pulls.
#  - platform/mailer:   the policy trusts the workload account root (delegation): pulls.
#  - platform/search:   the policy was written for the old staging account: 403 Forbidden.
#  - platform/pdf-render: its policy is managed by another stack: not known here.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "tooling"
  region = "us-east-1"
  # in CI: assume_role { role_arn = "arn:aws:iam::210987654321:role/terraform" }
}

data "aws_caller_identity" "current" {}

locals {
  account        = data.aws_caller_identity.current.account_id
  tooling        = "210987654321"
  registry       = "${local.tooling}.dkr.ecr.us-east-1.amazonaws.com"
  execution_name = "storefront-execution"
  # written out rather than referenced, so the tooling stack does not depend on the role
  execution_arn = "arn:aws:iam::${local.account}:role/${local.execution_name}"
  pull_actions  = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
  services = {
    checkout = "platform/checkout:5.2.0"
    mailer   = "platform/mailer:1.4.0"
    search   = "platform/search:2.0.1"
    pdf      = "platform/pdf-render:0.7.0"
  }
}

resource "aws_ecr_repository_policy" "checkout" {
  provider   = aws.tooling
  repository = "platform/checkout"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "StorefrontPull"
      Effect    = "Allow"
      Principal = { AWS = local.execution_arn }
      Action    = local.pull_actions
    }]
  })
}

resource "aws_ecr_repository_policy" "mailer" {
  provider   = aws.tooling
  repository = "platform/mailer"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "WorkloadAccountPull"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${local.account}:root" }
      Action    = local.pull_actions
    }]
  })
}

resource "aws_ecr_repository_policy" "search" {
  provider   = aws.tooling
  repository = "platform/search"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "StagingPull"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::345678901234:root" }
      Action    = local.pull_actions
    }]
  })
}

resource "aws_iam_role" "execution" {
  name = local.execution_name
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_cloudwatch_log_group" "storefront" {
  name = "/ecs/storefront"
}

resource "aws_ecs_task_definition" "svc" {
  for_each                 = local.services
  family                   = "storefront-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name      = each.key
    image     = "${local.registry}/${each.value}"
    essential = true
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.storefront.name
        awslogs-region        = "us-east-1"
        awslogs-stream-prefix = each.key
      }
    }
  }])
  depends_on = [aws_iam_role_policy_attachment.execution]
}
