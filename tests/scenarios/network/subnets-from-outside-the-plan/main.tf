# An application stack deployed into a network another stack owns:
# - api gets its subnets and security group as variables (IDs pasted from the network stack's
#   outputs): whether those subnets route to a NAT gateway is not in this plan.
# - admin uses the account's default VPC, looked up with data sources: the subnet IDs are known,
#   but their route tables and the default security group's rules are not in the plan.
# - reports runs in api's subnets and pulls through ECR's dual-stack host (dkr-ecr.<region>.on.aws),
#   which VPC endpoints do not serve: it pulls only if those subnets have a NAT route, which the
#   plan does not say.
# None can be decided from the plan: all are undecided, not failures.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "private_subnet_ids" {
  type    = list(string)
  default = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
}

variable "service_security_group_id" {
  type    = string
  default = "sg-0123456789abcdef0"
}

data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

resource "aws_iam_role" "execution" {
  name = "apps-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_ecs_cluster" "apps" {
  name = "apps"
}

resource "aws_ecs_task_definition" "app" {
  for_each                 = toset(["api", "admin"])
  family                   = each.key
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name      = each.key
    image     = "123456789012.dkr.ecr.us-east-1.amazonaws.com/${each.key}:9.3.1"
    essential = true
  }])
  depends_on = [aws_iam_role_policy_attachment.execution]
}

resource "aws_ecs_service" "api" {
  name            = "api"
  cluster         = aws_ecs_cluster.apps.id
  task_definition = aws_ecs_task_definition.app["api"].arn
  desired_count   = 2
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = var.private_subnet_ids
    security_groups = [var.service_security_group_id]
  }
}

resource "aws_ecs_service" "admin" {
  name            = "admin"
  cluster         = aws_ecs_cluster.apps.id
  task_definition = aws_ecs_task_definition.app["admin"].arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = data.aws_subnets.default.ids
    assign_public_ip = true
  }
}

resource "aws_ecs_task_definition" "reports" {
  family                   = "reports"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name      = "reports"
    image     = "123456789012.dkr-ecr.us-east-1.on.aws/reports:2.4.0"
    essential = true
  }])
  depends_on = [aws_iam_role_policy_attachment.execution]
}

resource "aws_ecs_service" "reports" {
  name            = "reports"
  cluster         = aws_ecs_cluster.apps.id
  task_definition = aws_ecs_task_definition.reports.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = var.private_subnet_ids
    security_groups = [var.service_security_group_id]
  }
}
