# Registry secret grants with conditions, on three search services that pull a private Quay image.
#  - "indexer": GetSecretValue only when the call comes through the VPC (aws:SourceVpc). That key
#    is in the request only when the agent's call goes through a Secrets Manager VPC endpoint of
#    that VPC; the task's network path is not part of this configuration: it cannot be known here.
#  - "query": ABAC. GetSecretValue when aws:PrincipalTag/team is "search"; the role is tagged
#    team = search, and a role's tags are principal tags of its sessions: it works.
#  - "ranker": the same ABAC grant, but the role is tagged team = ranking: the condition fails.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "vpc_id" {
  description = "The shared VPC the platform team manages"
  type        = string
  default     = "vpc-0a1b2c3d4e5f67890"
}

resource "aws_secretsmanager_secret" "quay" {
  name = "search/quay-robot"
}

resource "aws_secretsmanager_secret_version" "quay" {
  secret_id     = aws_secretsmanager_secret.quay.id
  secret_string = jsonencode({ username = "acme+search_robot", password = "FAKEQUAYTOKEN000" })
}

locals {
  teams = {
    indexer = "search"
    query   = "search"
    ranker  = "ranking"
  }
}

resource "aws_iam_role" "execution" {
  for_each = local.teams
  name     = "search-${each.key}-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  tags = { team = each.value, service = each.key }
}

resource "aws_iam_role_policy_attachment" "execution" {
  for_each   = aws_iam_role.execution
  role       = each.value.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "registry_vpc" {
  name = "registry-from-vpc"
  role = aws_iam_role.execution["indexer"].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "secretsmanager:GetSecretValue"
      Resource  = aws_secretsmanager_secret.quay.arn
      Condition = { StringEquals = { "aws:SourceVpc" = var.vpc_id } }
    }]
  })
}

resource "aws_iam_role_policy" "registry_abac" {
  for_each = toset(["query", "ranker"])
  name     = "registry-abac"
  role     = aws_iam_role.execution[each.key].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "secretsmanager:GetSecretValue"
      Resource  = aws_secretsmanager_secret.quay.arn
      Condition = { StringEquals = { "aws:PrincipalTag/team" = "search" } }
    }]
  })
}

resource "aws_ecs_task_definition" "svc" {
  for_each                 = local.teams
  family                   = "search-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.execution[each.key].arn
  container_definitions = jsonencode([{
    name                  = each.key
    image                 = "quay.io/acme/search-${each.key}:5.0.2"
    essential             = true
    repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.quay.arn }
  }])
  depends_on = [aws_iam_role_policy.registry_vpc, aws_iam_role_policy.registry_abac, aws_iam_role_policy_attachment.execution]
}
