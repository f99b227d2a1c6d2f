# Least-privilege execution roles: instead of the AWS managed policy, each role gets a customer
# managed policy (aws_iam_policy + aws_iam_role_policy_attachment) scoped to its ECR repositories.
#  - "reports": the layer actions on its repository, but no ecr:GetAuthorizationToken (which
#    only works on Resource "*"): "unable to retrieve ecr registry auth ... AccessDeniedException".
#  - "inventory": GetAuthorizationToken on "*" and the layer actions on repository/inventory/*,
#    which matches the image's repository inventory/api: it pulls.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

locals {
  account  = data.aws_caller_identity.current.account_id
  registry = "${local.account}.dkr.ecr.eu-west-1.amazonaws.com"
  repo_arn = "arn:aws:ecr:eu-west-1:${local.account}:repository"
}

resource "aws_iam_role" "execution" {
  for_each = toset(["reports", "inventory"])
  name     = "${each.key}-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_policy" "reports_pull" {
  name = "reports-ecr-pull"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "PullReportsImages"
        Effect   = "Allow"
        Action   = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
        Resource = "${local.repo_arn}/reports/generator"
      },
      {
        Sid      = "Logs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "arn:aws:logs:eu-west-1:${local.account}:log-group:/ecs/reports:*"
      }
    ]
  })
}

resource "aws_iam_policy" "inventory_pull" {
  name = "inventory-ecr-pull"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "RegistryLogin"
        Effect   = "Allow"
        Action   = "ecr:GetAuthorizationToken"
        Resource = "*"
      },
      {
        Sid      = "PullInventoryImages"
        Effect   = "Allow"
        Action   = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
        Resource = "${local.repo_arn}/inventory/*"
      },
      {
        Sid      = "Logs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "arn:aws:logs:eu-west-1:${local.account}:log-group:/ecs/inventory:*"
      }
    ]
  })
}

resource "aws_iam_role_policy_attachment" "reports" {
  role       = aws_iam_role.execution["reports"].name
  policy_arn = aws_iam_policy.reports_pull.arn
}

resource "aws_iam_role_policy_attachment" "inventory" {
  role       = aws_iam_role.execution["inventory"].name
  policy_arn = aws_iam_policy.inventory_pull.arn
}

resource "aws_cloudwatch_log_group" "svc" {
  for_each = aws_iam_role.execution
  name     = "/ecs/${each.key}"
}

resource "aws_ecs_task_definition" "reports" {
  family                   = "reports"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "1024"
  memory                   = "2048"
  execution_role_arn       = aws_iam_role.execution["reports"].arn
  container_definitions = jsonencode([{
    name      = "generator"
    image     = "${local.registry}/reports/generator:7.2.0"
    essential = true
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.svc["reports"].name
        awslogs-region        = "eu-west-1"
        awslogs-stream-prefix = "generator"
      }
    }
  }])
  depends_on = [aws_iam_role_policy_attachment.reports]
}

resource "aws_ecs_task_definition" "inventory" {
  family                   = "inventory"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.execution["inventory"].arn
  container_definitions = jsonencode([{
    name      = "api"
    image     = "${local.registry}/inventory/api:12.4.1"
    essential = true
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.svc["inventory"].name
        awslogs-region        = "eu-west-1"
        awslogs-stream-prefix = "api"
      }
    }
  }])
  depends_on = [aws_iam_role_policy_attachment.inventory]
}
