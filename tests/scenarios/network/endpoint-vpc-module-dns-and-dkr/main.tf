# Three teams use the same private-VPC module (no NAT, endpoints only) with different endpoint sets:
# - ledger: the complete set (ecr.api, ecr.dkr, logs + the module's S3 gateway): works.
# - search: left out ecr.dkr, believing ecr.api is "the ECR endpoint": the registry host
#   <account>.dkr.ecr.<region>.amazonaws.com is unreachable, the manifest fetch times out.
# - audit: created ecr.dkr with private DNS off (a copy of a hub-and-spoke setup that used its own
#   Route 53 zones, not created here): the default registry host name resolves to public
#   addresses, which this VPC cannot reach.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

locals {
  teams = {
    ledger = { cidr = "10.70.0.0/20", endpoints = ["ecr.api", "ecr.dkr", "logs"], dns = {} }
    search = { cidr = "10.71.0.0/20", endpoints = ["ecr.api", "logs"], dns = {} }
    audit  = { cidr = "10.72.0.0/20", endpoints = ["ecr.api", "ecr.dkr", "logs"], dns = { "ecr.dkr" = false } }
  }
}

module "vpc" {
  source              = "./modules/private-vpc"
  for_each            = local.teams
  name                = each.key
  cidr                = each.value.cidr
  interface_endpoints = each.value.endpoints
  private_dns         = each.value.dns
}

resource "aws_iam_role" "execution" {
  name = "teams-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_cloudwatch_log_group" "team" {
  for_each = local.teams
  name     = "/ecs/${each.key}"
}

resource "aws_ecs_cluster" "shared" {
  name = "shared"
}

resource "aws_ecs_task_definition" "team" {
  for_each                 = local.teams
  family                   = each.key
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name      = each.key
    image     = "123456789012.dkr.ecr.us-east-1.amazonaws.com/${each.key}:1.0.7"
    essential = true
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.team[each.key].name
        awslogs-region        = "us-east-1"
        awslogs-stream-prefix = each.key
      }
    }
  }])
  depends_on = [aws_iam_role_policy_attachment.execution]
}

resource "aws_ecs_service" "team" {
  for_each        = local.teams
  name            = each.key
  cluster         = aws_ecs_cluster.shared.id
  task_definition = aws_ecs_task_definition.team[each.key].arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = module.vpc[each.key].private_subnet_ids
    security_groups = [module.vpc[each.key].task_security_group_id]
  }
}
